"""Instant alerts: each article once per reader, when its time comes, never before."""

import datetime as dt

from django.utils import timezone

from articles.models import Article
from companies.tests.factories import CompanyFactory, CountryFactory
from following.digests.build import build_due
from following.models import AlertWatermark, Delivery, Frequency
from following.tests.digest_factories import ReaderFactory, article_about, follow

INSTANT = Frequency.INSTANT


def alerts() -> list[tuple[int, str, list[int]]]:
    rows = Delivery.objects.filter(kind="instant").order_by("reader_id", "period")
    return [(d.reader_id, d.period, d.article_ids) for d in rows]


def test_a_new_article_is_alerted_once_to_each_follower(db):
    company, country = CompanyFactory(), CountryFactory()
    one, two = ReaderFactory(), ReaderFactory()
    follow(one, company, country, frequency=INSTANT)
    follow(two, country, frequency=INSTANT)
    article = article_about(company, country, published_at=timezone.now() - dt.timedelta(minutes=2))

    first = build_due()
    second = build_due()

    assert alerts() == [
        (one.pk, f"a{article.pk}", [article.pk]),
        (two.pk, f"a{article.pk}", [article.pk]),
    ]
    assert (first.made["instant"], second.total) == (2, 0)


def test_a_scheduled_article_is_alerted_only_after_its_time(db, monkeypatch):
    company = CompanyFactory()
    follow(ReaderFactory(), company, frequency=INSTANT)
    now = timezone.now()
    article = article_about(company, published_at=now + dt.timedelta(hours=1))

    build_due(now=now)
    assert alerts() == []

    later = now + dt.timedelta(hours=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the clock ``published()`` reads
    build_due(now=later)
    build_due(now=later + dt.timedelta(minutes=1))

    assert [period for _, period, _ in alerts()] == [f"a{article.pk}"]


def test_the_watermark_moves_to_the_newest_article_handled(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company, frequency=INSTANT)
    newest = timezone.now() - dt.timedelta(minutes=1)
    article_about(company, published_at=newest - dt.timedelta(minutes=5))
    article_about(company, published_at=newest)

    build_due()

    assert AlertWatermark.objects.get(name="instant").handled_until == newest
    assert len(alerts()) == 2


def test_drafts_unconfirmed_readers_and_other_frequencies_get_no_alert(db):
    company = CompanyFactory()
    follow(ReaderFactory(confirmed_at=None), company, frequency=INSTANT)
    follow(ReaderFactory(), company, frequency=INSTANT, confirmed_at=None)
    follow(ReaderFactory(), company, frequency=Frequency.DAILY)
    follow(ReaderFactory(), company, frequency=INSTANT)
    recent = timezone.now() - dt.timedelta(minutes=2)
    article_about(company, published_at=recent, status=Article.Status.DRAFT)

    build_due()

    assert alerts() == []


def test_an_article_out_before_the_subscription_is_not_alerted(db):
    company = CompanyFactory()
    now = timezone.now()
    follow(ReaderFactory(), company, frequency=INSTANT, confirmed_at=now - dt.timedelta(minutes=1))
    article_about(company, published_at=now - dt.timedelta(minutes=5))

    build_due(now=now)

    assert alerts() == []
