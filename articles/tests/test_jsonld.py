import datetime as dt
import json
import re

import pytest
from django.conf import settings
from django.template import engines
from django.utils import timezone

from articles.jsonld import news_article_jsonld
from articles.linking import link_entities
from articles.models import Article
from articles.tests.factories import ArticleFactory
from portal.templating import jsonld

BASE = "https://example.org"


@pytest.fixture
def seeded(catalog):
    article = ArticleFactory(
        title="Тулпар Моторс расширяет выпуск",
        slug="tulpar-motors-rasshiryaet-vypusk",
        lead="Завод Тулпар Моторс в Киргизии собирает Chevrolet Tracker.",
        body="Первый абзац о Романе Чекушове.",
        published_at=dt.datetime(2025, 8, 16, 10, 0, tzinfo=dt.UTC),
        tags=["Сборка", "Автопром"],
    )
    link_entities(article=article)
    return Article.objects.with_entities().get(pk=article.pk)


def test_news_article_has_required_properties(seeded):
    data = news_article_jsonld(seeded, base_url=BASE)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Тулпар Моторс расширяет выпуск"
    assert data["description"] == "Завод Тулпар Моторс в Киргизии собирает Chevrolet Tracker."
    assert data["inLanguage"] == "ru"
    assert data["url"] == f"{BASE}/news/tulpar-motors-rasshiryaet-vypusk/"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": data["url"]}
    assert data["image"] == [f"{BASE}/static/img/og-default.png"]  # the site default


def test_dates_are_in_site_time_zone(seeded):
    data = news_article_jsonld(seeded, base_url=BASE)
    # 10:00 UTC is 16:00 in Bishkek (UTC+6).
    assert data["datePublished"] == "2025-08-16T16:00:00+06:00"
    assert dt.datetime.fromisoformat(data["dateModified"]) >= seeded.published_at


def test_modified_never_precedes_published(db):
    article = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    data = news_article_jsonld(article, base_url=BASE)
    assert data["dateModified"] == data["datePublished"]


def test_site_is_author_and_publisher(seeded):
    data = news_article_jsonld(seeded, base_url=BASE)
    site = {"@type": "Organization", "name": settings.SITE_NAME, "url": f"{BASE}/"}
    assert data["author"] == data["publisher"] == site


def test_about_holds_companies_and_vehicle_models(seeded):
    about = news_article_jsonld(seeded, base_url=BASE)["about"]
    assert {
        "@type": "Organization",
        "name": "Тулпар Моторс",
        "url": f"{BASE}/companies/tulpar-motors/",
    } in about
    assert {
        "@type": "Product",
        "name": "Chevrolet Tracker",
        "url": f"{BASE}/models/chevrolet-tracker/",
    } in about
    assert {item["@type"] for item in about} <= {
        "Organization",
        "GovernmentOrganization",
        "Product",
    }


def test_mentions_hold_every_linked_entity(seeded):
    mentions = news_article_jsonld(seeded, base_url=BASE)["mentions"]
    linked = [
        *seeded.companies.all(),
        *seeded.vehicle_models.all(),
        *seeded.officials.all(),
        *seeded.countries.all(),
    ]
    assert [item["name"] for item in mentions] == [entity.name for entity in linked]
    assert {
        "@type": "Person",
        "name": "Роман Чекушов",
        "url": f"{BASE}/officials/roman-chekushov/",
    } in mentions
    assert {"@type": "Country", "name": "Кыргызстан", "url": f"{BASE}/countries/kyrgyzstan/"} in (
        mentions
    )


def test_tags_are_keywords(seeded):
    assert news_article_jsonld(seeded, base_url=BASE)["keywords"] == ["Автопром", "Сборка"]


def test_article_without_links_or_tags_omits_them(db):
    data = news_article_jsonld(ArticleFactory(), base_url=BASE)
    assert not {"about", "mentions", "keywords"} & data.keys()


def test_document_survives_a_json_round_trip(seeded):
    data = news_article_jsonld(seeded, base_url=BASE)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_prefetched_article_needs_no_queries(seeded, django_assert_num_queries):
    with django_assert_num_queries(0):
        news_article_jsonld(seeded, base_url=BASE)


SCRIPT = re.compile(r'<script type="application/ld\+json">(.*)</script>', re.DOTALL)
HOSTILE_TITLE = "Цены </script><script>alert(1)</script> & <!-- выросли"


def test_jsonld_filter_wraps_data_in_a_script_element():
    html = jsonld({"@type": "NewsArticle", "headline": "Тулпар Моторс"})
    assert html == (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "headline": "Тулпар Моторс"}'
        "</script>"
    )


def test_jsonld_filter_keeps_a_hostile_title_inside_the_json(db):
    data = news_article_jsonld(ArticleFactory(title=HOSTILE_TITLE), base_url=BASE)
    html = jsonld(data)
    assert html.count("</script") == 1 and html.endswith("</script>")
    assert "<!--" not in html
    assert json.loads(SCRIPT.fullmatch(html).group(1))["headline"] == HOSTILE_TITLE


def test_jsonld_filter_in_a_template():
    # Templates print the filter's output as it is: it is marked safe.
    template = engines["jinja2"].from_string("{{ data|jsonld }}")
    html = template.render({"data": {"headline": HOSTILE_TITLE}})
    assert json.loads(SCRIPT.fullmatch(html).group(1)) == {"headline": HOSTILE_TITLE}
