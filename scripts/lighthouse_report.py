"""Reading Lighthouse's JSON reports for scripts/lighthouse.

    lighthouse_report.py check REPORT              exit 0 if REPORT measured every category,
                                                   else 1 with the reason on stdout
    lighthouse_report.py table MIN BASE REPORT...  the scores, the audits that cost points
                                                   and the verdict

``table`` exits 0 when every score is at least MIN, 1 when one is below, and 2 when a
page could not be measured at all (no report, or Lighthouse's own error such as
NO_NAVSTART): a tool error is never reported as a low score.
"""

import json
import sys
from pathlib import Path

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def problem(path: Path) -> str | None:
    """Why the report at ``path`` holds no usable scores, or None when it does."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "no report written"
    except (OSError, ValueError) as error:
        return f"unreadable report ({error})"
    if error := report.get("runtimeError"):
        return f"{error.get('code', 'error')}: {error.get('message', '')}".strip()
    categories = report.get("categories", {})
    unscored = [name for name in CATEGORIES if categories.get(name, {}).get("score") is None]
    if unscored:
        return f"no score for {', '.join(unscored)}"
    return None


def label(url: str, base: str) -> str:
    path = url.removeprefix(base) or "/"
    return path if len(path) <= 40 else path[:39] + "…"


def lost_points(report: dict, category_id: str) -> list[str]:
    """The weighted audits of a category that scored below 1, costliest first."""
    audits, category = report["audits"], report["categories"][category_id]
    lost = sorted(
        (
            (ref["weight"] * (1 - audits[ref["id"]]["score"]), ref["id"])
            for ref in category["auditRefs"]
            if ref["weight"] > 0
            and audits[ref["id"]]["score"] is not None
            and audits[ref["id"]]["score"] < 1
        ),
        reverse=True,
    )
    lines = []
    for _, audit_id in lost:
        audit = audits[audit_id]
        value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
        lines.append(f"[{category_id}] {audit_id}: {audit['title']}{value}")
    return lines


def table(minimum: int, base: str, files: list[Path]) -> int:
    rows, costs, unmeasured, low = [], [], [], []
    for path in files:
        if reason := problem(path):
            rows.append((path.stem, ["-"] * len(CATEGORIES)))
            unmeasured.append(f"{path.stem}: {reason}")
            continue
        report = json.loads(path.read_text(encoding="utf-8"))
        page = label(report["finalDisplayedUrl"], base)
        scores = [round(report["categories"][c]["score"] * 100) for c in CATEGORIES]
        low += [f"{page} {c} {s}" for c, s in zip(CATEGORIES, scores, strict=True) if s < minimum]
        costs += [f"{page} {line}" for c in CATEGORIES for line in lost_points(report, c)]
        rows.append((page, [str(score) for score in scores]))

    width = max(len(page) for page, _ in rows)
    print(f"\n{'page':<{width}}  " + "  ".join(f"{c:>14}" for c in CATEGORIES))
    for page, scores in rows:
        print(f"{page:<{width}}  " + "  ".join(f"{s:>14}" for s in scores))
    if costs:
        print("\nAudits that cost points:")
        print("\n".join(f"  {line}" for line in costs))
    reports = f"Reports: {files[0].parent}/"
    if unmeasured:
        print(f"\nFAILED: Lighthouse could not measure {len(unmeasured)} page(s), a tool error,")
        print("not a score (run it again on a quieter machine):")
        print("\n".join(f"  {line}" for line in unmeasured))
        return 2
    if low:
        print(f"\nFAILED: a score is below {minimum} (LIGHTHOUSE_MIN): {'; '.join(low)}. {reports}")
        return 1
    print(f"\npassed: every score is at least {minimum} (LIGHTHOUSE_MIN). {reports}")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "check":
        reason = problem(Path(argv[1]))
        if reason:
            print(reason)
        return 1 if reason else 0
    if len(argv) >= 4 and argv[0] == "table":
        return table(int(argv[1]), argv[2], [Path(file) for file in argv[3:]])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
