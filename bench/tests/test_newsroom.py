"""The newsroom load test's plan: its arguments, the visitors' mix and the ladder of rates."""

import random
from collections import Counter

import pytest

from bench import newsroom_plan as plan
from bench.newsroom import parse_args

# Pure functions: no database, run once.
pytestmark = pytest.mark.once


def make_mix(**weights):
    return plan.build_mix(
        newest=[f"/news/new-{n}/" for n in range(10)],
        entities=["/companies/a/", "/companies/b/"],
        all_articles=[f"/news/old-{n}/" for n in range(500)],
        searches=["/search/?q=x"],
        weights=weights or None,
    )


def test_the_mix_sends_visits_in_the_shares_of_its_groups():
    picker = plan.Picker(make_mix(), random.Random(7))
    picks = Counter(picker.pick()[0] for _ in range(20_000))
    total = sum(plan.WEIGHTS.values())
    for group, weight in plan.WEIGHTS.items():
        assert picks[group] / 20_000 == pytest.approx(weight / total, abs=0.015)


def test_newer_articles_get_more_visits_and_the_long_tail_is_even():
    picker = plan.Picker(make_mix(newest=1, **{"long tail": 1}), random.Random(3))
    picks = [picker.pick() for _ in range(20_000)]
    newest = Counter(path for group, path in picks if group == "newest")
    assert newest["/news/new-0/"] > 2 * newest["/news/new-3/"] > 0
    tail = Counter(path for group, path in picks if group == "long tail")
    assert len(tail) > 450  # nearly every one of the 500 old articles


def test_an_empty_group_with_visits_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'entities' has no pages"):
        plan.build_mix(newest=["/n/"], entities=[], all_articles=["/a/"], searches=["/s"])


def test_groups_survive_the_trip_through_json():
    groups = make_mix()
    assert plan.groups_from_json(plan.groups_to_json(groups)) == groups


def test_the_ladder_multiplies_the_rate_up_to_the_top():
    assert plan.ladder(start=25, factor=2, maximum=400) == [25, 50, 100, 200, 400]
    with pytest.raises(ValueError, match="factor"):
        plan.ladder(start=25, factor=1, maximum=400)


def test_a_slow_rate_runs_longer_so_that_p99_is_not_the_slowest_answer():
    assert plan.stage_seconds(10, 5) == 21
    assert plan.stage_seconds(400, 5) == 5


def test_stepping_up_stops_at_the_first_failing_stage():
    asked = []

    def run_stage(rate):
        asked.append(rate)
        return {"rate": rate, "p99": 40 if rate < 100 else 150}

    def verdict(stage):
        return plan.judge(
            rate=stage["rate"], achieved=stage["rate"], requests=10, failures=0,
            p99_ms=stage["p99"],
        )  # fmt: skip

    stages, highest = plan.step_up([25, 50, 100, 200], run_stage, verdict)
    assert (asked, highest) == ([25, 50, 100], 50)
    assert len(stages) == 3


@pytest.mark.parametrize(
    ("achieved", "failures", "p99_ms", "reason"),
    [
        (100, 0, 99, ""),
        (100, 1, 50, "1 errors"),
        (100, 0, 101, "p99 101 ms > 100 ms"),
        (80, 0, 50, "only 80 of 100 req/s sent"),
    ],
)
def test_a_stage_passes_with_p99_within_100_ms_no_error_and_the_rate_held(
    achieved, failures, p99_ms, reason
):
    verdict = plan.judge(
        rate=100, achieved=achieved, requests=500, failures=failures, p99_ms=p99_ms
    )
    assert (verdict.ok, verdict.reason) == (reason == "", reason)


def test_quick_is_the_short_form_on_a_thousand_articles():
    args = parse_args(["--quick"])
    assert (args.articles, args.stage, args.factor) == (1000, 5.0, 2.0)
    assert args.rates[0] == 20 and args.fronts == ["gunicorn", "nginx"]


def test_an_unknown_front_is_refused(capsys):
    with pytest.raises(SystemExit):
        parse_args(["--fronts", "gunicorn,apache"])
    assert "--fronts takes gunicorn and/or nginx" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("edge", "page_cache", "source"),
    [
        ("HIT", "MISS", "edge"),
        ("STALE", "", "edge"),
        ("MISS", "HIT", "page cache"),
        ("", "HIT", "page cache"),
        ("EXPIRED", "MISS", "rendered"),
        ("", "", "rendered"),
    ],
)
def test_who_answered_comes_from_the_cache_headers(edge, page_cache, source):
    assert plan.source_of(edge, page_cache) == source
