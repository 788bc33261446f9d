"""The article's text on the page: the first mention of each entity, lead included, is a link."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.linking import link_entities, refresh_positions, remove_link
from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.models import Company, Country, Official

SEED = Path(settings.BASE_DIR) / "seeds" / "000_f151a0e0119b62b8.txt"
LINK = re.compile(r'<a class="mention" href="([^"]+)">([^<]+)</a>')


def page(client, article) -> str:
    return client.get(article.get_absolute_url()).content.decode()


def lead_html(content: str) -> str:
    return re.search(r'<p class="lead">(.*?)</p>', content, re.S).group(1)


def body_html(content: str) -> str:
    return re.search(r'<div class="article-body">(.*?)</div>', content, re.S).group(1)


def linked(article: Article) -> Article:
    link_entities(article=article)
    article.refresh_from_db()
    return article


def test_the_seed_article_links_the_entities_its_lead_names(catalog, client):
    call_command("load_seed", str(SEED), "--no-catalog", verbosity=0)
    article = Article.objects.get()
    links = dict(LINK.findall(lead_html(page(client, article))))
    assert links["/officials/roman-chekushov/"] == "Роман Чекушов"
    assert links["/countries/rossiya/"] == "Россия"
    assert links["/countries/kyrgyzstan/"] == "Киргизия"
    # The official's full position names his ministry.
    assert "/companies/minpromtorg-rossii/" in links


def test_an_entity_named_in_the_lead_is_linked_there_and_not_again(catalog, client):
    article = linked(
        ArticleFactory(
            lead="Роман Чекушов приехал в Киргизию.",
            body="Чекушов осмотрел завод Тулпар Моторс.\n\nТулпар Моторс и Чекушов снова.",
        )
    )
    content = page(client, article)
    assert LINK.findall(lead_html(content)) == [
        ("/officials/roman-chekushov/", "Роман Чекушов"),
        ("/countries/kyrgyzstan/", "Киргизию"),
    ]
    assert LINK.findall(body_html(content)) == [("/companies/tulpar-motors/", "Тулпар Моторс")]


def test_the_headline_is_never_a_link_and_leaves_the_first_link_to_the_text(catalog, client):
    article = linked(
        ArticleFactory(
            title="Тулпар Моторс растёт",
            lead="Завод набирает людей.",
            body="Тулпар Моторс открыл цех.",
        )
    )
    content = page(client, article)
    assert "<h1>Тулпар Моторс растёт</h1>" in content
    assert LINK.findall(body_html(content)) == [("/companies/tulpar-motors/", "Тулпар Моторс")]
    assert article.mentions[0][:3] == [0, 0, len("Тулпар Моторс")]  # kept for the editor


def test_a_brand_inside_a_model_name_is_linked_at_its_next_mention(catalog, client):
    article = linked(
        ArticleFactory(
            lead="В Киргизии собирают Chevrolet Tracker.",
            body="Марка Chevrolet известна давно.",
        )
    )
    content = page(client, article)
    assert ("/models/chevrolet-tracker/", "Chevrolet Tracker") in LINK.findall(lead_html(content))
    assert LINK.findall(body_html(content)) == [("/companies/chevrolet/", "Chevrolet")]


def test_an_unlinked_entity_is_not_linked_in_the_lead(catalog, client):
    article = linked(ArticleFactory(lead="Роман Чекушов в Киргизии.", body=""))
    remove_link(article=article, entity=Official.objects.get(slug="roman-chekushov"))
    lead = lead_html(page(client, article))
    assert LINK.findall(lead) == [("/countries/kyrgyzstan/", "Киргизии")]
    assert lead.startswith("Роман Чекушов в ")


def test_the_lead_around_the_links_is_escaped(catalog, client):
    article = linked(ArticleFactory(lead="<b>Тулпар Моторс</b> & «Киргизия»", body=""))
    lead = lead_html(page(client, article))
    assert lead == (
        '&lt;b&gt;<a class="mention" href="/companies/tulpar-motors/">Тулпар Моторс</a>'
        '&lt;/b&gt; &amp; «<a class="mention" href="/countries/kyrgyzstan/">Киргизия</a>»'
    )


@pytest.mark.parametrize("field", ["title", "lead", "body"])
def test_positions_of_another_text_are_never_applied(catalog, client, field):
    article = linked(ArticleFactory(title="Киргизия", lead="Тулпар Моторс.", body="Киргизия."))
    # Written past the linker (a data fix, a shell): the positions no longer fit.
    Article.objects.filter(pk=article.pk).update(**{field: "Россия и Тулпар Моторс, заново."})
    content = page(client, Article.objects.get(pk=article.pk))
    assert 'class="mention"' not in content
    assert "Россия и Тулпар Моторс, заново." in content


def test_articles_without_positions_show_plain_text_until_they_get_them(catalog, client):
    article = linked(ArticleFactory(lead="Тулпар Моторс в Киргизии.", body=""))
    # As the migration left every existing article: links kept, positions empty.
    Article.objects.filter(pk=article.pk).update(mentions=[], mentions_hash="")
    assert 'class="mention"' not in page(client, article)

    assert refresh_positions() == 1
    assert refresh_positions() == 0  # nothing left to do
    assert LINK.findall(lead_html(page(client, article))) == [
        ("/companies/tulpar-motors/", "Тулпар Моторс"),
        ("/countries/kyrgyzstan/", "Киргизии"),
    ]


def test_refreshing_positions_leaves_links_and_editors_decisions_alone(catalog):
    article = linked(ArticleFactory(lead="Тулпар Моторс в Киргизии.", body=""))
    remove_link(article=article, entity=Country.objects.get(slug="kyrgyzstan"))
    unlinked = ArticleFactory(lead="Тулпар Моторс.", body="")  # never linked
    refresh_positions()
    assert list(article.countries.all()) == []
    assert list(unlinked.companies.all()) == []
    assert Article.objects.get(pk=unlinked.pk).mentions_fresh


def test_load_seed_stores_positions_of_articles_that_have_none(catalog, client):
    article = ArticleFactory(lead="Тулпар Моторс.", body="")
    article.companies.add(Company.objects.get(slug="tulpar-motors"))
    call_command("load_seed", str(SEED), "--no-catalog", verbosity=0)
    article.refresh_from_db()
    assert article.mentions_fresh
    assert LINK.findall(lead_html(page(client, article))) == [
        ("/companies/tulpar-motors/", "Тулпар Моторс")
    ]


def test_relink_stores_positions_of_the_whole_text(catalog):
    article = ArticleFactory(title="Киргизия", lead="Тулпар Моторс.", body="Россия.")
    call_command("relink", verbosity=0)
    article.refresh_from_db()
    assert [(text, label) for text, _s, _e, label, _pk in article.mentions] == [
        (0, "companies.country"),
        (1, "companies.company"),
        (2, "companies.country"),
    ]
    assert article.mentions_fresh


def test_feed_and_ninjs_keep_the_lead_plain(catalog, client):
    article = linked(ArticleFactory(lead="Тулпар Моторс в Киргизии.", body="Россия."))
    feed = client.get("/feeds/news.xml").content.decode()
    assert "Тулпар Моторс в Киргизии." in feed
    assert "mention" not in feed
    ninjs = client.get(article.get_ninjs_url()).json()
    assert ninjs["descriptions"][0]["value"] == "Тулпар Моторс в Киргизии."
    assert "<a" not in ninjs["bodies"][0]["value"]


def test_search_snippets_highlight_words_not_links(catalog, client):
    linked(ArticleFactory(lead="Роман Чекушов посетил завод в Киргизии.", body=""))
    content = client.get("/search/", {"q": "Чекушов"}).content.decode()
    assert "<mark>Чекушов</mark>" in content
    assert 'class="mention"' not in content
