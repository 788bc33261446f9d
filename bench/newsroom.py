"""The newsroom load test: visitors at a constant arrival rate while an editor publishes.

    .venv/bin/python bench/newsroom.py [--articles 100000] [--reuse]   (make bench)
    .venv/bin/python bench/newsroom.py --quick --reuse                  (make bench-quick)

On a working copy of the PostgreSQL corpus, gunicorn serves the portal with the
production settings (page cache on), and Locust (``bench/newsroom_locust.py``) sends
visitors at a constant arrival rate over the mix of ``bench/newsroom_plan.py``: the
home page, the newest articles, the busiest entity pages, a long tail over every
article, searches. Meanwhile an editor signs in to the admin over HTTP (a session,
CSRF, the change form: ``bench/reliability.py``'s ``Editor``) and every
``--edit-every`` seconds publishes a draft or changes the title of one of the newest
articles, then polls the page (the home page, the article) through the same front
as the visitors until the new title shows: the delay from publication to
visibility.

Two fronts, one after the other: gunicorn alone, then nginx with the deployment's
micro-cache in front of it (the directives read from ``deploy/nginx-portal.conf`` as
in ``bench/scale_demo.py``). For each, the rate steps up (``--start``, times
``--factor`` each stage, up to ``--max-rate``), each stage ``--stage`` seconds, and
stops at the first stage with p99 > 100 ms, an error, or a rate it could not hold:
the figure is the highest rate that passed. Who answered (nginx's copy, the page
cache, a view that rendered the page) comes from the answers' ``X-Edge-Cache`` and
``X-Cache`` headers. The limit ``/ok`` through gunicorn (wrk, 4 connections) gives
the scale. The editor's requests go to gunicorn directly (through nginx, whose
``Host`` has no port, the admin's CSRF origin check would refuse them); they carry
a session, which the micro-cache never serves anyway.

Printed, and written to var/bench/results/newsroom.json (or --json PATH).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import newsroom_plan as plan
from bench.common import (
    BENCH_DIR,
    ROOT,
    VENV_BIN,
    BenchError,
    check_virtualenv,
    collectstatic,
    drop_working_copies,
    ensure_postgres_server,
    ensure_wrk,
    gunicorn,
    machine_summary,
    prepare_corpus,
    quote_path,
    run_wrk,
    script_main,
)
from bench.newsroom_desk import Desk, EditorSite, micro_cached
from bench.reliability import EDITOR_SCRIPT, get, portal_env, shell
from bench.reliability import manage as manage_in

RESULTS = BENCH_DIR / "results" / "newsroom.json"
LOCUSTFILE = ROOT / "bench" / "newsroom_locust.py"
LOCUST = VENV_BIN / "locust"
FRONTS = ("gunicorn", "nginx")
SEARCHES = ("завод", "автобус", "экспорт", "Isuzu", "в Кыргызстане", "грузовики")

# Run in the portal's environment: the pages of the mix.
PAGES_SCRIPT = textwrap.dedent(
    """
    import json
    from articles.models import Article
    from companies.kinds import KINDS
    from companies.queries import by_mentions

    published = Article.objects.published().order_by("-published_at", "-id")
    newest = list(published[:20])
    entities = []
    for kind in KINDS:
        entities += [entity.get_absolute_url() for entity in by_mentions(kind)[:3]]
    print(json.dumps({
        "newest": [a.get_absolute_url() for a in newest],
        "newest_ids": [a.pk for a in newest],
        "entities": entities,
        "all": [a.get_absolute_url() for a in published.only("id", "slug")],
    }))
    """
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size")
    parser.add_argument("--fronts", default=",".join(FRONTS), help="gunicorn and/or nginx")
    parser.add_argument("--stage", type=float, default=10.0, help="seconds per rate")
    parser.add_argument("--start", type=float, default=10.0, help="first rate, req/s")
    parser.add_argument("--factor", type=float, default=1.5, help="each rate over the last")
    parser.add_argument("--max-rate", type=float, default=3000.0, help="the ladder's top")
    parser.add_argument("--edit-every", type=float, default=30.0, help="seconds between saves")
    parser.add_argument("--reuse", action="store_true", help="use a cached corpus")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where the figures go")
    parser.add_argument(
        "--quick", action="store_true", help="1,000 articles, 5 s stages, rates doubling"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.stage, args.factor, args.start = 1000, 5.0, 2.0, 20.0
        args.edit_every = min(args.edit_every, 15.0)
    args.fronts = [f.strip() for f in args.fronts.split(",") if f.strip()]
    if not args.fronts or set(args.fronts) - set(FRONTS):
        parser.error(f"--fronts takes gunicorn and/or nginx, got {','.join(args.fronts)!r}")
    if args.stage < 2 or args.edit_every < 1:
        parser.error("--stage must be at least 2 s and --edit-every at least 1 s")
    try:
        args.rates = plan.ladder(start=args.start, factor=args.factor, maximum=args.max_rate)
    except ValueError as error:
        parser.error(str(error))
    return args


# --- one stage: Locust at one rate ----------------------------------------------------


@dataclass
class Stage:
    rate: float
    users: int
    requests: int
    failures: int
    achieved: float  # req/s sent once every user had started
    p50_ms: float
    p99_ms: float
    p99_by_group_ms: dict[str, float]
    sources: dict[str, int]
    generator_busy: bool  # Locust warned that its CPU was above 90%
    verdict: str = ""

    @property
    def passed(self) -> bool:
        return self.judged().ok

    def judged(self) -> plan.Verdict:
        return plan.judge(
            rate=self.rate,
            achieved=self.achieved,
            requests=self.requests,
            failures=self.failures,
            p99_ms=self.p99_ms,
        )


def run_stage(front: str, rate: float, seconds: float, groups: list[dict]) -> Stage:
    users = plan.users_for(rate)
    with tempfile.TemporaryDirectory(prefix="portal-newsroom-") as folder:
        config = Path(folder) / "config.json"
        sources_path = Path(folder) / "sources.json"
        config.write_text(json.dumps({
            "groups": groups, "per_user_rate": rate / users, "sources_path": str(sources_path),
        }))  # fmt: skip
        cmd = [LOCUST, "-f", LOCUSTFILE, "--headless", "--host", front, "--users", str(users)]
        cmd += ["--spawn-rate", str(users), "--run-time", f"{seconds:.0f}s", "--reset-stats"]
        cmd += ["--csv", Path(folder) / "stage", "--only-summary", "--loglevel", "WARNING"]
        cmd += ["--exit-code-on-error", "0", "--stop-timeout", "2"]
        env = os.environ | {"NEWSROOM_CONFIG": str(config)}
        done = subprocess.run(
            [str(c) for c in cmd], cwd=ROOT, env=env, capture_output=True, text=True,
            stdin=subprocess.DEVNULL, timeout=seconds + 120,
        )  # fmt: skip
        stats = Path(folder) / "stage_stats.csv"
        if done.returncode != 0 or not stats.exists():
            raise BenchError(f"locust failed ({done.returncode}):\n{done.stderr[-2000:]}")
        rows = {row["Name"]: row for row in csv.DictReader(stats.open())}
        sources = json.loads(sources_path.read_text()) if sources_path.exists() else {}
    total = rows["Aggregated"]
    stage = Stage(
        rate=rate,
        users=users,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        achieved=float(total["Requests/s"]),
        p50_ms=float(total["50%"] or "nan"),
        p99_ms=float(total["99%"] or "nan"),
        p99_by_group_ms={n: float(r["99%"] or "nan") for n, r in rows.items() if n != "Aggregated"},
        sources=sources,
        generator_busy="CPU usage above" in done.stderr,
    )
    stage.verdict = stage.judged().reason
    return stage


def stage_line(stage: Stage) -> str:
    verdict = "pass" if stage.passed else f"FAIL: {stage.verdict}"
    if stage.p99_by_group_ms:
        slowest = max(stage.p99_by_group_ms, key=stage.p99_by_group_ms.get)
        verdict += f" (slowest p99: {slowest} {stage.p99_by_group_ms[slowest]:.0f} ms)"
    busy = " (Locust's CPU above 90%)" if stage.generator_busy else ""
    return (
        f"   {stage.rate:>6.0f} req/s asked, {stage.achieved:>6.0f} sent by {stage.users} users: "
        f"p50 {stage.p50_ms:.0f} ms, p99 {stage.p99_ms:.0f} ms, {stage.failures} errors "
        f"in {stage.requests} -> {verdict}{busy}"
    )


# --- a front: the ladder with the editor at work ------------------------------------


@dataclass
class FrontFigures:
    front: str
    stages: list[Stage]
    highest_rate: float | None
    ladder_top_passed: bool
    sources: dict[str, int]
    saves: list[dict] = field(default_factory=list)

    @property
    def answered_from_copy(self) -> float:
        """Share of the answers no view rendered (nginx's copy or the page cache)."""
        total = sum(self.sources.values())
        return (total - self.sources.get("rendered", 0)) / total if total else 0.0

    def visible_after(self) -> list[float | None]:
        return [save["visible_after_s"] for save in self.saves]


def measure_front(name: str, front: str, args, groups: list[dict], desk: Desk) -> FrontFigures:
    print(f"== {name}: {front}, stages of {args.stage:.0f} s, an editor's save every "
          f"{args.edit_every:.0f} s")  # fmt: skip
    # As on a site that has been up a while: templates compiled, dictionaries and each
    # search's word forms loaded in every worker, the hot pages cached. Not judged.
    prime(front, groups)
    warm = run_stage(front, args.start, args.stage, groups)
    print(f"   warm-up: {warm.requests} requests, p99 {warm.p99_ms:.0f} ms (not judged)")
    with desk.at_work(front=front, every=args.edit_every) as saves:

        def stage_at(rate: float) -> Stage:
            stage = run_stage(front, rate, plan.stage_seconds(rate, args.stage), groups)
            print(stage_line(stage))
            time.sleep(1)  # the last stage's slow answers out of the way
            return stage

        stages, highest = plan.step_up(args.rates, stage_at, lambda s: s.judged())
    sources: dict[str, int] = {}
    for stage in stages:
        for source, count in stage.sources.items():
            sources[source] = sources.get(source, 0) + count
    for save in saves:
        shown = _seconds(save["visible_after_s"])
        print(f"   editor: {save['action']} {save['path']}: answered {save['status']} in "
              f"{save['save_s']:.2f} s, shown after {shown}")  # fmt: skip
    return FrontFigures(
        front=name,
        stages=stages,
        highest_rate=highest,
        ladder_top_passed=bool(stages) and stages[-1].passed,
        sources=sources,
        saves=saves,
    )


def prime(front: str, groups: list[dict], *, times: int = 4) -> None:
    """Every page of the mix but the long tail, ``times`` times, two at once (so each
    gunicorn worker gets its share)."""
    paths = [p for g in groups if g["name"] != "long tail" for p in g["paths"]] * times
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for answer in pool.map(lambda path: get(front, path), paths):
            if answer.status != 200:
                raise BenchError(f"{front}: a page of the mix answered {answer.status}")


def _seconds(value: float | None) -> str:
    return "never (10 s)" if value is None else f"{value:.2f} s"


# --- report ----------------------------------------------------------------------------


def target_lines(figures: list[FrontFigures], limit_rps: float) -> list[tuple[bool, str]]:
    lines = []
    for f in figures:
        if f.highest_rate is None:
            lines.append((False, f"{f.front}: no rate held p99 ≤ 100 ms with 0 errors"))
        else:
            top = " (the ladder's top: the limit is higher)" if f.ladder_top_passed else ""
            share = f", {f.highest_rate / limit_rps:.0%} of /ok" if limit_rps else ""
            text = f"{f.front}: {f.highest_rate:.0f} req/s with p99 ≤ 100 ms, 0 errors{share}{top}"
            lines.append((True, text))
        shown = f.visible_after()
        seen = [s for s in shown if s is not None]
        ok = bool(shown) and len(seen) == len(shown) and max(seen) <= plan.VISIBLE_TARGET_S
        worst = _seconds(max(seen)) if len(seen) == len(shown) and seen else "never"
        lines.append((ok, f"{f.front}: {len(shown)} saves, publication to visibility at "
                          f"most {worst} (target ≤ {plan.VISIBLE_TARGET_S:.0f} s)"))  # fmt: skip
        saved = all(s["status"] == 302 for s in f.saves)
        lines.append((saved, f"{f.front}: every admin save answered 302"))
    return lines


def report(figures: list[FrontFigures], limit_rps: float, args, machine: str) -> bool:
    print(f"\n== Summary ({machine})\n")
    print(f"PostgreSQL, {args.articles:,} articles, page cache on, gunicorn 2 sync workers; "
          f"Locust {args.stage:.0f} s stages; /ok limit {limit_rps:.0f} req/s (wrk)")  # fmt: skip
    for f in figures:
        total = sum(f.sources.values()) or 1
        shares = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(f.sources.items()))
        print(f"  {f.front}: answered without a render {f.answered_from_copy:.0%} ({shares})")
    lines = target_lines(figures, limit_rps)
    print("Targets:")
    for met, text in lines:
        print(f"  {'met   ' if met else 'MISSED'} {text}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": machine,
        "articles": args.articles,
        "stage_seconds": args.stage,
        "edit_every_s": args.edit_every,
        "limit_ok_rps": limit_rps,
        "fronts": [asdict(f) | {"answered_from_copy": f.answered_from_copy} for f in figures],
        "targets": [{"met": met, "text": text} for met, text in lines],
        "target_met": all(met for met, _ in lines),
    }
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures saved to {args.json}")
    return data["target_met"]


