"""What the pages read of the stored figures: the published articles only, and a
scheduled article counted from its moment on, by time passing alone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Tag
from articles.queries import DayWindow, busiest_entities, popular_tags
from articles.tests.factories import ArticleFactory
from companies.kinds import kind_of
from companies.queries import by_mentions, mentions_by_month
from companies.tests.factories import CompanyFactory, CountryFactory

ZONE = ZoneInfo(settings.TIME_ZONE)
MORNING = dt.datetime(2025, 3, 10, 10, 0, tzinfo=ZONE)


def at(moment, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))


@pytest.fixture
def company_news(db, monkeypatch):
    at(MORNING, monkeypatch)
    company = CompanyFactory(name="Фиктивный завод")
    for hours in (-70 * 24, -2, 5, 2 * 24 + 1):  # older, this morning, tonight, in two days
        article = ArticleFactory(published_at=MORNING + dt.timedelta(hours=hours))
        article.companies.add(company)
        article.tags.add("Автопром")
    return company


def figures(company):
    window = DayWindow.ending(timezone.now(), days=56)
    busiest = {entity.slug: n for entity, n in busiest_entities(window=window)["companies"]}
    listed = by_mentions(kind_of(company)).get(pk=company.pk).mentions
    chart = sum(month.count for month in mentions_by_month(company))
    tags = {tag.name: tag.uses for tag in popular_tags(window=window)}
    return busiest.get(company.slug, 0), listed, chart, tags.get("Автопром", 0)


def test_only_articles_out_count(company_news):
    assert company_news.articles.published().count() == 2
    # The home window holds this morning's article only; the list and chart all.
    assert figures(company_news) == (1, 2, 2, 1)


def test_scheduled_articles_count_once_their_time_comes(company_news, monkeypatch):
    at(MORNING + dt.timedelta(hours=6), monkeypatch)
    assert figures(company_news) == (2, 3, 3, 2)
    at(MORNING + dt.timedelta(days=3), monkeypatch)
    assert figures(company_news) == (3, 4, 4, 3)


def test_chart_months_count_published_mentions(company_news, monkeypatch):
    at(MORNING + dt.timedelta(days=3), monkeypatch)
    months = mentions_by_month(company_news)
    assert [(m.month, m.count) for m in months[-2:]] == [
        (dt.date(2025, 2, 1), 0),
        (dt.date(2025, 3, 1), 3),
    ]
    assert (months[-4].month, months[-4].count) == (dt.date(2024, 12, 1), 1)  # 70 days before


@pytest.fixture
def busy_archive(db):
    company, country = CompanyFactory(name="Фиктивный холдинг"), CountryFactory()
    for n in range(70):
        article = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=n, hours=1))
        article.companies.add(company)
        article.countries.add(country)
        article.tags.add("Автопром")
    return company, country


def test_hub_pages_run_a_fixed_few_queries(busy_archive, client, django_assert_max_num_queries):
    company, country = busy_archive
    tag = Tag.objects.get(name="Автопром")
    pages = ["/", company.get_absolute_url(), country.get_absolute_url(), "/companies/"]
    pages += [tag.get_absolute_url(), "/news/", "/news/?page=3", f"{tag.get_absolute_url()}?page=2"]
    for path in pages:
        with django_assert_max_num_queries(8):
            assert client.get(path).status_code == 200, path
