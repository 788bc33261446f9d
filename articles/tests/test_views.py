import datetime as dt

import pytest
from django.utils import timezone

from articles.linking import link_entities
from articles.models import Article
from articles.tests.factories import ArticleFactory


@pytest.fixture
def seeded(catalog):
    article = ArticleFactory(
        title="Тулпар Моторс расширяет выпуск",
        slug="tulpar-motors-rasshiryaet-vypusk",
        lead="Завод Тулпар Моторс в Киргизии собирает Chevrolet Tracker.",
        body="Первый абзац о Романе Чекушове.\n\n## Планы\n\nВторой абзац.",
        published_at=dt.datetime(2025, 8, 16, 10, 0, tzinfo=dt.UTC),
        tags=["Автопром"],
    )
    link_entities(article=article)
    return article


def test_home_lists_published_articles_newest_first(db, client):
    older = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=1))
    response = client.get("/")
    assert response.status_code == 200
    assert list(response.context["articles"]) == [newer, older]
    assert newer.title in response.content.decode()


def test_home_hides_drafts_and_scheduled_articles(db, client):
    ArticleFactory(title="Черновик статьи", status=Article.Status.DRAFT)
    ArticleFactory(title="Будущая статья", published_at=timezone.now() + dt.timedelta(hours=1))
    content = client.get("/").content.decode()
    assert "Черновик статьи" not in content
    assert "Будущая статья" not in content


def test_home_query_count(db, client, django_assert_num_queries):
    for _ in range(5):
        ArticleFactory(tags=["Автопром"])
    with django_assert_num_queries(2):  # count for the paginator, the page of articles
        client.get("/")


def test_article_page_shows_text_date_and_structure(seeded, client):
    response = client.get("/news/tulpar-motors-rasshiryaet-vypusk/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Тулпар Моторс расширяет выпуск</h1>" in content
    assert "16 августа 2025" in content
    assert '<p class="lead">Завод Тулпар Моторс в Киргизии' in content
    assert "<h2>Планы</h2>" in content
    assert "<p>Второй абзац.</p>" in content
    assert '<a href="/tags/avtoprom/">Автопром</a>' in content


def test_article_page_links_its_entities(seeded, client):
    content = client.get(seeded.get_absolute_url()).content.decode()
    for url, name in [
        ("/companies/tulpar-motors/", "Тулпар Моторс"),
        ("/companies/chevrolet/", "Chevrolet"),
        ("/models/chevrolet-tracker/", "Chevrolet Tracker"),
        ("/officials/roman-chekushov/", "Роман Чекушов"),
        ("/countries/kyrgyzstan/", "Кыргызстан"),
    ]:
        assert f'<a href="{url}">{name}</a>' in content


def test_article_page_query_count(seeded, client, django_assert_num_queries):
    # article, tags, companies, models, officials, countries
    with django_assert_num_queries(6):
        client.get(seeded.get_absolute_url())


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + dt.timedelta(days=1)},
    ],
)
def test_unpublished_article_is_not_found(db, client, overrides):
    article = ArticleFactory(**overrides)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_text_is_escaped(db, client):
    article = ArticleFactory(title="<script>alert(1)</script>", lead="<b>лид</b>")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_entity_page_lists_articles_mentioning_it(seeded, client, django_assert_num_queries):
    with django_assert_num_queries(4):  # company+country+parent, assembled, brand models, articles
        response = client.get("/companies/tulpar-motors/")
    content = response.content.decode()
    assert "Первый автосборочный завод в Киргизии" in content
    assert seeded.title in content
    assert '<a href="/models/chevrolet-onix/">Chevrolet Onix</a>' in content


@pytest.mark.parametrize(
    "url", ["/models/chevrolet-tracker/", "/officials/roman-chekushov/", "/countries/kyrgyzstan/"]
)
def test_every_entity_kind_has_a_page(seeded, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert seeded.title in response.content.decode()


def test_tag_page(seeded, client):
    response = client.get("/tags/avtoprom/")
    assert response.status_code == 200
    assert list(response.context["articles"]) == [seeded]
    assert client.get("/tags/net-takogo/").status_code == 404
