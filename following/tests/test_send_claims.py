"""Claims: two rounds never send one message twice; a dead round's messages go out later."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from following import jobs, sending
from following.models import Delivery
from following.tests.send_factories import DeliveryFactory


def lease() -> timezone.datetime:
    return timezone.now() + timedelta(minutes=15)


def test_a_claimed_message_is_not_claimed_again(db):
    deliveries = DeliveryFactory.create_batch(3)
    now = timezone.now()

    first = sending.claim(limit=10, now=now, lease_until=lease())
    second = sending.claim(limit=10, now=now, lease_until=lease())

    assert sorted(first) == sorted(d.pk for d in deliveries)
    assert second == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENDING}


def test_a_claim_left_by_a_dead_round_is_taken_again(db, smtp_server):
    expired = DeliveryFactory(
        status=Delivery.Status.SENDING, claimed_until=timezone.now() - timedelta(minutes=1)
    )

    assert sending.send_due() == 1

    expired.refresh_from_db()
    assert expired.status == Delivery.Status.SENT
    assert [m["To"] for m in smtp_server.messages] == [expired.reader.email]


def test_one_round_sends_at_a_time_so_the_rate_holds_for_all_workers(db, smtp_server):
    held = DeliveryFactory(status=Delivery.Status.SENDING, claimed_until=lease())
    waiting = DeliveryFactory()

    assert sending.send_round().claimed == 0

    Delivery.objects.filter(pk=held.pk).update(status=Delivery.Status.SENT, claimed_until=None)
    assert sending.send_round().claimed == 1
    assert [m["To"] for m in smtp_server.messages] == [waiting.reader.email]


def test_a_slow_rate_makes_rounds_that_fit_the_jobs_time_limit(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 300}
    settings.FOLLOWING_BATCH_SIZE, settings.FOLLOWING_SEND_RATE = 200, 0.5

    assert sending.batch_size() == 75


def test_a_reader_who_left_during_the_round_does_not_stop_it(db, smtp_server, monkeypatch):
    leaving, staying = DeliveryFactory.create_batch(2)
    send_one = sending.send_one

    def send_and_leave(delivery, mail, **options):
        verdict = send_one(delivery, mail, **options)
        if delivery.pk == leaving.pk:
            delivery.reader.delete()
        return verdict

    monkeypatch.setattr(sending, "send_one", send_and_leave)

    assert sending.send_round().sent == 2
    assert Delivery.objects.get(pk=staying.pk).status == Delivery.Status.SENT


def test_a_round_that_lost_its_claim_leaves_the_message_alone(db, smtp_server):
    mine, lost = DeliveryFactory.create_batch(2)
    until = lease()
    sending.claim(limit=10, now=timezone.now(), lease_until=until)
    # Another round took this one after our lease ran out.
    Delivery.objects.filter(pk=lost.pk).update(claimed_until=until + timedelta(minutes=1))

    batch = list(Delivery.objects.select_related("reader").order_by("pk"))
    report = sending.send_batch(batch, lease_until=until, now=timezone.now)

    assert report.sent == 1
    assert [m["To"] for m in smtp_server.messages] == [mine.reader.email]


def test_failed_and_sent_messages_are_never_taken(db, smtp_server):
    DeliveryFactory(status=Delivery.Status.SENT, sent_at=timezone.now())
    DeliveryFactory(status=Delivery.Status.FAILED, last_response="550 5.1.1 user unknown")

    assert sending.send_round().claimed == 0
    assert smtp_server.messages == []


def test_a_full_batch_queues_the_next_round(db, smtp_server, settings, monkeypatch):
    settings.FOLLOWING_BATCH_SIZE = 2
    queued = []
    monkeypatch.setattr(jobs, "enqueue_send", lambda: queued.append(1))
    DeliveryFactory.create_batch(3)

    assert jobs.send_due() == 2
    assert queued == [1]
    assert jobs.send_due() == 1
    assert queued == [1], "a batch that was not full leaves the rest to the schedule"


@pytest.mark.postgres
def test_concurrent_rounds_never_send_a_message_twice(transactional_db, smtp_server, settings):
    settings.FOLLOWING_BATCH_SIZE = 5
    DeliveryFactory.create_batch(30)
    unsent = Delivery.objects.exclude(status=Delivery.Status.SENT)
    errors = []

    def worker():
        # Every worker keeps starting rounds until all is sent, so claims race.
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline and unsent.exists():
                sending.send_round()
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    received = Counter(m["To"] for m in smtp_server.messages)
    assert len(received) == 30 and set(received.values()) == {1}
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 30
