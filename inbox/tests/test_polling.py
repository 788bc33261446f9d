"""One poll: the lease, validators and 304s, the health it leaves, the backoff."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from inbox import leases
from inbox.errors import FeedError, FetchError
from inbox.leases import BACKOFF_CAP, backoff, claim, release
from inbox.models import InboxItem, Source
from inbox.polling import poll

from .factories import SourceFactory, entry
from .stand_ins import Parsed, fake_sources_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_successful_poll_stores_items_and_records_health(fake_sources):
    source = SourceFactory(interval=15)
    fake_sources.answers[source.address] = [entry(1), entry(2)]
    before = timezone.now()
    report = poll(source.pk)
    source.refresh_from_db()
    assert report.outcome == "polled" and report.counts.new == 2
    assert source.items_received == 2 and source.consecutive_failures == 0
    assert source.last_success_at >= before and source.last_new_item_at >= before
    assert source.next_poll_at == source.last_attempt_at + timedelta(minutes=15)
    assert source.etag and source.claimed_until is None and source.claimed_by == ""


def test_the_validators_are_sent_back_and_an_unchanged_feed_is_a_304(fake_sources):
    source = SourceFactory()
    fake_sources.answers[source.address] = [entry(1)]
    poll(source.pk)
    etag = Source.objects.get().etag
    report = poll(source.pk, force=True)
    assert fake_sources.requests[-1] == (source.address, etag, "")
    assert report.outcome == "not_modified" and "304" in report.line()
    source.refresh_from_db()
    assert source.etag == etag and source.items_received == 1
    assert source.last_success_at == source.last_attempt_at


def test_skipped_entries_are_reported_on_the_source(fake_sources):
    source = SourceFactory()
    fake_sources.answers[source.address] = Parsed(
        [entry(1)], skipped=["Запись №2 без заголовка и текста: пропущена."]
    )
    report = poll(source.pk)
    source.refresh_from_db()
    assert report.counts.new == 1
    assert source.last_skipped == "Запись №2 без заголовка и текста: пропущена."
    assert "1 entries skipped" in report.line()


def test_a_failure_is_written_in_russian_and_the_next_poll_backs_off(fake_sources):
    source = SourceFactory(interval=10)
    message = "Сервер не ответил за 10 секунд: проверьте адрес или повторите позже."
    fake_sources.answers[source.address] = FetchError(message)
    report = poll(source.pk)
    source.refresh_from_db()
    assert report.outcome == "failed" and report.line().endswith(message)
    assert source.last_error == message and source.consecutive_failures == 1
    assert source.next_poll_at == source.last_attempt_at + timedelta(minutes=20)
    assert source.last_success_at is None and source.claimed_by == ""
    poll(source.pk, force=True)
    source.refresh_from_db()
    assert source.consecutive_failures == 2
    assert source.next_poll_at == source.last_attempt_at + timedelta(minutes=40)


def test_success_after_failures_clears_the_error_and_the_backoff(fake_sources):
    source = SourceFactory(interval=10, consecutive_failures=4, last_error="Старая ошибка.")
    fake_sources.answers[source.address] = [entry(1)]
    poll(source.pk, force=True)
    source.refresh_from_db()
    assert (source.consecutive_failures, source.last_error) == (0, "")
    assert source.next_poll_at == source.last_attempt_at + timedelta(minutes=10)


def test_the_backoff_doubles_up_to_its_cap():
    source = Source(interval=30)
    assert [backoff(source, failures=n) for n in (0, 1, 2, 3)] == [
        timedelta(minutes=m) for m in (30, 60, 120, 240)
    ]
    assert backoff(source, failures=50) == BACKOFF_CAP
    daily = Source(interval=24 * 60)
    assert backoff(daily, failures=3) == timedelta(days=1)


def test_one_broken_source_never_stops_the_others(fake_sources):
    broken, healthy = SourceFactory(), SourceFactory()
    fake_sources.answers[broken.address] = FeedError("Это HTML-страница, а не лента.")
    fake_sources.answers[healthy.address] = [entry(1)]
    assert poll(broken.pk).outcome == "failed"
    assert poll(healthy.pk).counts.new == 1
    assert InboxItem.objects.get().source == healthy


def test_a_defect_is_recorded_on_the_source_and_raised_for_the_job_runner(fake_sources):
    source = SourceFactory()
    fake_sources.answers[source.address] = ZeroDivisionError("bug")
    with pytest.raises(ZeroDivisionError):
        poll(source.pk)
    source.refresh_from_db()
    assert "ZeroDivisionError" in source.last_error and source.consecutive_failures == 1
    assert source.claimed_until is None


def test_a_source_not_due_is_polled_only_when_forced(fake_sources):
    source = SourceFactory(next_poll_at=timezone.now() + timedelta(minutes=5))
    fake_sources.answers[source.address] = [entry(1)]
    assert poll(source.pk).outcome == "busy"
    assert fake_sources.requests == []
    assert poll(source.pk, force=True).counts.new == 1


def test_an_inactive_source_is_not_claimed_unless_forced():
    source = SourceFactory(active=False)
    now = timezone.now()
    assert claim(source.pk, now=now) is None
    assert claim(source.pk, now=now, force=True)


def test_a_held_lease_keeps_a_second_worker_out_until_it_expires(fake_sources):
    source = SourceFactory()
    now = timezone.now()
    holder = claim(source.pk, now=now)
    assert holder and claim(source.pk, now=now, force=True) is None
    fake_sources.answers[source.address] = [entry(1)]
    assert poll(source.pk, force=True).outcome == "busy"
    assert fake_sources.requests == []
    later = now + leases.LEASE + timedelta(seconds=1)
    second = claim(source.pk, now=later, force=True)
    assert second and second != holder


def test_a_worker_whose_lease_expired_does_not_overwrite_the_new_holders_outcome():
    source = SourceFactory()
    now = timezone.now()
    stale = claim(source.pk, now=now)
    fresh = claim(source.pk, now=now + leases.LEASE + timedelta(seconds=1), force=True)
    assert not release(source.pk, holder=stale, last_error="устарело")
    source.refresh_from_db()
    assert source.claimed_by == fresh and source.last_error == ""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_workers_on_postgresql_one_claim_wins():
    source = SourceFactory()
    start = threading.Barrier(8)

    def attempt(_):
        start.wait()
        try:
            return claim(source.pk, now=timezone.now())
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        holders = [holder for holder in pool.map(attempt, range(8)) if holder]
    assert len(holders) == 1
    assert Source.objects.get().claimed_by == holders[0]
