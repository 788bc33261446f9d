"""Who gets which digest, and when: due readers, each article once, one record per period.

The dates are fixed and in the past (``published()`` compares with the real clock).
"""

import datetime as dt

import pytest
from django.db import IntegrityError

from articles.models import Article, Tag
from companies.tests.factories import CompanyFactory, CountryFactory, OfficialFactory
from following.digests.build import build_due
from following.models import Delivery, Frequency
from following.tests.digest_factories import ReaderFactory, article_about, follow

UTC = dt.UTC
# 12:00 in Bishkek (UTC+6), 09:00 in Moscow (UTC+3) on Monday 8 December 2025.
NOON_IN_BISHKEK = dt.datetime(2025, 12, 8, 6, 0, tzinfo=UTC)


def utc(*parts) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def records(**filters) -> list[Delivery]:
    return list(Delivery.objects.filter(**filters).order_by("reader_id", "period"))


def test_a_daily_digest_lists_the_readers_local_day(db):
    company = CompanyFactory()
    bishkek = ReaderFactory(time_zone="Asia/Bishkek")
    moscow = ReaderFactory(time_zone="Europe/Moscow")
    follow(bishkek, company)
    follow(moscow, company)
    early = article_about(company, published_at=utc(2025, 12, 6, 19))  # 7th in Bishkek only
    late = article_about(company, published_at=utc(2025, 12, 7, 19))  # 7th in Moscow only

    build_due(now=NOON_IN_BISHKEK)

    made = {d.reader_id: (d.kind, d.period, d.article_ids) for d in records()}
    assert made == {
        bishkek.pk: ("daily", "2025-12-07", [early.pk]),
        moscow.pk: ("daily", "2025-12-07", [late.pk]),
    }


def test_a_daily_digest_across_the_berlin_dst_change_covers_the_23_hour_day(db):
    company = CompanyFactory()
    follow(ReaderFactory(time_zone="Europe/Berlin"), company)
    first = article_about(company, published_at=utc(2025, 3, 29, 23, 30))  # 00:30 CET, 30th
    last = article_about(company, published_at=utc(2025, 3, 30, 21, 30))  # 23:30 CEST, 30th
    article_about(company, published_at=utc(2025, 3, 30, 22, 30))  # 00:30 CEST, 31st
    article_about(company, published_at=utc(2025, 3, 29, 22, 30))  # 23:30 CET, 29th

    build_due(now=utc(2025, 3, 31, 12))

    (digest,) = records()
    assert (digest.period, digest.article_ids) == ("2025-03-30", [last.pk, first.pk])


def test_nothing_is_made_before_the_readers_hour(db):
    company = CompanyFactory()
    follow(ReaderFactory(time_zone="Asia/Bishkek", digest_hour=8), company)
    article_about(company, published_at=utc(2025, 12, 7, 10))

    build_due(now=utc(2025, 12, 8, 1, 59))  # 07:59 in Bishkek
    assert records() == []

    build_due(now=utc(2025, 12, 8, 2, 0))  # 08:00
    assert [d.period for d in records()] == ["2025-12-07"]


def test_an_article_naming_three_followed_entities_is_listed_once(db):
    company, country, official = CompanyFactory(), CountryFactory(), OfficialFactory()
    reader = ReaderFactory()
    follow(reader, company, country, official)
    article = article_about(company, country, official, published_at=utc(2025, 12, 7, 5))

    build_due(now=NOON_IN_BISHKEK)

    (digest,) = records()
    assert digest.article_ids == [article.pk]


def test_tags_are_followed_like_entities_and_articles_come_newest_first(db):
    tag = Tag.objects.for_name("Электромобили")
    company = CompanyFactory()
    follow(ReaderFactory(), tag, company)
    older = article_about(tags=[tag], published_at=utc(2025, 12, 7, 1))
    newer = article_about(company, published_at=utc(2025, 12, 7, 9))
    article_about(published_at=utc(2025, 12, 7, 9))  # about neither

    build_due(now=NOON_IN_BISHKEK)

    (digest,) = records()
    assert digest.article_ids == [newer.pk, older.pk]


def test_a_period_with_nothing_new_makes_no_record(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company)
    article_about(CompanyFactory(), published_at=utc(2025, 12, 7, 5))  # another firm's news
    article_about(company, published_at=utc(2025, 12, 5, 5))  # an older day

    report = build_due(now=NOON_IN_BISHKEK)

    assert records() == [] and report.total == 0


def test_building_twice_makes_one_record(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company, frequency=Frequency.WEEKLY)
    article_about(company, published_at=utc(2025, 12, 4, 5))

    first = build_due(now=NOON_IN_BISHKEK)
    second = build_due(now=NOON_IN_BISHKEK + dt.timedelta(hours=3))

    assert [(d.kind, d.period) for d in records()] == [("weekly", "2025-W49")]
    assert (first.made["weekly"], second.total) == (1, 0)


def test_a_second_record_for_one_reader_and_period_is_refused_by_the_database(db):
    reader = ReaderFactory()
    Delivery.objects.create(reader=reader, kind="daily", period="2025-12-07", article_ids=[1])

    with pytest.raises(IntegrityError):
        Delivery.objects.create(reader=reader, kind="daily", period="2025-12-07", article_ids=[2])


def test_unconfirmed_readers_and_subscriptions_get_nothing(db):
    company = CompanyFactory()
    follow(ReaderFactory(confirmed_at=None), company)
    follow(ReaderFactory(), company, confirmed_at=None)
    article_about(company, published_at=utc(2025, 12, 7, 5))

    build_due(now=NOON_IN_BISHKEK)

    assert records() == []


def test_a_subscription_confirmed_after_the_day_gets_no_digest_of_it(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company, confirmed_at=utc(2025, 12, 8, 3))
    article_about(company, published_at=utc(2025, 12, 7, 5))

    build_due(now=NOON_IN_BISHKEK)

    assert records() == []


def test_drafts_are_never_listed(db):
    company = CompanyFactory()
    follow(ReaderFactory(), company)
    article_about(company, published_at=utc(2025, 12, 7, 5), status=Article.Status.DRAFT)

    build_due(now=NOON_IN_BISHKEK)

    assert records() == []


def test_any_hour_makes_yesterdays_digest_and_the_hour_then_adds_nothing(db):
    company = CompanyFactory()
    follow(ReaderFactory(digest_hour=20), company)
    article_about(company, published_at=utc(2025, 12, 7, 5))

    build_due(now=NOON_IN_BISHKEK, any_hour=True)
    build_due(now=NOON_IN_BISHKEK, any_hour=True)
    build_due(now=utc(2025, 12, 8, 14))  # 20:00 in Bishkek

    assert [(d.kind, d.period) for d in records()] == [("daily", "2025-12-07")]


def test_readers_in_many_pages_each_get_their_own_record(db, monkeypatch):
    from following.digests import readers

    monkeypatch.setattr(readers, "READERS_PER_PAGE", 2)
    companies = [CompanyFactory() for _ in range(3)]
    followers = [ReaderFactory() for _ in range(5)]
    for n, reader in enumerate(followers):
        follow(reader, companies[n % 3])
    articles = [article_about(c, published_at=utc(2025, 12, 7, 5)) for c in companies]

    build_due(now=NOON_IN_BISHKEK)

    assert [d.article_ids for d in records()] == [[articles[n % 3].pk] for n in range(5)]
