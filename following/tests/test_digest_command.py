"""``manage.py send_digests [--now]``: makes what is due, sends it, says how much."""

import datetime as dt
import email
import email.policy

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from companies.tests.factories import CompanyFactory
from following import jobs
from following.models import Delivery, Frequency
from following.tests.digest_factories import ReaderFactory, article_about, follow


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


# 12:00 in Bishkek on Monday 8 December 2025: the clock the command reads in these tests.
NOON_IN_BISHKEK = dt.datetime(2025, 12, 8, 6, 0, tzinfo=dt.UTC)
YESTERDAY_IN_BISHKEK = dt.datetime(2025, 12, 7, 6, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock_and_outbox(monkeypatch, settings):
    monkeypatch.setattr(timezone, "now", lambda: NOON_IN_BISHKEK)


def test_now_sends_yesterdays_digest_whatever_the_hour_and_only_once(db):
    company = CompanyFactory()
    reader = ReaderFactory(digest_hour=20)
    follow(reader, company)
    article = article_about(company, published_at=YESTERDAY_IN_BISHKEK)

    first = run("--now")
    second = run("--now")

    assert len(mail.outbox) == 1
    (message,) = mail.outbox
    assert message.to == [reader.email]
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert article.title in parsed.get_body(preferencelist=("plain",)).get_content()
    assert "made 1 (instant 0, daily 1, weekly 0), sent 1" in first
    assert "made 0 (instant 0, daily 0, weekly 0), sent 0" in second


def test_without_now_a_digest_waits_for_the_readers_hour(db):
    company = CompanyFactory()
    follow(ReaderFactory(digest_hour=20), company)
    article_about(company, published_at=YESTERDAY_IN_BISHKEK)

    output = run()

    assert mail.outbox == [] and "made 0" in output


def test_an_alert_goes_out_at_once_with_the_headline_as_subject(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company, frequency=Frequency.INSTANT)
    article = article_about(company, published_at=NOON_IN_BISHKEK - dt.timedelta(minutes=1))

    output = run()

    assert [m.subject for m in mail.outbox] == [article.title]
    assert "sent 1" in output
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_dry_run_makes_and_sends_nothing(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company, frequency=Frequency.INSTANT)
    article_about(company, published_at=NOON_IN_BISHKEK - dt.timedelta(minutes=1))

    output = run("--dry-run")

    assert "would make 1" in output
    assert Delivery.objects.count() == 0 and mail.outbox == []


def test_the_job_queues_a_sending_round_only_when_it_made_something(db, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "enqueue_send", lambda: queued.append(1))
    company = CompanyFactory()
    follow(ReaderFactory(), company, frequency=Frequency.INSTANT)

    assert jobs.send_digests()["instant"] == 0 and queued == []
    article_about(company, published_at=NOON_IN_BISHKEK - dt.timedelta(minutes=1))
    assert jobs.send_digests()["instant"] == 1 and queued == [1]


def test_the_minute_schedule_runs_the_job(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name=jobs.DIGESTS_SCHEDULE)

    assert (schedule.func, schedule.schedule_type, schedule.minutes) == (
        "following.jobs.send_digests",
        Schedule.MINUTES,
        1,
    )
