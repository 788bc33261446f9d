"""Asking to follow: the reader and subscription kept, the confirmation mail queued,
and the hourly limits per address and per client."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from following import jobs
from following.cleanup import remove_unconfirmed
from following.models import ConfirmationRequest, Delivery, Reader, Subscription
from following.signup import Outcome, confirm_reader, normalise_address, request_follow
from following.tests.factories import ConfirmedReaderFactory, SubscriptionFactory
from following.tokens import private_hash

ADDRESS = "Aibek.Test@Pochta.Example"
STORED = "Aibek.Test@pochta.example"
CLIENT = "198.51.100.7"


@pytest.fixture
def queued_sends(monkeypatch):
    """Each sending round queued (instead of a job for the worker)."""
    rounds: list[str] = []
    monkeypatch.setattr(jobs, "enqueue_send", lambda: rounds.append("send") or "task")
    return rounds


def follow(*, email=ADDRESS, target_id=7, frequency="daily", client=CLIENT, now=None):
    return request_follow(
        email=email,
        kind="companies",
        target_id=target_id,
        frequency=frequency,
        client_address=client,
        now=now,
    )


def test_the_domain_is_lowered_the_mailbox_kept():
    assert normalise_address("  Aibek.Test@Pochta.EXAMPLE ") == STORED


@pytest.mark.parametrize(
    "wrong",
    ["", "aibek", "aibek@", "@pochta.example", "a b@c.example", "a@" + "b" * 60 + ".example" * 25],
)
def test_what_is_no_address_is_refused(wrong):
    with pytest.raises(ValidationError):
        normalise_address(wrong)


def test_a_request_keeps_the_reader_an_unconfirmed_subscription_and_queues_the_mail(
    db, queued_sends, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert follow() is Outcome.MAIL_QUEUED
    reader = Reader.objects.get()
    assert reader.email == STORED and reader.confirmed_at is None
    subscription = reader.subscriptions.get()
    assert (subscription.target_kind, subscription.target_id) == ("companies", 7)
    assert subscription.confirmed_at is None
    assert reader.deliveries.get().kind == Delivery.Kind.CONFIRM
    assert queued_sends == ["send"]


def test_the_sending_round_is_queued_only_once_the_transaction_commits(db, queued_sends):
    follow()  # the test's transaction never commits
    assert queued_sends == []
    assert Delivery.objects.count() == 1


def test_the_limits_keep_only_keyed_hashes(db, queued_sends):
    follow()
    request = ConfirmationRequest.objects.get()
    assert request.address_hash == private_hash(STORED)
    assert request.client_hash == private_hash(CLIENT)
    assert STORED.lower() not in request.address_hash + request.client_hash


def test_asking_again_changes_the_frequency_of_a_subscription_still_waiting(db, queued_sends):
    follow(frequency="daily")
    follow(frequency="instant")
    assert Subscription.objects.get().frequency == "instant"
    assert Delivery.objects.filter(kind=Delivery.Kind.CONFIRM).count() == 2


def test_a_confirmed_subscription_is_left_as_the_reader_set_it(db, queued_sends):
    reader = ConfirmedReaderFactory(email=STORED)
    SubscriptionFactory(reader=reader, target_id=7, frequency="weekly")
    follow(frequency="instant")
    subscription = Subscription.objects.get()
    assert subscription.frequency == "weekly"
    assert subscription.confirmed_at is not None


def test_a_new_subscription_of_a_confirmed_reader_waits_for_its_own_confirmation(db, queued_sends):
    ConfirmedReaderFactory(email=STORED)
    follow(target_id=8)
    assert Subscription.objects.get(target_id=8).confirmed_at is None
    assert Delivery.objects.filter(kind=Delivery.Kind.CONFIRM).count() == 1


def test_over_the_address_limit_the_request_is_kept_but_no_mail_goes(db, queued_sends, settings):
    settings.FOLLOWING_CONFIRMATIONS_PER_ADDRESS = 3
    outcomes = [follow(target_id=n, client=f"198.51.100.{n}") for n in range(1, 5)]
    assert outcomes == [Outcome.MAIL_QUEUED] * 3 + [Outcome.ADDRESS_LIMITED]
    assert all(outcome.looks_sent for outcome in outcomes)
    assert Delivery.objects.count() == 3
    # The fourth subscription waits; the mails already sent confirm it.
    assert Subscription.objects.filter(confirmed_at__isnull=True).count() == 4


def test_the_address_limit_counts_the_last_hour_only(db, queued_sends, settings):
    settings.FOLLOWING_CONFIRMATIONS_PER_ADDRESS = 1
    earlier = timezone.now() - dt.timedelta(minutes=61)
    assert follow(now=earlier) is Outcome.MAIL_QUEUED
    assert follow() is Outcome.MAIL_QUEUED


def test_the_address_limit_holds_whatever_the_letter_case(db, queued_sends, settings):
    settings.FOLLOWING_CONFIRMATIONS_PER_ADDRESS = 1
    follow(email="aibek@pochta.example")
    assert follow(email="aibek@POCHTA.example", target_id=8) is Outcome.ADDRESS_LIMITED


def test_over_the_client_limit_nothing_is_kept(db, queued_sends, settings):
    settings.FOLLOWING_CONFIRMATIONS_PER_CLIENT = 2
    follow(email="one@pochta.example")
    follow(email="two@pochta.example")
    assert follow(email="three@pochta.example") is Outcome.CLIENT_LIMITED
    assert not Reader.objects.filter(email="three@pochta.example").exists()
    assert ConfirmationRequest.objects.count() == 2
    assert follow(email="three@pochta.example", client="203.0.113.9") is Outcome.MAIL_QUEUED


def test_confirming_confirms_the_reader_and_every_waiting_subscription(db, queued_sends):
    follow(target_id=7)
    follow(target_id=8)
    reader = Reader.objects.get()
    assert confirm_reader(reader=reader) == 2
    reader.refresh_from_db()
    assert reader.confirmed_at is not None
    assert not reader.subscriptions.filter(confirmed_at__isnull=True).exists()


def test_an_unconfirmed_address_lives_as_long_as_its_newest_link(db, queued_sends, settings):
    settings.FOLLOWING_CONFIRM_DAYS = 3
    first = timezone.now() - dt.timedelta(days=2)
    follow(now=first)
    follow()
    assert remove_unconfirmed(now=first + dt.timedelta(days=3, hours=1)) == 0
    assert Reader.objects.exists()
