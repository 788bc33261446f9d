import datetime as dt
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def get_urlset(client, url, **extra) -> ET.Element:
    """The URLs of a sitemap; a sitemap index is followed into all its sections."""
    response = client.get(url, **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    if root.tag == f"{{{NS['sm']}}}sitemapindex":
        merged = ET.Element(f"{{{NS['sm']}}}urlset")
        for section in root.findall("sm:sitemap", NS):
            path = urlsplit(section.findtext("sm:loc", namespaces=NS))
            part = get_urlset(client, f"{path.path}?{path.query}", **extra)
            merged.extend(part.findall("sm:url", NS))
        return merged
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return root


def locations(urlset: ET.Element) -> list[str]:
    return [url.findtext("sm:loc", namespaces=NS) for url in urlset.findall("sm:url", NS)]


def lastmods(urlset: ET.Element) -> dict[str, str | None]:
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in urlset.findall("sm:url", NS)
    }


# /sitemap.xml


def test_sitemap_lists_published_articles_with_lastmod(db, client):
    article = ArticleFactory(slug="vyshedshaya")
    urlset = get_urlset(client, "/sitemap.xml")
    updated = timezone.localtime(article.updated_at).date().isoformat()
    assert lastmods(urlset)["http://testserver/news/vyshedshaya/"] == updated


def test_sitemap_leaves_out_drafts_and_scheduled_articles(db, client):
    ArticleFactory(slug="chernovik", status=Article.Status.DRAFT)
    ArticleFactory(slug="zaplanirovannaya", published_at=timezone.now() + dt.timedelta(hours=1))
    urls = locations(get_urlset(client, "/sitemap.xml"))
    assert "http://testserver/news/chernovik/" not in urls
    assert "http://testserver/news/zaplanirovannaya/" not in urls


def test_sitemap_lists_every_entity_page(db, client):
    # Entities get their page before any article mentions them.
    company = CompanyFactory()
    model = VehicleModelFactory()
    official = OfficialFactory()
    country = CountryFactory()
    urls = locations(get_urlset(client, "/sitemap.xml"))
    for path in [
        f"/companies/{company.slug}/",
        f"/companies/{model.brand.slug}/",
        f"/models/{model.slug}/",
        f"/officials/{official.slug}/",
        f"/countries/{country.slug}/",
    ]:
        assert f"http://testserver{path}" in urls


def test_sitemap_lists_tags_that_have_published_articles(db, client):
    ArticleFactory(tags=["Грузовики"])
    ArticleFactory(tags=["Автобусы"], status=Article.Status.DRAFT)
    ArticleFactory(tags=["Электромобили"], published_at=timezone.now() + dt.timedelta(days=1))
    tag_urls = [url for url in locations(get_urlset(client, "/sitemap.xml")) if "/tags/" in url]
    assert tag_urls == ["http://testserver/tags/gruzoviki/"]


def test_sitemap_lists_the_home_and_list_pages(db, client):
    urls = locations(get_urlset(client, "/sitemap.xml"))
    for path in ["/", "/news/", "/companies/", "/models/", "/officials/", "/countries/"]:
        assert f"http://testserver{path}" in urls


def test_sitemap_index_lists_the_sections_in_their_order(db, client):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    sections = [urlsplit(loc.text).path for loc in root.findall("sm:sitemap/sm:loc", NS)]
    assert sections == [
        f"/sitemap-{name}.xml"
        for name in ["pages", "articles", "companies", "models", "officials", "countries", "tags"]
    ]


def test_sitemap_pages_section_lists_the_front_page_first(db, client):
    urls = locations(get_urlset(client, "/sitemap-pages.xml"))
    assert [urlsplit(url).path for url in urls] == [
        "/",
        "/news/",
        "/companies/",
        "/models/",
        "/officials/",
        "/countries/",
    ]


def test_sitemap_uses_the_requests_host_and_scheme(db, client):
    ArticleFactory(slug="vyshedshaya")
    urls = locations(get_urlset(client, "/sitemap.xml", HTTP_HOST="localhost", secure=True))
    assert "https://localhost/news/vyshedshaya/" in urls


