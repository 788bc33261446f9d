"""Addresses and subscriptions never confirmed are forgotten after FOLLOWING_CONFIRM_DAYS."""

import datetime as dt

import pytest
from django.utils import timezone
from django_q.models import Schedule

from following import jobs
from following.cleanup import remove_unconfirmed
from following.models import ConfirmationRequest, Delivery, Reader, Subscription
from following.tests.factories import ConfirmedReaderFactory, ReaderFactory, SubscriptionFactory

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def three_days(settings):
    settings.FOLLOWING_CONFIRM_DAYS = 3


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def test_an_unconfirmed_reader_goes_with_everything_after_the_days(db):
    old = ReaderFactory(created_at=days_ago(3.01))
    SubscriptionFactory(reader=old, confirmed_at=None)
    Delivery.objects.create(reader=old, kind=Delivery.Kind.CONFIRM, period="p")
    recent = ReaderFactory(created_at=days_ago(2.9))
    assert remove_unconfirmed(now=NOW) == 1
    assert list(Reader.objects.all()) == [recent]
    assert not Subscription.objects.exists() and not Delivery.objects.exists()


def test_a_confirmed_reader_stays_however_old(db):
    reader = ConfirmedReaderFactory(created_at=days_ago(400))
    assert remove_unconfirmed(now=NOW) == 0
    assert Reader.objects.get() == reader


def test_an_old_unconfirmed_subscription_of_a_confirmed_reader_goes_alone(db):
    reader = ConfirmedReaderFactory(created_at=days_ago(30))
    kept = SubscriptionFactory(reader=reader, target_id=1, created_at=days_ago(30))
    SubscriptionFactory(reader=reader, target_id=2, confirmed_at=None, created_at=days_ago(4))
    waiting = SubscriptionFactory(
        reader=reader, target_id=3, confirmed_at=None, created_at=days_ago(1)
    )
    assert remove_unconfirmed(now=NOW) == 1
    assert set(reader.subscriptions.all()) == {kept, waiting}


def test_the_limits_requests_go_after_an_hour(db):
    for minutes in (59, 61):
        ConfirmationRequest.objects.create(
            address_hash="a", client_hash="c", created_at=NOW - dt.timedelta(minutes=minutes)
        )
    remove_unconfirmed(now=NOW)
    assert ConfirmationRequest.objects.get().created_at == NOW - dt.timedelta(minutes=59)


def test_the_job_removes_by_the_current_time(db):
    ReaderFactory(created_at=timezone.now() - dt.timedelta(days=4))
    assert jobs.remove_unconfirmed() == 1


def test_the_worker_runs_the_cleanup_daily(db):
    schedule = Schedule.objects.get(name=jobs.CLEANUP_SCHEDULE)
    assert schedule.func == "following.jobs.remove_unconfirmed"
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1
