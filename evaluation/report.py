"""The evaluation's figures: flat for the floors and ``--json``, and as a table with the errors."""

from __future__ import annotations

from .classes import MENTION_CLASSES, NEGATIVE_CLASSES, POSITIONS
from .runner import Report
from .scoring import Tally

HEADER = (
    f"{'':22}{'mentions':>9}{'found':>7}{'recall':>8}{'false':>7}{'precision':>11}"
    f"{'negatives':>11}{'linked':>8}"
)


def figures(report: Report) -> dict[str, float]:
    """Every figure a floor can hold, higher being better, by a dotted name."""
    linking = report.linking
    result: dict[str, float | None] = {
        "linking.precision": linking.overall.precision,
        "linking.recall": linking.overall.recall,
        "suggestions.precision": report.suggestions.precision,
        "suggestions.recall": report.suggestions.recall,
    }
    for kind, tally in sorted(linking.classes.items()):
        result[f"linking.recall.{kind}"] = tally.recall
        result[f"linking.negatives_kept.{kind}"] = tally.negatives_kept
    for position in POSITIONS:
        tally = linking.positions[position]
        result[f"linking.{position}.recall"] = tally.recall
        result[f"linking.{position}.precision"] = tally.precision
    return {name: round(value, 4) for name, value in result.items() if value is not None}


def as_dict(report: Report) -> dict:
    """What ``--json`` writes: the figures, the counts behind them and the errors."""
    linking = report.linking

    def counts(tally: Tally) -> dict[str, int]:
        return {
            "mentions": tally.gold,
            "found": tally.found,
            "false": tally.false,
            "negatives": tally.negatives,
            "negatives_linked": tally.negatives_hit,
        }

    return {
        "documents": report.documents,
        "figures": figures(report),
        "linking": {
            "all": counts(linking.overall),
            "classes": {kind: counts(t) for kind, t in sorted(linking.classes.items())},
            "positions": {p: counts(linking.positions[p]) for p in POSITIONS},
            "errors": [vars(error) for error in linking.errors],
        },
        "suggestions": {
            "expected": report.suggestions.expected,
            "found": report.suggestions.found,
            "false": report.suggestions.false,
            "errors": [list(error) for error in report.suggestions.errors],
        },
    }


def format_report(report: Report) -> str:
    linking, suggestions = report.linking, report.suggestions
    lines = [
        f"Linking, per mention: {report.documents} texts, {linking.overall.gold} annotated "
        f"mentions, {linking.overall.negatives} hard negatives",
        "",
        HEADER,
        _row("all", linking.overall),
        "mentions by class:",
        *(_row(k, linking.classes[k]) for k in MENTION_CLASSES if linking.classes[k].gold),
        "hard negatives by class:",
        *(_row(k, linking.classes[k]) for k in NEGATIVE_CLASSES if linking.classes[k].negatives),
        "by position:",
        *(_row(p, linking.positions[p]) for p in POSITIONS),
        "",
        f"Suggestions: {suggestions.expected} expected, {suggestions.found} found, "
        f"{suggestions.false} false: precision {_figure(suggestions.precision)}, "
        f"recall {_figure(suggestions.recall)}",
        "",
        *_link_errors(report),
        "",
        *_suggestion_errors(report),
    ]
    return "\n".join(lines)


def _row(name: str, tally: Tally) -> str:
    return (
        f"  {name:20}{tally.gold:>9}{tally.found:>7}{_figure(tally.recall):>8}{tally.false:>7}"
        f"{_figure(tally.precision):>11}{tally.negatives:>11}{tally.negatives_hit:>8}"
    )


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _link_errors(report: Report) -> list[str]:
    errors = report.linking.errors
    lines = [f"Linking errors ({len(errors)}): what, class, position, entity, in context"]
    document = None
    for error in sorted(errors, key=lambda e: (e.document, e.what != "missed", e.what)):
        if error.document != document:
            document = error.document
            lines.append(f"  {document}")
        lines.append(
            f"    {error.what:12} {error.kind or '-':20} {error.position:8} {error.entity:32} "
            f"{error.context}"
        )
    return lines


def _suggestion_errors(report: Report) -> list[str]:
    errors = report.suggestions.errors
    lines = [f"Suggestion errors ({len(errors)})"]
    document = None
    for key, what, name in errors:
        if key != document:
            document = key
            lines.append(f"  {document}")
        lines.append(f"    {what}: «{name}»")
    return lines
