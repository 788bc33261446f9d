import datetime as dt
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.utils import timezone

from articles.feeds import FEED_LENGTH
from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)

# (factory, URL prefix, the Article relation that links the entity)
ENTITY_KINDS = [
    pytest.param(CompanyFactory, "companies", "companies", id="company"),
    pytest.param(VehicleModelFactory, "models", "vehicle_models", id="vehicle_model"),
    pytest.param(OfficialFactory, "officials", "officials", id="official"),
    pytest.param(CountryFactory, "countries", "countries", id="country"),
]


def get_channel(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return ET.fromstring(response.content).find("channel")


def item_titles(channel: ET.Element) -> list[str]:
    return [item.findtext("title") for item in channel.findall("item")]


def test_news_feed_lists_published_articles_newest_first(db, client):
    older = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - dt.timedelta(hours=2))
    channel = get_channel(client, "/feeds/news.xml")
    assert item_titles(channel) == [newer.title, older.title]


def test_news_feed_item_fields(db, client):
    article = ArticleFactory(
        title="Завод начал сборку",
        slug="zavod-nachal-sborku",
        lead="Сборочный завод выпустил первую партию.",
        published_at=dt.datetime(2025, 8, 16, 10, 0, tzinfo=dt.UTC),
        tags=["Сборка", "Автопром"],
    )
    item = get_channel(client, "/feeds/news.xml").find("item")
    assert item.findtext("title") == "Завод начал сборку"
    assert item.findtext("link") == "http://testserver/news/zavod-nachal-sborku/"
    assert item.findtext("description") == article.lead
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at
    assert item.findtext("guid") == "http://testserver/news/zavod-nachal-sborku/"
    assert [c.text for c in item.findall("category")] == ["Автопром", "Сборка"]


def test_news_feed_describes_itself_in_russian(db, client, settings):
    settings.SITE_NAME = "Тестовый портал"
    channel = get_channel(client, "/feeds/news.xml")
    assert channel.findtext("title") == "Все новости — Тестовый портал"
    assert channel.findtext("description").startswith("Последние новости промышленности")
    assert channel.findtext("link") == "http://testserver/"
    assert channel.findtext("language") == "ru"


def test_news_feed_hides_drafts_and_scheduled_articles(db, client):
    ArticleFactory(title="Черновик", status=Article.Status.DRAFT)
    ArticleFactory(title="Запланированная", published_at=timezone.now() + dt.timedelta(hours=1))
    visible = ArticleFactory(title="Вышедшая")
    assert item_titles(get_channel(client, "/feeds/news.xml")) == [visible.title]


def test_news_feed_keeps_the_latest_twenty(db, client):
    now = timezone.now()
    articles = [ArticleFactory(published_at=now - dt.timedelta(hours=n)) for n in range(1, 26)]
    titles = item_titles(get_channel(client, "/feeds/news.xml"))
    assert titles == [a.title for a in articles[:FEED_LENGTH]]


def test_feed_escapes_markup_in_titles_and_leads(db, client):
    # Readers treat title and description as HTML, so the XML carries escaped HTML.
    ArticleFactory(title="Рост <на 5%> & больше", lead="Лид с <тегом> & амперсандом.")
    item = get_channel(client, "/feeds/news.xml").find("item")
    assert item.findtext("title") == "Рост &lt;на 5%&gt; &amp; больше"
    assert item.findtext("description") == "Лид с &lt;тегом&gt; &amp; амперсандом."


def test_feed_build_date_counts_when_a_scheduled_article_went_out(db, client):
    published_at = (timezone.now() - dt.timedelta(minutes=5)).replace(microsecond=0)
    article = ArticleFactory(published_at=published_at)
    # Saved a day before it went out, as an editor scheduling it would.
    Article.objects.filter(pk=article.pk).update(updated_at=published_at - dt.timedelta(days=1))
    channel = get_channel(client, "/feeds/news.xml")
    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == published_at


def test_tag_feed_lists_published_articles_with_the_tag(db, client):
    tagged = ArticleFactory(tags=["Грузовики"])
    ArticleFactory(tags=["Автобусы"])
    ArticleFactory(tags=["Грузовики"], status=Article.Status.DRAFT)
    channel = get_channel(client, "/tags/gruzoviki/feed/")
    assert item_titles(channel) == [tagged.title]
    assert channel.findtext("title").startswith("Тег «Грузовики» — ")
    assert channel.findtext("link") == "http://testserver/tags/gruzoviki/"


def test_tag_feed_of_unknown_tag_is_404(db, client):
    assert client.get("/tags/net-takogo/feed/").status_code == 404


@pytest.mark.parametrize(("factory", "prefix", "relation"), ENTITY_KINDS)
def test_entity_feed_lists_published_articles_that_mention_it(
    db, client, factory, prefix, relation
):
    entity = factory()
    mentioning = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    scheduled = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    for article in (mentioning, draft, scheduled):
        getattr(article, relation).add(entity)
    ArticleFactory(title="Без упоминания")

    channel = get_channel(client, f"/{prefix}/{entity.slug}/feed/")
    assert item_titles(channel) == [mentioning.title]
    assert channel.findtext("title").startswith(f"{entity.name} — ")
    assert channel.findtext("link") == f"http://testserver/{prefix}/{entity.slug}/"


@pytest.mark.parametrize(("factory", "prefix", "relation"), ENTITY_KINDS)
def test_entity_feed_of_unknown_entity_is_404(db, client, factory, prefix, relation):
    assert client.get(f"/{prefix}/net-takogo/feed/").status_code == 404


@pytest.mark.parametrize("count", [1, FEED_LENGTH + 5])
def test_news_feed_query_count(db, client, django_assert_num_queries, count):
    for _ in range(count):
        ArticleFactory(tags=["Автопром", "Сборка"])
    with django_assert_num_queries(2):  # articles, their tags
        client.get("/feeds/news.xml")


@pytest.mark.parametrize("count", [1, FEED_LENGTH + 5])
def test_tag_feed_query_count(db, client, django_assert_num_queries, count):
    for _ in range(count):
        ArticleFactory(tags=["Автопром", "Сборка"])
    with django_assert_num_queries(3):  # the tag, articles, their tags
        client.get("/tags/avtoprom/feed/")


@pytest.mark.parametrize("count", [1, FEED_LENGTH + 5])
@pytest.mark.parametrize(("factory", "prefix", "relation"), ENTITY_KINDS)
def test_entity_feed_query_count(
    db, client, django_assert_num_queries, factory, prefix, relation, count
):
    entity = factory()
    for _ in range(count):
        getattr(ArticleFactory(tags=["Автопром", "Сборка"]), relation).add(entity)
    with django_assert_num_queries(3):  # the entity, articles, their tags
        client.get(f"/{prefix}/{entity.slug}/feed/")
