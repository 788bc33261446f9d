import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from articles.linking import add_link, link_entities, remove_link
from articles.models import Article
from articles.queries import related_articles
from articles.tests.factories import ArticleFactory
from companies.models import Official
from companies.tests.factories import CompanyFactory


@pytest.fixture
def seeded(catalog):
    article = ArticleFactory(
        title="Тулпар Моторс расширяет выпуск",
        slug="tulpar-motors-rasshiryaet-vypusk",
        lead="Завод Тулпар Моторс в Киргизии собирает Chevrolet Tracker.",
        body=(
            "Первый абзац о Романе Чекушове и <Тулпар Моторс>.\n\n## Планы\n\n"
            "Второй абзац: Тулпар Моторс снова и Чекушов снова."
        ),
        published_at=dt.datetime(2025, 8, 16, 10, 30, tzinfo=dt.UTC),
        tags=["Автопром"],
    )
    link_entities(article=article)
    return article


def with_companies(article, count):
    for company in CompanyFactory.create_batch(count):
        add_link(article=article, entity=company)
    return article


# Home and archive ----------------------------------------------------------


def test_home_shows_lead_story_and_latest(db, client):
    older = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=2))
    newer = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=1))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["lead_story"] == newer
    assert list(response.context["latest"]) == [older]
    content = response.content.decode()
    assert content.index(newer.title) < content.index(older.title)


def test_home_shows_busiest_entities_and_popular_tags(seeded, client):
    response = client.get("/")
    busiest = response.context["busiest"]
    assert {e.slug for e, _n in busiest["companies"]} == {"chevrolet", "tulpar-motors"}
    assert {e.slug for e, _n in busiest["officials"]} == {"roman-chekushov"}
    assert [t.name for t in response.context["popular_tags"]] == ["Автопром"]
    content = response.content.decode()
    assert '<a href="/officials/roman-chekushov/">Роман Чекушов</a>' in content
    assert "1 публикация" in content


def test_home_hides_drafts_and_scheduled_articles(db, client):
    ArticleFactory(title="Черновик статьи", status=Article.Status.DRAFT)
    ArticleFactory(title="Будущая статья", published_at=timezone.now() + dt.timedelta(hours=1))
    content = client.get("/").content.decode()
    assert "Черновик статьи" not in content
    assert "Будущая статья" not in content


@pytest.mark.parametrize("articles", [1, 30])
def test_home_query_count_is_fixed(db, client, django_assert_num_queries, articles):
    for article in ArticleFactory.create_batch(articles, tags=["Автопром", "Машиностроение"]):
        with_companies(article, 2)
    with django_assert_num_queries(3):  # articles, busiest entities, popular tags
        client.get("/")


def test_archive_is_paginated_newest_first(db, client):
    now = timezone.now()
    articles = [ArticleFactory(published_at=now - dt.timedelta(hours=n)) for n in range(1, 23)]
    first = client.get("/news/")
    assert list(first.context["articles"]) == articles[:20]
    second = client.get("/news/?page=2")
    assert list(second.context["articles"]) == articles[20:]
    assert 'rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "999", "abc", "1%00", "9" * 40])
def test_archive_answers_odd_page_numbers_with_not_found(db, client, page):
    # No page of it: 404, never a server error nor page 1 under another address.
    ArticleFactory()
    assert client.get("/news/", {"page": page}).status_code == 404


def test_archive_query_count(db, client, django_assert_num_queries):
    ArticleFactory.create_batch(25)
    with django_assert_num_queries(1):  # the page (one row more, no COUNT)
        client.get("/news/?page=2")


# Article page --------------------------------------------------------------