# --- main ------------------------------------------------------------------------------


def check_tools(args) -> None:
    check_virtualenv()
    if not LOCUST.exists():
        raise BenchError(f"{LOCUST} missing: run 'make install' (Locust is a dev dependency)")
    ensure_wrk()
    if "nginx" in args.fronts and not shutil.which("nginx", path="/usr/sbin:" + os.environ["PATH"]):
        raise BenchError("nginx not found: install it with 'apt-get install nginx' (as root)")


def mix_groups(found: dict) -> list[dict]:
    searches = ["/search/?q=" + urllib.parse.quote(q) for q in SEARCHES]
    groups = plan.build_mix(
        newest=[quote_path(p) for p in found["newest"]],
        entities=[quote_path(p) for p in found["entities"]],
        all_articles=[quote_path(p) for p in found["all"]],
        searches=searches,
    )
    return plan.groups_to_json(groups)


def main() -> int:
    args = parse_args()
    check_tools(args)
    ensure_postgres_server()
    machine = machine_summary(with_postgres=True)
    print(f"== {machine}")
    collectstatic()
    db = prepare_corpus(args.articles, "postgresql", reuse=args.reuse)
    try:
        # nginx's port 80 server redirects to HTTPS in the deployment, not the application
        # (production.py: SECURE_SSL_REDIRECT=0): so /ok answers wrk and the start-up check.
        env = portal_env(db.url) | {"SECURE_SSL_REDIRECT": "0"}
        manage_in(env, "setup_roles", "--verbosity", "0")
        shell(env, EDITOR_SCRIPT)
        found = json.loads(shell(env, PAGES_SCRIPT))
        groups = mix_groups(found)
        print("   mix: " + ", ".join(
            f"{g['name']} {g['weight']}% ({len(g['paths'])} pages)" for g in groups
        ))  # fmt: skip
        with gunicorn(env) as base:
            limit = run_wrk(base + "/ok", duration="3s", connections=4)
            print(f"== the limit: /ok {limit.rps:.0f} req/s through gunicorn (wrk, 4 connections)")
            newest = [quote_path(p) for p in found["newest"]]
            desk = Desk(EditorSite(base, env), newest=newest, ids=found["newest_ids"])
            figures = []
            with contextlib.ExitStack() as stack:
                for name in args.fronts:
                    front = base
                    if name == "nginx":
                        front = stack.enter_context(micro_cached(base))
                    figures.append(measure_front(name, front, args, groups, desk))
        # A missed target is a figure like the others (make bench goes on): see the JSON.
        report(figures, limit.rps, args, machine)
        return 0
    finally:
        drop_working_copies([db])


if __name__ == "__main__":
    script_main(main)
