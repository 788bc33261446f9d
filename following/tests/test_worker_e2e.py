"""End to end: readers' mail made and sent by a real worker (``manage.py qcluster``)
to a real SMTP server on 127.0.0.1, on a database of the pass's kind.

The test process is the portal's web side (Django's test client) on the worker's
own database, and reads what the worker did straight from it. Nothing here calls a
sending function: the confirmation mail goes through the job queue, alerts and
digests through the worker's minute schedules. django-q's scheduler looks at its
schedules every 30 s; the tests set a schedule's next run to the moment they want
it (as a minute passing would) rather than wait for its minute."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from django_q.models import OrmQ, Schedule, Success

from companies.tests.factories import CompanyFactory
from following import jobs
from following.models import Delivery, Frequency, Subscription
from following.tests.digest_factories import ReaderFactory, article_about, follow
from following.tests.follow_helpers import LINK, parts
from portal.tests.backups import new_database  # noqa: F401  (the fixture)
from portal.tests.workers import Site

SITE_URL = "https://novosti.example"
# Generous: the scheduler's first look comes 30 s after the worker starts, on a loaded machine.
DEADLINE = 150
ADDRESS = "aibek.test@pochta.example"
SENT = Delivery.Status.SENT
# The scheduler names a scheduled job's group after its schedule.
MINUTE_SCHEDULES = (jobs.DIGESTS_SCHEDULE, jobs.SEND_SCHEDULE)


@pytest.fixture
def mail_site(new_database, tmp_path, smtp_server, django_db_blocker):  # noqa: F811
    """A migrated database whose workers send through ``smtp_server``; this test
    process works on that database too (``Site.in_this_process``)."""
    site = Site(
        new_database("following"),
        tmp_path,
        EMAIL_URL=f"smtp://{smtp_server.host}:{smtp_server.port}",
        SITE_URL=SITE_URL,
        # The web side's key: the links the worker signs are the ones its pages accept.
        SECRET_KEY=settings.SECRET_KEY,
        # The first retry a second after a refusal, not five minutes.
        FOLLOWING_RETRY_SECONDS="1",
    )
    with site.in_this_process(django_db_blocker):
        try:
            yield site
        finally:
            site.stop_workers()


def schedule_at(name: str, when: dt.datetime) -> None:
    """The named schedule's next run at ``when`` (django-q runs it at its first look after)."""
    assert Schedule.objects.filter(name=name).update(next_run=when) == 1


def post_follow(client, company, *, frequency: str = "daily"):
    path = f"/follow/companies/{company.slug}/"
    return client.post(path, {"email": ADDRESS, "frequency": frequency})


def confirm_link(message) -> str:
    (url,) = [url for url in LINK.findall(parts(message)["text/plain"]) if "/confirm/" in url]
    return url


def test_the_worker_sends_the_confirmation_and_its_link_confirms(mail_site, smtp_server, client):
    company = CompanyFactory(name="Степной Автозавод")
    mail_site.start_worker("a")
    assert post_follow(client, company).status_code == 200
    (message,) = mail_site.wait_until(
        lambda: smtp_server.messages, seconds=DEADLINE, what="the confirmation mail received"
    )
    assert message["To"] == ADDRESS
    url = confirm_link(message)
    assert url.startswith(f"{SITE_URL}/follow/confirm/")  # the worker's SITE_URL
    assert client.post(urlsplit(url).path).status_code == 200
    subscription = Subscription.objects.select_related("reader").get()
    assert subscription.confirmed_at is not None and subscription.reader.confirmed_at is not None
    assert Delivery.objects.get().status == SENT


def zone_at_midday(now: dt.datetime) -> str:
    """A time zone where ``now`` is between 12:00 and 13:00: its previous day stays
    «yesterday» for the test's minutes, whatever the hour or the machine's zone."""
    offset = 12 - now.astimezone(dt.UTC).hour  # -11 … +12
    # POSIX signs: Etc/GMT-5 is five hours ahead of UTC.
    return f"Etc/GMT{-offset:+d}" if offset else "Etc/UTC"