def test_article_page_shows_text_date_and_structure(seeded, client):
    response = client.get("/news/tulpar-motors-rasshiryaet-vypusk/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Тулпар Моторс расширяет выпуск</h1>" in content
    assert "16 августа 2025, 16:30" in content  # 10:30 UTC is 16:30 in Bishkek
    assert '<p class="lead">Завод <a class="mention" href="/companies/tulpar-motors/">' in content
    assert "<h2>Планы</h2>" in content
    assert '<a href="/tags/avtoprom/">Автопром</a>' in content


def test_midnight_articles_show_the_date_alone(db, client):
    article = ArticleFactory(published_at=dt.datetime(2025, 8, 15, 18, 0, tzinfo=dt.UTC))
    content = client.get(article.get_absolute_url()).content.decode()
    assert ">16 августа 2025</time>" in content


def test_first_mention_links_to_the_entity(seeded, client):
    content = client.get(seeded.get_absolute_url()).content.decode()
    assert '<a class="mention" href="/officials/roman-chekushov/">Романе Чекушове</a>' in content
    assert content.count('class="mention" href="/officials/roman-chekushov/"') == 1
    # Named first in the lead: linked there, not again in the body.
    assert content.count('class="mention" href="/companies/tulpar-motors/"') == 1
    # The body text stays escaped.
    assert "&lt;Тулпар Моторс&gt;" in content


def test_unlinked_entity_is_not_linked_in_the_body(seeded, client):
    remove_link(article=seeded, entity=Official.objects.get(slug="roman-chekushov"))
    content = client.get(seeded.get_absolute_url()).content.decode()
    assert 'href="/officials/roman-chekushov/"' not in content


def test_stale_mention_positions_are_ignored(seeded, client):
    Article.objects.filter(pk=seeded.pk).update(body="Совсем другой текст про Чекушова.")
    content = client.get(seeded.get_absolute_url()).content.decode()
    assert 'class="mention"' not in content
    assert "Совсем другой текст про Чекушова." in content


def test_side_panel_lists_entities_by_kind(seeded, client):
    content = client.get(seeded.get_absolute_url()).content.decode()
    for url, name in [
        ("/companies/tulpar-motors/", "Тулпар Моторс"),
        ("/companies/chevrolet/", "Chevrolet"),
        ("/models/chevrolet-tracker/", "Chevrolet Tracker"),
        ("/officials/roman-chekushov/", "Роман Чекушов"),
        ("/countries/kyrgyzstan/", "Кыргызстан"),
    ]:
        assert f'<li><a href="{url}">{name}</a></li>' in content


def test_related_articles_rank_by_shared_entities_and_tags(seeded, client):
    close = ArticleFactory(lead="Тулпар Моторс и Chevrolet Tracker.", tags=["Автопром"])
    far = ArticleFactory(lead="Новости Киргизии.")
    unrelated = ArticleFactory(lead="Ничего общего.")
    draft = ArticleFactory(lead="Тулпар Моторс и Chevrolet Tracker.", status="draft")
    for article in (close, far, unrelated, draft):
        link_entities(article=article)
    related = client.get(seeded.get_absolute_url()).context["related"]
    assert related == [close, far]


def test_related_articles_come_from_the_newest_articles_of_each_shared_link(seeded):
    # Created in this order: the one sharing the most is the oldest link of both.
    oldest_but_closest = ArticleFactory(lead="Тулпар Моторс и Chevrolet Tracker в Киргизии.")
    newer = [ArticleFactory(lead=f"Новости Киргизии, выпуск {n}.") for n in range(2)]
    for article in (oldest_but_closest, *newer):
        link_entities(article=article)
    shown = related_articles(seeded, per_link=2)
    # Tulpar Motors and the Tracker have one other article each: it is a candidate
    # through them; Kyrgyzstan contributes its newest two only.
    assert shown[0] == oldest_but_closest
    assert set(shown) == {oldest_but_closest, *newer}

    newest = [ArticleFactory(lead=f"Ещё о Киргизии, {n}.") for n in range(2)]
    for article in newest:
        link_entities(article=article)
    shown = related_articles(seeded, per_link=2)
    assert set(shown) == {oldest_but_closest, *newest}


@pytest.mark.parametrize("linked", [1, 50])
def test_article_page_query_count_is_fixed(seeded, client, django_assert_num_queries, linked):
    with_companies(seeded, linked)
    for other in ArticleFactory.create_batch(3, tags=["Автопром"]):
        with_companies(other, 1)
    # the article, its entities and tags (one UNION), related articles
    with django_assert_num_queries(3):
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
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Такой страницы нет" in response.content.decode()


def test_staff_see_drafts_with_a_banner(db, admin_client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    response = admin_client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "Черновик: читатели эту статью не видят." in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_staff_see_scheduled_articles_with_a_banner(db, admin_client):
    article = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    assert "Запланировано на" in admin_client.get(article.get_absolute_url()).content.decode()


def test_text_is_escaped(db, client):
    article = ArticleFactory(title="<script>alert(1)</script>", lead="<b>лид</b>")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# Metadata on every page ----------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/news/", "/tags/avtoprom/", "/companies/tulpar-motors/"])
def test_pages_carry_canonical_social_and_feed_tags(seeded, client, url):
    content = client.get(url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{url}">' in content
    assert '<meta name="description" content="' in content
    assert '<meta property="og:title"' in content
    assert '<meta name="twitter:card" content="summary">' in content
    assert 'type="application/rss+xml"' in content
    assert '<html lang="ru">' in content
    assert 'class="skip-link" href="#content"' in content


def test_article_metadata(seeded, client):
    content = client.get(seeded.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in content
    assert '<meta property="article:published_time" content="2025-08-16T16:30:00+06:00">' in content


# Tags and errors -------------------------------------------------------------


def test_tag_page(seeded, client, django_assert_num_queries):
    with django_assert_num_queries(2):  # tag, page
        response = client.get("/tags/avtoprom/")
    assert list(response.context["articles"]) == [seeded]
    assert 'href="/tags/avtoprom/feed/"' in response.content.decode()
    assert client.get("/tags/net-takogo/").status_code == 404


def test_friendly_404(db, client):
    response = client.get("/net-takoy-stranitsy/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Такой страницы нет" in content
    assert 'action="/search/"' in content


def test_article_page_embeds_news_article_json_ld(seeded, client):
    content = client.get(seeded.get_absolute_url()).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == seeded.title
    assert "http://testserver/companies/tulpar-motors/" in {m["url"] for m in data["mentions"]}


def test_archive_past_the_end_is_not_found(db, client):
    ArticleFactory()
    assert client.get("/news/?page=7").status_code == 404
