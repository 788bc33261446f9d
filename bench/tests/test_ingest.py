"""bench/ingest.py: the feeds it serves are what it promises, and its report says so."""

import datetime as dt
import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from bench.ingest import target_lines
from bench.ingest_feeds import KINDS, MARK, Story, plan_feeds, render, stories_needed
from bench.ingest_stories import firm_name, story
from inbox import similarity
from inbox.parsing import parse
from portal.tests.bench_scripts import FOREIGN_ENV, ROOT

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
CORPUS_SENTENCES = ["Тестовый завод 7 получил новые заказы.", "Спрос на Testmark 3 растёт."]


def plain_stories(count: int) -> list[Story]:
    return [story(n, corpus_sentences=CORPUS_SENTENCES) for n in range(count)]


def benchmark_plan():
    needed = stories_needed(items=1000, shared=100, tellers=3)
    return plan_feeds(plain_stories(needed), sources=20, items=1000, shared=100, now=NOW)


def test_the_plan_has_the_promised_items_sources_kinds_and_shared_stories():
    plan = benchmark_plan()

    assert plan.items == 1000
    assert [len(feed.items) for feed in plan.feeds] == [50] * 20
    assert Counter(feed.kind for feed in plan.feeds) == dict.fromkeys(KINDS, 5)
    tellers = {}
    for feed in plan.feeds:
        for item in feed.items:
            tellers.setdefault(item.story, []).append(feed.number)
    shared = {story: sources for story, sources in tellers.items() if len(sources) > 1}
    assert len(shared) == 100
    assert all(len(set(sources)) == 3 for sources in shared.values())
    assert len(tellers) == 1000 - 200
    items = [item for feed in plan.feeds for item in feed.items]
    assert len({item.url for item in items}) == len({item.guid for item in items}) == 1000


def test_a_plan_with_too_few_stories_is_refused():
    with pytest.raises(ValueError, match="need 800 stories"):
        plan_feeds(plain_stories(10), sources=20, items=1000, shared=100, now=NOW)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_feed_reads_back_whole(kind):
    plan = plan_feeds(plain_stories(30), sources=4, items=36, shared=3, now=NOW)
    (feed,) = [feed for feed in plan.feeds if feed.kind == kind]

    parsed = parse(render(feed, base_url="http://127.0.0.1/"), kind=kind,
                   content_type=feed.content_type)  # fmt: skip

    assert parsed.skipped == []
    assert [entry.url for entry in parsed.entries] == [item.url for item in feed.items]
    first, entry = feed.items[0], parsed.entries[0]
    assert (entry.title, entry.lead) == (first.title, first.lead)
    assert entry.body.endswith(MARK)
    assert entry.published == first.published


def test_retellings_read_as_one_story_and_other_stories_do_not():
    plan = plan_feeds(plain_stories(40), sources=6, items=40, shared=5, now=NOW)
    items = [item for feed in plan.feeds for item in feed.items]

    def fingerprint(item):
        return similarity.signature("\n\n".join([item.title, item.lead, *item.blocks]))

    tellings = [item for item in items if item.story == 0]
    others = [item for item in items if item.story != 0]
    first = fingerprint(tellings[0])
    assert len(tellings) == 3
    assert all(similarity.same_story(first, [(1, fingerprint(t))]) for t in tellings[1:])
    assert similarity.content_key(tellings[0].title, "") != similarity.content_key(
        tellings[1].title, ""
    )
    matched = similarity.same_story(first, [(n, fingerprint(o)) for n, o in enumerate(others)])
    assert len(matched) <= 1  # generated texts share template words; nearly never a story


def test_firms_are_invented_and_distinct():
    names = [firm_name(n) for n in range(1000)]
    assert len(set(names)) == 1000


def figures(*, seconds: float, second_poll: float, outcomes: dict, items: int = 1000) -> dict:
    return {
        "database": "sqlite",
        "mode": "inprocess",
        "seconds_to_linked": seconds,
        "second_poll": {"seconds": second_poll, "outcomes": outcomes},
        "stored": {
            "items": items,
            "items_with_entities": items,
            "entity_links": 2 * items,
            "groups": 90,
            "shared_stories": 100,
            "shared_stories_grouped": 100,
            "groups_mixing_stories": 0,
        },
    }


def test_the_report_says_met_or_missed_for_each_target():
    fast = figures(seconds=10.0, second_poll=0.5, outcomes={"not_modified": 20})
    slow = figures(seconds=40.0, second_poll=1.5, outcomes={"not_modified": 19, "polled": 1})

    met = target_lines([fast], items=1000, sources=20)
    missed = target_lines([slow], items=1000, sources=20)

    assert [line.split()[0] for line in met] == ["met", "met", "met", "met", "info"]
    assert "100 items/s end to end (≥ 50)" in met[0]
    assert [line.split()[0] for line in missed] == ["MISSED", "MISSED", "met", "met", "info"]
    assert "25 items/s" in missed[0] and "1.50 s" in missed[1]


def test_an_item_stored_twice_or_missing_is_missed():
    short = figures(seconds=10.0, second_poll=0.5, outcomes={"not_modified": 20}, items=990)
    assert target_lines([short], items=1000, sources=20)[2].startswith("MISSED")


@pytest.mark.once  # its own folders and processes, whatever the test database is
def test_the_script_runs_end_to_end_and_writes_its_figures(tmp_path):
    out = tmp_path / "ingest.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith(FOREIGN_ENV)}
    result = subprocess.run(
        [sys.executable, ROOT / "bench" / "ingest.py", "--quick", "--database", "sqlite",
         "--items", "24", "--sources", "4", "--shared", "2", "--json", out],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    (run,) = json.loads(out.read_text())["runs"]
    assert run["stored"]["items"] == 24, result.stdout + result.stderr
    assert run["stored"]["items_with_entities"] > 0
    assert run["stored"]["shared_stories_grouped"] == 2
    assert run["second_poll"]["outcomes"] == {"not_modified": 4}
    assert [poll["new"] for poll in run["polls"]] == [6, 6, 6, 6]
