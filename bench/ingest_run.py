"""The child side of ``bench/ingest.py``: one database, the feeds served, the pipeline run.

Runs with Django set up on a migrated database (``DATABASE_URL``). It loads the
seed catalog, writes the stories with ``bench/corpus``'s generator (so the
linker finds the catalog's names in them), serves the feeds from a real HTTP
server on 127.0.0.1 (``inbox/tests/feed_server.py``), adds one source per feed,
and ingests them one of two ways:

- ``inprocess``: the job functions the worker runs (``inbox.jobs.poll_source``,
  which links the items it stored, then ``suggest_items`` on each poll's new
  items), called here, with each stage timed (fetch, parse, store/dedup/group,
  link, suggest);
- ``worker``: the polls queued as jobs and a real ``manage.py qcluster`` started,
  which runs them and the suggestion jobs they queue; timed by the tasks' own
  records.

Then every source is polled again (all unchanged: 304s), and what was stored is
checked against the plan. The figures are printed as JSON on the last line.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from bench.ingest_feeds import Plan, Story, plan_feeds, render, stories_needed
from bench.ingest_stories import sentences_of, story

STAGES = ("fetch", "parse", "store", "link", "suggest")


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @contextmanager
    def stage(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def wrap(self, module, attribute: str, name: str) -> None:
        """Time every call of ``module.attribute`` as stage ``name`` (this process only)."""
        original = getattr(module, attribute)

        def timed(*args, **kwargs):
            with self.stage(name):
                return original(*args, **kwargs)

        setattr(module, attribute, timed)


def synthetic_stories(count: int, *, seed: int) -> list[Story]:
    """``count`` stories, each with facts of its own (``bench/ingest_stories.py``) and
    sentences of a corpus article naming the catalog's entities."""
    from articles.linking import build_matcher
    from bench.corpus import Generator

    generator = Generator(matcher=build_matcher(), seed=seed)
    stories = []
    for index in range(1, count + 1):
        article = generator.article(index)
        paragraphs = [text for kind, text in article.blocks if kind == "paragraph"]
        sentences = sentences_of(article.lead, *paragraphs[:-1])  # the last: the disclaimer
        stories.append(story(index, corpus_sentences=sentences))
    return stories


def make_plan(*, sources: int, items: int, shared: int, seed: int) -> Plan:
    needed = stories_needed(items=items, shared=shared, tellers=3)
    stories = synthetic_stories(needed, seed=seed)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return plan_feeds(stories, sources=sources, items=items, shared=shared, seed=seed, now=now)


def serve(plan: Plan):
    from inbox.tests.feed_server import FeedServer

    server = FeedServer().start()
    for feed in plan.feeds:
        body = render(feed, base_url=server.url(feed.path))
        # An ETag and a Last-Modified, as a real server's: the second poll sends them back.
        server.feed(
            feed.path,
            body,
            content_type=feed.content_type,
            etag=f'"feed-{feed.number}-v1"',
            last_modified=time.time() - 3600,
        )
    return server


def add_sources(plan: Plan, server) -> list[int]:
    from inbox.models import Source

    return [
        Source.objects.create(
            name=feed.name, kind=feed.kind, address=server.url(feed.path), interval=15
        ).pk
        for feed in plan.feeds
    ]


def run_inprocess(source_ids: list[int], *, suggest: bool) -> dict:
    """The worker's jobs, called here in turn: each poll (which links its items),
    then the suggestions, as the worker would pick them from the queue."""
    from inbox import fetching, jobs, linking, parsing, polling

    timings = Timings()
    timings.wrap(fetching, "fetch", "fetch")
    timings.wrap(parsing, "parse", "parse")
    timings.wrap(polling, "ingest", "store")
    timings.wrap(linking, "link_items", "link")
    started, cpu_started = time.perf_counter(), time.process_time()
    polls = [jobs.poll_source(source_id, force=True) for source_id in source_ids]
    linked_at = time.perf_counter() - started
    cpu_to_linked = time.process_time() - cpu_started
    if suggest:
        for report in polls:
            with timings.stage("suggest"):
                jobs.suggest_items(report["counts"]["changed_ids"])
    return {
        "mode": "inprocess",
        "seconds_to_linked": linked_at,
        "cpu_seconds_to_linked": cpu_to_linked,
        "seconds_to_all_done": time.perf_counter() - started,
        "stages": timings.seconds,
        "polls": [_poll_summary(report) for report in polls],
    }


def _poll_summary(report: dict) -> dict:
    counts = {k: v for k, v in report["counts"].items() if k != "changed_ids"}
    counts["skipped"] = len(counts["skipped"])
    return {"source_id": report["source_id"], "outcome": report["outcome"], **counts}


