import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from articles.linking import add_link, link_entities
from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.charts import chart_bars
from companies.models import Company
from companies.queries import mentions_by_month, related_entities
from companies.tests.factories import CompanyFactory, OfficialFactory


@pytest.fixture
def plant_news(catalog):
    """Three published articles about Тулпар Моторс in two months, and a draft."""
    dates = [
        dt.datetime(2025, 6, 10, tzinfo=dt.UTC),
        dt.datetime(2025, 8, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 8, 20, tzinfo=dt.UTC),
    ]
    articles = [
        ArticleFactory(
            lead="Роман Чекушов: Тулпар Моторс в Киргизии собирает Chevrolet Tracker.",
            published_at=when,
        )
        for when in dates
    ]
    articles.append(ArticleFactory(lead="Тулпар Моторс: черновик.", status=Article.Status.DRAFT))
    for article in articles:
        link_entities(article=article)
    return articles


def test_company_page_shows_facts(plant_news, client):
    content = client.get("/companies/tulpar-motors/").content.decode()
    assert "<h1>Тулпар Моторс</h1>" in content
    assert "сборочный завод" in content
    assert '<a href="/countries/kyrgyzstan/">Кыргызстан</a>' in content
    assert '<a href="/models/chevrolet-onix/">Chevrolet Onix</a>' in content
    assert "Первый автосборочный завод в Киргизии" in content
    assert "Tulpar Motors" in content


def test_entity_timeline_lists_published_mentions_newest_first(plant_news, client):
    response = client.get("/companies/tulpar-motors/")
    assert list(response.context["articles"]) == plant_news[2::-1]


def test_entity_timeline_is_paginated(catalog, client):
    plant = Company.objects.get(slug="tulpar-motors")
    for n in range(23):
        article = ArticleFactory(published_at=timezone.now() - dt.timedelta(hours=n + 1))
        add_link(article=article, entity=plant)
    assert len(client.get("/companies/tulpar-motors/").context["articles"]) == 20
    assert len(client.get("/companies/tulpar-motors/?page=2").context["articles"]) == 3
    assert client.get("/companies/tulpar-motors/?page=3").status_code == 404
    assert client.get("/companies/tulpar-motors/?page=xyz").status_code == 404


def test_related_entities_rank_by_co_mentions(plant_news):
    link_entities(article=ArticleFactory(lead="Тулпар Моторс и Isuzu."))
    related = related_entities(Company.objects.get(slug="tulpar-motors"))
    counts = {r.slug: r.count for r in related}
    assert counts == {
        "chevrolet": 3,
        "chevrolet-tracker": 3,
        "kyrgyzstan": 3,
        "roman-chekushov": 3,
        "isuzu": 1,
    }
    assert related[-1].slug == "isuzu"
    urls = {r.slug: r.get_absolute_url() for r in related}
    assert urls["chevrolet-tracker"] == "/models/chevrolet-tracker/"
    assert urls["roman-chekushov"] == "/officials/roman-chekushov/"


def test_mentions_by_month_ends_with_the_latest_mention(plant_news):
    months = mentions_by_month(Company.objects.get(slug="tulpar-motors"))
    assert len(months) == 12
    assert (months[-1].month, months[-1].count) == (dt.date(2025, 8, 1), 2)
    assert (months[-3].month, months[-3].count) == (dt.date(2025, 6, 1), 1)
    assert months[-1].label == "авг 2025"
    bars = chart_bars(months)
    assert bars[-1].height == 52 and bars[-3].height == 26 and bars[0].height == 0


def test_entity_page_has_chart_with_text_equivalent(plant_news, client):
    content = client.get("/companies/tulpar-motors/").content.decode()
    assert '<svg viewBox="0 0 240 72"' in content
    assert 'role="img" aria-labelledby="chart-caption"' in content
    assert "<title>авг 2025: 2</title>" in content
    assert '<tr><th scope="row">авг 2025</th><td>2</td></tr>' in content


def test_entity_page_links_its_feed(plant_news, client):
    content = client.get("/companies/tulpar-motors/").content.decode()
    assert 'href="/companies/tulpar-motors/feed/"' in content


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/models/chevrolet-tracker/", '<a href="/companies/chevrolet/">Chevrolet</a>'),
        ("/models/chevrolet-tracker/", '<a href="/companies/tulpar-motors/">Тулпар Моторс</a>'),
        ("/officials/roman-chekushov/", "заместитель министра промышленности и торговли РФ"),
        ("/officials/roman-chekushov/", 'href="/companies/minpromtorg-rossii/"'),
        ("/countries/kyrgyzstan/", "KG"),
        ("/companies/chevrolet/", '<a href="/models/chevrolet-cobalt/">Chevrolet Cobalt</a>'),
    ],
)
def test_every_entity_kind_shows_its_facts(catalog, client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_unknown_entity_is_not_found(db, client):
    assert client.get("/companies/net-takoy/").status_code == 404


@pytest.mark.parametrize("linked", [1, 50])
def test_entity_page_query_count_is_fixed(catalog, client, django_assert_num_queries, linked):
    plant = Company.objects.get(slug="tulpar-motors")
    for _ in range(3):
        article = ArticleFactory()
        add_link(article=article, entity=plant)
        for company in CompanyFactory.create_batch(linked):
            add_link(article=article, entity=company)
    # company, assembled models, brand models, page, related entities,
    # newest mention, mentions per month
    with django_assert_num_queries(7):
        client.get("/companies/tulpar-motors/")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/models/chevrolet-tracker/", 6),  # + plants
        ("/officials/roman-chekushov/", 5),  # entity, page, related, newest, per month
        ("/countries/kyrgyzstan/", 5),
    ],
)
def test_other_entity_pages_query_counts(
    plant_news, client, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        client.get(url)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/companies/", "Тулпар Моторс"),
        ("/models/", "Chevrolet Tracker"),
        ("/officials/", "Роман Чекушов"),
        ("/countries/", "Кыргызстан"),
    ],
)
def test_list_pages(plant_news, client, django_assert_num_queries, url, name):
    with django_assert_num_queries(3):  # scheduled articles' links, count, page
        response = client.get(url)
    assert name in response.content.decode()


def test_list_page_counts_published_mentions_and_ranks_by_them(plant_news, client):
    content = client.get("/companies/").content.decode()
    assert "3 публикации" in content
    assert content.index("Chevrolet") < content.index("Isuzu")


def test_list_page_query_count_is_fixed(db, client, django_assert_num_queries):
    for _ in range(50):
        OfficialFactory()
    with django_assert_num_queries(3):
        client.get("/officials/")


@pytest.mark.parametrize(
    ("url", "schema_type"),
    [
        ("/companies/tulpar-motors/", "Organization"),
        ("/models/chevrolet-tracker/", "Product"),
        ("/officials/roman-chekushov/", "Person"),
        ("/countries/kyrgyzstan/", "Country"),
    ],
)
def test_entity_pages_embed_json_ld(catalog, client, url, schema_type):
    content = client.get(url).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    data = json.loads(block)
    assert data["@type"] == schema_type
    assert data["url"] == f"http://testserver{url}"
