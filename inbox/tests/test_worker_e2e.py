"""End to end: real workers (``manage.py qcluster``) polling real sources on a
database of the pass's kind, as `make run` and the worker unit run them."""

import threading
import time
from pathlib import Path

from inbox.tests.feed_server import answer_feed
from portal.tests.backups import new_database  # noqa: F401  (the fixture)

from .workers import worker_site_fixture  # noqa: F401

# The worker's minute schedule runs when the worker starts, then every minute.
FIRST_POLL = 120

SEED = """date 2026-11-02 Завод «Восток-Металл» запустил линию стального профиля{n}.

Директор завода Айбек Токтосунов рассказал, что линия работает в три смены.
"""

STATE = """
import json
from inbox.models import InboxItem, ItemEntity, Source
from django_q.models import Success
source = Source.objects.get()
state = {
    "items": InboxItem.objects.count(),
    "linked": ItemEntity.objects.count(),
    "received": source.items_received,
    "success": source.last_success_at is not None,
    "error": source.last_error,
    "jobs": sorted(set(Success.objects.values_list("func", flat=True))),
}
"""


def when(condition: str) -> str:
    """Code that prints the state once ``condition`` (on ``state``) holds, else 0."""
    return STATE + f"print(json.dumps(state if {condition} else 0))"


CATALOG = """
from companies.models import Company
Company.objects.create(name="Восток-Металл", slug="vostok-metall")
print("[]")
"""


def test_a_worker_polls_a_folder_source_stores_and_links_its_items(worker_site, tmp_path):
    folder = tmp_path / "agency"
    folder.mkdir()
    for n in (1, 2):
        (folder / f"item-{n}.txt").write_text(SEED.format(n=" №" + str(n) * 3))
    worker_site.query(CATALOG)
    worker_site.manage("add_source", str(folder), "--kind", "folder", "--name", "Агентство")
    worker_site.start_worker("a")
    state = worker_site.wait_for(
        # The poll's own record is written once the job returns, after its linking.
        when("state['linked'] == 2 and 'inbox.jobs.poll_source' in state['jobs']"),
        seconds=FIRST_POLL,
        what="the folder's two items stored and linked by the worker",
    )
    assert (state["items"], state["received"], state["error"]) == (2, 2, "")
    assert state["linked"] == 2 and state["success"]
    assert {"inbox.jobs.enqueue_due_sources", "inbox.jobs.poll_source"} <= set(state["jobs"])
    # The poll linked its items itself: no linking job waited in the queue.
    assert "inbox.jobs.link_items" not in state["jobs"]


FEED = (Path(__file__).parent / "feeds" / "rss.xml").read_bytes()
POLLS = """
import json
from django_q.models import Success
polls = Success.objects.filter(func="inbox.jobs.poll_source").order_by("started")
results = [task.result for task in polls]
print(json.dumps(results if len(results) >= {count} else 0))
"""
# Nothing queued, nothing running: every poll's outcome is in.
DRAINED = """
from django_q.models import OrmQ
from inbox.models import Source
print("true" if not OrmQ.objects.exists() and Source.objects.get().claimed_until is None else "0")
"""
ENQUEUE_FORCED = """
from inbox import jobs
from inbox.models import Source
source = Source.objects.get()
for _ in range({count}):
    jobs.enqueue_poll(source, force=True)
print("[]")
"""


def test_a_worker_polls_a_feed_and_an_unchanged_feed_costs_a_304(worker_site, feed_server):
    route = feed_server.feed("/rss", FEED, etag='"v1"')
    worker_site.manage("add_source", feed_server.url("/rss"), "--kind", "rss")
    worker_site.start_worker("a")
    state = worker_site.wait_for(
        when("state['success']"), seconds=FIRST_POLL, what="the feed polled by the worker"
    )
    assert state["items"] == state["received"] == 3 and state["error"] == ""
    worker_site.manage("ingest")  # the polls queued for the worker, as an operator would
    polls = worker_site.wait_for(
        POLLS.format(count=2), seconds=60, what="a second poll by the worker"
    )
    assert [poll["outcome"] for poll in polls] == ["polled", "not_modified"]
    second = feed_server.requests[-1]
    assert second.path == "/rss" and second.headers.get("If-None-Match") == '"v1"'
    assert route.sent == len(FEED)  # the second answer had no body: a 304
    assert worker_site.query(when("True"))["items"] == 3


class Overlaps:
    """A slow route that counts the requests it is answering at the same moment."""

    def __init__(self, seconds: float):
        self.seconds, self.now, self.most, self.lock = seconds, 0, 0, threading.Lock()

    def answer(self, handler, route):
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(self.seconds)
            answer_feed(handler, route)
        finally:
            with self.lock:
                self.now -= 1


def test_two_workers_never_fetch_one_source_at_once(worker_site, feed_server):
    feed_server.feed("/rss", FEED, etag='"v1"')
    overlaps = Overlaps(seconds=4)
    feed_server.add("/rss", overlaps.answer, **feed_server.route("/rss").options)
    worker_site.manage("add_source", feed_server.url("/rss"), "--kind", "rss", "--interval", "60")
    worker_site.start_worker("a")
    worker_site.start_worker("b")
    worker_site.wait_for(when("state['success']"), seconds=FIRST_POLL, what="the first poll")
    before = len(worker_site.query(POLLS.format(count=0)))
    hits_before = feed_server.hits("/rss")
    worker_site.query(ENQUEUE_FORCED.format(count=6))
    worker_site.wait_for(POLLS.format(count=before + 6), seconds=120, what="six more polls")
    worker_site.wait_for(DRAINED, seconds=60, what="the queue drained")
    polls = worker_site.query(POLLS.format(count=0))
    outcomes = [poll["outcome"] for poll in polls[before:]]
    assert overlaps.most == 1, "two workers fetched the source at the same time"
    # The polls ran side by side: the ones that found the source leased let it be.
    assert "busy" in outcomes
    assert feed_server.hits("/rss") - hits_before == len(outcomes) - outcomes.count("busy")
    assert worker_site.query(when("True"))["items"] == 3