def run_worker(source_ids: list[int], *, suggest: bool, timeout: float) -> dict:
    """The polls queued, and a real ``manage.py qcluster`` until every job is done."""
    from django.utils import timezone
    from django_q.models import OrmQ, Task

    from inbox import jobs
    from inbox.models import Source

    started = time.perf_counter()
    enqueued = timezone.now()
    for source in Source.objects.filter(pk__in=source_ids):
        jobs.enqueue_poll(source, force=True)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        env=os.environ,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    # A poll links its items before it returns: all polls done, all items linked.
    wanted = {jobs.POLL: len(source_ids)}
    try:
        linked_at = _wait_for_tasks(worker, wanted, timeout=timeout, started=started)
        if suggest:
            wanted[jobs.SUGGEST] = len(source_ids)
            _wait_for_tasks(worker, wanted, timeout=timeout, started=started)
        done_at = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
    tasks = list(
        Task.objects.order_by("started").values(
            "func", "started", "stopped", "success", "result", "attempt_count"
        )
    )
    failed = [t["func"] for t in tasks if not t["success"]]
    if failed:
        raise RuntimeError(f"jobs failed in the worker: {Counter(failed)}")
    # django-q2 keeps when a job was queued ("started") and when it ended, not when a
    # process took it: each kind of job is timed by when its last one ended.
    last_ended = defaultdict(float)
    for task in tasks:
        name = task["func"].rsplit(".", 1)[1]
        last_ended[name] = max(last_ended[name], (task["stopped"] - enqueued).total_seconds())
    polls = [t["result"] for t in tasks if t["func"] == jobs.POLL]
    return {
        "mode": "worker",
        "seconds_to_linked": linked_at,
        "cpu_seconds_to_linked": None,  # the work is the worker's processes'; this one waits
        "seconds_to_all_done": done_at,
        "worker_processes": int(os.environ.get("WORKER_PROCESSES", "2")),
        "jobs_done_at": dict(last_ended),
        "last_queued_jobs": OrmQ.objects.count(),
        "polls": [_poll_summary(report) for report in polls],
        # Each job in the order queued: seconds from the polls' queueing to its end.
        "jobs": [
            {
                "job": task["func"].rsplit(".", 1)[1],
                "attempts": task["attempt_count"],
                "queued": (task["started"] - enqueued).total_seconds(),
                "ended": (task["stopped"] - enqueued).total_seconds(),
            }
            for task in tasks
        ],
    }


def _wait_for_tasks(worker, wanted: dict[str, int], *, timeout: float, started: float) -> float:
    """Until the worker has run ``wanted`` jobs of each function; seconds since ``started``."""
    from django_q.models import Task

    while True:
        if worker.poll() is not None:
            raise RuntimeError(f"qcluster exited:\n{worker.stderr.read().decode()[-3000:]}")
        done = Counter(Task.objects.values_list("func", flat=True))
        if all(done[func] >= count for func, count in wanted.items()):
            return time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the worker ran {dict(done)} of {wanted} in {timeout:.0f} s")
        time.sleep(0.05)


def poll_again(source_ids: list[int]) -> dict:
    """Every source polled once more, the worker's way, its feed unchanged."""
    from inbox import jobs

    started = time.perf_counter()
    outcomes = Counter(jobs.poll_source(pk, force=True)["outcome"] for pk in source_ids)
    return {"seconds": time.perf_counter() - started, "outcomes": dict(outcomes)}


def stored(plan: Plan) -> dict:
    """What the inbox holds against what the plan sent: items, groups, links."""
    from inbox.models import InboxItem, ItemEntity, ItemSuggestion

    story_of = {item.url: item.story for feed in plan.feeds for item in feed.items}
    tellings = Counter(story_of.values())
    groups: dict[int, set[int]] = defaultdict(set)
    grouped_items: dict[int, set[int]] = defaultdict(set)  # story: its items' groups
    for url, group_id in InboxItem.objects.values_list("url", "group_id"):
        if group_id is not None:
            groups[group_id].add(story_of[url])
        grouped_items[story_of[url]].add(group_id)
    shared = [story for story, count in tellings.items() if count > 1]
    return {
        "items": InboxItem.objects.count(),
        "items_with_entities": InboxItem.objects.filter(entity_links__isnull=False)
        .distinct()
        .count(),
        "entity_links": ItemEntity.objects.count(),
        "suggestions": ItemSuggestion.objects.count(),
        "groups": len(groups),
        "grouped_items": InboxItem.objects.filter(group__isnull=False).count(),
        # A shared story is found when all its tellings are in one group.
        "shared_stories": len(shared),
        "shared_stories_grouped": sum(1 for story in shared if _one_group(grouped_items[story])),
        # A group holding items of different stories is a false merge.
        "groups_mixing_stories": sum(1 for stories in groups.values() if len(stories) > 1),
    }


def _one_group(groups: set[int | None]) -> bool:
    return len(groups) == 1 and None not in groups


def main(options: dict) -> dict:
    """The whole child run; ``options`` as the parent passes them (JSON)."""
    import django

    django.setup()
    from articles.seeding import DEFAULT_CATALOG, load_catalog

    load_catalog(DEFAULT_CATALOG)
    plan = make_plan(
        sources=options["sources"],
        items=options["items"],
        shared=options["shared"],
        seed=options["seed"],
    )
    server = serve(plan)
    try:
        source_ids = add_sources(plan, server)
        if options["mode"] == "worker":
            first = run_worker(source_ids, suggest=options["suggest"], timeout=options["timeout"])
        else:
            first = run_inprocess(source_ids, suggest=options["suggest"])
        first["second_poll"] = poll_again(source_ids)
        first["requests"] = len(server.requests)
    finally:
        server.stop()
    first["stored"] = stored(plan)
    first["load_average"] = os.getloadavg()
    first["plan"] = {
        "sources": len(plan.feeds),
        "items": plan.items,
        "stories": plan.stories_needed(),
        "shared_stories": plan.shared_stories,
        "tellers": plan.tellers,
        "kinds": dict(Counter(feed.kind for feed in plan.feeds)),
        "feed_bytes": sum(len(render(f, base_url="http://127.0.0.1/")) for f in plan.feeds),
    }
    return first
