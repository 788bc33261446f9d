"""The jobs: the minute's schedule, polls queued per due source, a poll's items linked
before it returns (with the articles' linker) and their suggestions queued."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import OrmQ, Schedule
from django_q.signing import SignedPackage

from companies.tests.factories import CompanyFactory, OfficialFactory
from inbox import jobs, linking
from inbox.models import InboxItem, ItemEntity
from inbox.storing import ingest

from .factories import SourceFactory, entry
from .stand_ins import fake_sources_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def queued() -> list[tuple[str, tuple]]:
    """The queue's jobs: (function, arguments)."""
    tasks = [SignedPackage.loads(row.payload) for row in OrmQ.objects.order_by("pk")]
    return [(task["func"], task["args"], task["kwargs"]) for task in tasks]


def test_the_minute_schedule_exists_after_migrating():
    schedule = Schedule.objects.get(name=jobs.DUE_SOURCES_SCHEDULE)
    assert schedule.func == "inbox.jobs.enqueue_due_sources"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (
        Schedule.MINUTES,
        1,
        -1,
    )


def test_only_active_due_and_free_sources_are_queued():
    now = timezone.now()
    due = SourceFactory(next_poll_at=now - timedelta(minutes=1))
    SourceFactory(next_poll_at=now + timedelta(minutes=5))
    SourceFactory(active=False, next_poll_at=now - timedelta(minutes=1))
    SourceFactory(next_poll_at=now - timedelta(minutes=1), claimed_until=now + timedelta(minutes=3))
    expired = SourceFactory(
        next_poll_at=now - timedelta(minutes=1), claimed_until=now - timedelta(minutes=1)
    )
    assert jobs.enqueue_due_sources() == 2
    assert sorted(args for _, args, _ in queued()) == sorted([(due.pk,), (expired.pk,)])
    assert {func for func, _, _ in queued()} == {jobs.POLL}


def test_a_poll_links_its_new_items_and_queues_only_their_suggestions(fake_sources):
    firm = CompanyFactory(name="Восток-Металл", slug="vostok-metall")
    source = SourceFactory()
    fake_sources.answers[source.address] = [entry(1), entry(2)]
    result = jobs.poll_source(source.pk)
    assert result["outcome"] == "polled" and result["counts"]["new"] == 2
    ids = sorted(InboxItem.objects.values_list("pk", flat=True))
    # Linked when the poll returns: no job of its own to wait for behind slow ones.
    assert not InboxItem.objects.filter(linked_hash="").exists()
    assert InboxItem.objects.mentioning(firm).get().guid == "urn:test:1"
    assert [(func, sorted(args[0])) for func, args, _ in queued()] == [(jobs.SUGGEST, ids)]


def test_the_relinking_job_links_items_queued_to_it():
    firm = CompanyFactory(name="Восток-Металл", slug="vostok-metall")
    ids = ingest(SourceFactory(), [entry(1)]).changed_ids
    assert jobs.link_items(ids) == 1
    assert list(InboxItem.objects.mentioning(firm).values_list("pk", flat=True)) == ids


def test_an_unchanged_poll_queues_nothing(fake_sources):
    source = SourceFactory()
    fake_sources.answers[source.address] = [entry(1)]
    jobs.poll_source(source.pk)
    OrmQ.objects.all().delete()
    jobs.poll_source(source.pk, force=True)
    assert queued() == []


def test_items_are_linked_with_the_articles_linker_and_found_by_entity():
    firm = CompanyFactory(name="Восток-Металл", slug="vostok-metall")
    director = OfficialFactory(name="Айбек Токтосунов", slug="aibek-toktosunov")
    other = CompanyFactory(name="Талас Агро", slug="talas-agro")
    source = SourceFactory()
    counts = ingest(source, [entry(1)])
    assert linking.link_items(item_ids=counts.changed_ids) == 1
    item = InboxItem.objects.get()
    assert set(InboxItem.objects.mentioning(firm)) == {item}
    assert set(InboxItem.objects.mentioning(director)) == {item}
    assert not InboxItem.objects.mentioning(other).exists()
    # Positions as the article admin highlights them: headline text 0, «Восток-Металл».
    first = item.mentions[0]
    assert first[0] == 0 and item.title[first[1] : first[2]] == "Восток-Металл"
    assert first[3:] == ["companies.company", firm.pk]


def test_linking_again_is_a_no_op_until_the_text_changes():
    firm = CompanyFactory(name="Восток-Металл", slug="vostok-metall")
    director = OfficialFactory(name="Айбек Токтосунов", slug="aibek-toktosunov")
    source = SourceFactory()
    ids = ingest(source, [entry(1)]).changed_ids
    linking.link_items(item_ids=ids)
    assert linking.link_items(item_ids=ids) == 0
    ids = ingest(source, [entry(1, title="На заводе в Токмоке запустили новую линию")]).changed_ids
    assert linking.link_items(item_ids=ids) == 1
    assert not InboxItem.objects.mentioning(firm).exists()
    assert InboxItem.objects.mentioning(director).count() == 1
    assert ItemEntity.objects.count() == 1


def test_names_the_catalog_lacks_are_suggested_per_item():
    CompanyFactory(name="Восток-Металл", slug="vostok-metall")
    source = SourceFactory()
    ids = ingest(source, [entry(1)]).changed_ids
    assert jobs.suggest_items(ids) >= 1
    item = InboxItem.objects.get()
    names = {(s.name, s.kind) for s in item.suggestions.all()}
    assert ("Айбек Токтосунов", "person") in names
    assert not any(name == "Восток-Металл" for name, _ in names)
    # Again: replaced, not added twice.
    jobs.suggest_items(ids)
    assert item.suggestions.count() == len(names)