def further_round_done(since: dt.datetime) -> bool:
    """Both minute schedules ran again after ``since``, and no job is queued or running
    (the database queue keeps a job until it is done), and nothing waits to be sent."""
    ran = Success.objects.filter(started__gte=since)
    return (
        all(ran.filter(group=name).exists() for name in MINUTE_SCHEDULES)
        and not OrmQ.objects.exists()
        and not Delivery.objects.exclude(status=SENT).exists()
    )


def readers_and_articles(*, now: dt.datetime):
    """A daily reader whose hour is now and an instant one, following one company;
    an article of the daily reader's yesterday and one a minute old."""
    company = CompanyFactory(name="Восточный Литейный Завод")
    zone = zone_at_midday(now)
    local_hour = now.astimezone(ZoneInfo(zone)).hour
    daily = ReaderFactory(email="daily@pochta.example", time_zone=zone, digest_hour=local_hour)
    follow(daily, company, frequency=Frequency.DAILY)
    instant = ReaderFactory(email="instant@pochta.example")
    # Confirmed after yesterday's article: only the fresh one is news to it.
    confirmed = now - dt.timedelta(minutes=5)
    follow(
        instant, company, frequency=Frequency.INSTANT, created_at=confirmed, confirmed_at=confirmed
    )
    yesterday = article_about(
        company, title="Вчерашняя новость", published_at=now - dt.timedelta(days=1)
    )
    fresh = article_about(
        company, title="Свежая новость", published_at=now - dt.timedelta(minutes=1)
    )
    return daily, instant, yesterday, fresh


def test_the_minute_schedule_alerts_and_digests_once(mail_site, smtp_server):
    now = timezone.now()
    daily, instant, yesterday, fresh = readers_and_articles(now=now)
    for name in MINUTE_SCHEDULES:
        schedule_at(name, now)
    mail_site.start_worker("a")
    mail_site.wait_until(
        lambda: len(smtp_server.received) >= 2, seconds=DEADLINE, what="an alert and a digest"
    )
    since = timezone.now()
    for name in MINUTE_SCHEDULES:
        schedule_at(name, since)
    mail_site.wait_until(
        lambda: further_round_done(since), seconds=DEADLINE, what="a further round of both jobs"
    )
    received = smtp_server.received
    assert sorted(each.recipients[0] for each in received) == [daily.email, instant.email]
    alert, digest = (
        next(each.message for each in received if each.recipients == [reader.email])
        for reader in (instant, daily)
    )
    assert alert["Subject"] == fresh.title
    # Folded on the wire after the colon: mail clients unfold it and drop the space.
    assert alert["List-Unsubscribe"].strip().startswith(f"<{SITE_URL}/follow/unsubscribe/")
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    digest_text = parts(digest)["text/plain"]
    assert yesterday.title in digest_text and fresh.title not in digest_text
    assert digest["List-Unsubscribe"].strip().startswith(f"<{SITE_URL}/follow/unsubscribe/")
    kinds = sorted(Delivery.objects.values_list("kind", flat=True))
    assert kinds == [Delivery.Kind.DAILY, Delivery.Kind.INSTANT]


def test_a_refused_message_is_retried_by_the_worker(mail_site, smtp_server, client):
    company = CompanyFactory(name="Степной Автозавод")
    smtp_server.refuse("451 4.3.0 Try again later", times=1)
    # The minute's sending round held back until the test lets the minute pass.
    schedule_at(jobs.SEND_SCHEDULE, timezone.now() + dt.timedelta(days=1))
    mail_site.start_worker("a")
    assert post_follow(client, company).status_code == 200
    delivery = mail_site.wait_until(
        lambda: Delivery.objects.filter(status=Delivery.Status.RETRYING).first(),
        seconds=DEADLINE,
        what="the refused confirmation put off for a retry",
        every=0.5,
    )
    assert delivery.last_response.startswith("451 4.3.0 Try again later")
    assert delivery.attempts == 1 and delivery.next_attempt_at is not None
    assert smtp_server.messages == []
    schedule_at(jobs.SEND_SCHEDULE, delivery.next_attempt_at)
    (message,) = mail_site.wait_until(
        lambda: smtp_server.messages, seconds=DEADLINE, what="the retry received"
    )
    assert message["To"] == ADDRESS
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (SENT, 2)
    assert delivery.last_response.startswith("250")
