"""Refusals, lost connections and silence: retried later, or marked failed with the answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from following import sending
from following.mail import compose as composing
from following.models import Delivery
from following.tests.send_factories import DeliveryFactory
from following.tests.smtp_server import free_port


def fresh(delivery: Delivery) -> Delivery:
    delivery.refresh_from_db()
    return delivery


def test_a_temporary_refusal_is_retried_later_and_then_sent(db, smtp_server):
    delivery = DeliveryFactory()
    smtp_server.refuse("451 4.3.0 Try again later")

    sending.send_due()

    delivery = fresh(delivery)
    assert delivery.status == Delivery.Status.RETRYING
    assert delivery.last_response == "451 4.3.0 Try again later"
    assert delivery.next_attempt_at > timezone.now()
    assert sending.send_due() == 0, "not before its time"

    assert sending.send_due(now=delivery.next_attempt_at + timedelta(seconds=1)) == 1
    delivery = fresh(delivery)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.attempts == 2
    assert len(smtp_server.messages) == 1


def test_each_retry_waits_longer(db, settings):
    settings.FOLLOWING_RETRY_SECONDS = 60
    waits = [sending.backoff(attempts) for attempts in (1, 2, 3, 4)]

    assert all(
        timedelta(seconds=45) * 2**i <= wait <= timedelta(seconds=75) * 2**i
        for i, wait in enumerate(waits)
    )


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_a_permanent_refusal_fails_at_once_with_the_answer(db, smtp_server, stage):
    delivery = DeliveryFactory(reader__email="nobody@mail.example.org")
    smtp_server.refuse("550 5.1.1 <nobody@mail.example.org>: user unknown", stage=stage)

    sending.send_due()

    delivery = fresh(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_response == "550 5.1.1 <адрес>: user unknown"
    assert delivery.attempts == 1 and delivery.next_attempt_at is None


def test_a_dropped_connection_is_retried_and_the_rest_of_the_batch_sent(db, smtp_server):
    first, dropped, last = DeliveryFactory.create_batch(3)
    smtp_server.drop(to=dropped.reader.email)

    assert sending.send_due() == 2

    assert fresh(dropped).status == Delivery.Status.RETRYING
    assert fresh(dropped).last_response == "соединение разорвано сервером"
    assert {fresh(first).status, fresh(last).status} == {Delivery.Status.SENT}
    assert [m["To"] for m in smtp_server.messages] == [first.reader.email, last.reader.email]


def test_a_server_that_stops_answering_times_out_and_is_retried(db, smtp_server, settings):
    # Long enough for the other message on a loaded machine, short for the test.
    settings.EMAIL_TIMEOUT = 2
    stalled, other = DeliveryFactory.create_batch(2)
    smtp_server.stall(30, to=stalled.reader.email)

    sending.send_due()

    assert fresh(stalled).status == Delivery.Status.RETRYING
    assert fresh(stalled).last_response == "сервер не ответил за 2 с"
    assert fresh(other).status == Delivery.Status.SENT


def test_temporary_refusals_fail_after_the_last_attempt(db, smtp_server, settings):
    settings.FOLLOWING_MAX_ATTEMPTS = 3
    delivery = DeliveryFactory()
    smtp_server.refuse("421 4.7.0 Too many messages, slow down", times=None)

    later = timezone.now()
    for _ in range(3):
        sending.send_due(now=later)
        later = (fresh(delivery).next_attempt_at or later) + timedelta(seconds=1)

    delivery = fresh(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == 3
    assert delivery.last_response == "421 4.7.0 Too many messages, slow down"
    assert sending.send_due(now=later + timedelta(days=1)) == 0


def test_an_unreachable_server_puts_the_whole_batch_off(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    deliveries = DeliveryFactory.create_batch(3)

    report = sending.send_round()

    assert report.retrying == 3
    for delivery in deliveries:
        assert fresh(delivery).last_response == "сервер не принимает соединений"


def test_a_message_that_cannot_be_composed_fails_where_editors_see_it(db, smtp_server, monkeypatch):
    def broken(delivery):
        raise KeyError("template")

    monkeypatch.setitem(composing.RENDERERS, Delivery.Kind.CONFIRM, broken)
    delivery = DeliveryFactory()

    sending.send_due()

    delivery = fresh(delivery)
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.last_response == "письмо не составлено: KeyError"