@pytest.mark.parametrize("count", [1, 30])
def test_sitemap_query_count(db, client, django_assert_num_queries, count):
    for _ in range(count):
        article = ArticleFactory(tags=["Автопром"])
        article.companies.add(CompanyFactory())
        article.vehicle_models.add(VehicleModelFactory())
        article.officials.add(OfficialFactory())
        article.countries.add(CountryFactory())
    # The index counts each of the six sections that read the database, and
    # asks the articles for their latest change ...
    with django_assert_num_queries(7):
        client.get("/sitemap.xml")
    # ... and each section page is a count and the page.
    with django_assert_num_queries(2):
        client.get("/sitemap-articles.xml?p=1")


# /news-sitemap.xml


def news_entries(urlset: ET.Element) -> dict[str, ET.Element]:
    return {
        url.findtext("sm:loc", namespaces=NS): url.find("news:news", NS)
        for url in urlset.findall("sm:url", NS)
    }


def test_news_sitemap_describes_each_article(db, client, settings):
    settings.SITE_NAME = "Тестовый портал"
    published_at = (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0)
    ArticleFactory(slug="svezhaya", title="Свежая новость & анализ", published_at=published_at)
    news = news_entries(get_urlset(client, "/news-sitemap.xml"))["http://testserver/news/svezhaya/"]
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Тестовый портал"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ru"
    assert news.findtext("news:title", namespaces=NS) == "Свежая новость & анализ"
    date = news.findtext("news:publication_date", namespaces=NS)
    assert dt.datetime.fromisoformat(date) == published_at


def test_news_sitemap_dates_are_w3c_with_a_time_zone(db, client):
    ArticleFactory(slug="svezhaya")
    news = news_entries(get_urlset(client, "/news-sitemap.xml"))["http://testserver/news/svezhaya/"]
    date = news.findtext("news:publication_date", namespaces=NS)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", date)


def test_news_sitemap_declares_the_news_namespace(db, client):
    content = client.get("/news-sitemap.xml").content.decode()
    assert 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in content


def test_news_sitemap_keeps_only_the_last_two_days(db, client):
    now = timezone.now()
    ArticleFactory(slug="vchera", published_at=now - dt.timedelta(days=1))
    ArticleFactory(slug="tri-dnya-nazad", published_at=now - dt.timedelta(days=3))
    ArticleFactory(slug="chernovik", status=Article.Status.DRAFT)
    ArticleFactory(slug="zaplanirovannaya", published_at=now + dt.timedelta(hours=1))
    urls = locations(get_urlset(client, "/news-sitemap.xml"))
    assert urls == ["http://testserver/news/vchera/"]


def test_news_sitemap_without_articles_is_an_empty_urlset(db, client):
    assert locations(get_urlset(client, "/news-sitemap.xml")) == []


def test_news_sitemap_holds_at_most_1000_articles(db, client):
    published_at = timezone.now() - dt.timedelta(hours=1)
    Article.objects.bulk_create(
        Article(
            title=f"Новость {n}",
            slug=f"novost-{n}",
            lead="Лид.",
            status=Article.Status.PUBLISHED,
            published_at=published_at,
        )
        for n in range(1001)
    )
    assert len(locations(get_urlset(client, "/news-sitemap.xml"))) == 1000


@pytest.mark.parametrize("count", [1, 30])
def test_news_sitemap_query_count(db, client, django_assert_num_queries, count):
    for _ in range(count):
        ArticleFactory(tags=["Автопром"])
    with django_assert_num_queries(1):
        client.get("/news-sitemap.xml")


# /robots.txt


def robots_lines(client, **extra) -> list[str]:
    response = client.get("/robots.txt", **extra)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode().splitlines()


def test_robots_allows_all_but_search_and_keeps_the_admin_path_to_itself(client):
    lines = robots_lines(client)
    assert lines[:3] == ["User-agent: *", "Allow: /", "Disallow: /search/"]
    # ADMIN_PATH may be a secret; the admin needs a sign-in and is never indexed anyway.
    assert not any("admin" in line for line in lines)


def test_robots_points_to_both_sitemaps(client):
    lines = robots_lines(client, HTTP_HOST="localhost", secure=True)
    assert "Sitemap: https://localhost/sitemap.xml" in lines
    assert "Sitemap: https://localhost/news-sitemap.xml" in lines
