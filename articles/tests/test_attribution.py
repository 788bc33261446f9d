"""Attribution on articles: the source's name and address, validated, edited in the
admin, shown on the page («Источник: …»), in JSON-LD (``isBasedOn``) and in ninjs."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from articles.jsonld import news_article_jsonld
from articles.models import Article
from articles.ninjs import article_to_ninjs
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory
from articles.tests.test_ninjs import validate

NAME = "Агентство «Степной вестник»"
URL = "https://stepnoy-vestnik.example/news/2025/08/zavod?utm=rss&id=7"
BASE = "https://example.org"


def attributed(**fields) -> Article:
    return ArticleFactory(source_name=NAME, source_url=URL, **fields)


# Validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["ftp://stepnoy-vestnik.example/file", "javascript:alert(1)", "stepnoy vestnik", "//x.example"],
)
def test_an_address_other_than_http_is_refused_naming_the_field(db, address):
    article = ArticleFactory.build(source_name=NAME, source_url=address)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    messages = refused.value.message_dict["source_url"]
    assert len(messages) == 1
    assert "«Адрес источника»" in messages[0]
    assert "http://" in messages[0]


def test_an_address_without_a_name_is_refused_naming_the_name_field(db):
    article = ArticleFactory.build(source_name="  ", source_url=URL)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert list(refused.value.message_dict) == ["source_name"]
    assert "«Источник»" in refused.value.message_dict["source_name"][0]


@pytest.mark.parametrize("name, address", [(NAME, URL), (NAME, ""), ("", "")])
def test_a_name_with_or_without_an_address_and_none_at_all_are_valid(db, name, address):
    ArticleFactory.build(source_name=name, source_url=address).full_clean()


# The admin -------------------------------------------------------------------


@pytest.fixture
def admin_page(db, admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def change_url(article: Article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_the_change_form_has_a_source_fieldset(admin_page):
    page = admin_page.get(change_url(ArticleFactory())).content.decode()
    heading = re.search(r"<h2[^>]*>\s*Источник\s*</h2>", page)
    assert heading
    fieldset = page[heading.end() : page.index("</fieldset>", heading.end())]
    assert 'name="source_name"' in fieldset
    assert 'name="source_url"' in fieldset
    assert "Адрес источника" in fieldset


def test_an_editor_sets_the_attribution_in_the_admin(admin_page):
    article = ArticleFactory()
    data = form_data(admin_page.get(change_url(article)))
    data.update(source_name=f"  {NAME}\r\n", source_url=URL)
    assert admin_page.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert (article.source_name, article.source_url) == (NAME, URL)


@pytest.mark.parametrize(
    "name, address, field, words",
    [
        ("", URL, "source_name", "«Источник»"),
        (NAME, "ftp://stepnoy-vestnik.example/", "source_url", "«Адрес источника»"),
        (NAME, "не адрес", "source_url", "«Адрес источника»"),
    ],
)
def test_the_admin_refuses_a_bad_attribution_under_its_field(
    admin_page, name, address, field, words
):
    article = ArticleFactory()
    data = form_data(admin_page.get(change_url(article)))
    data.update(source_name=name, source_url=address)
    response = admin_page.post(change_url(article), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert words in errors[field][0]
    article.refresh_from_db()
    assert article.source_url == ""


# The page --------------------------------------------------------------------


def test_the_page_names_and_links_the_source(db, client):
    article = attributed()
    page = client.get(article.get_absolute_url()).content.decode()
    link = f'<a href="{URL.replace("&", "&amp;")}" rel="nofollow noopener">{NAME}</a>'
    assert f'<p class="meta source">Источник: {link}</p>' in page.replace("&#34;", '"')


def test_a_source_without_an_address_is_named_without_a_link(db, client):
    article = ArticleFactory(source_name=NAME)
    page = client.get(article.get_absolute_url()).content.decode().replace("&#34;", '"')
    assert f'<p class="meta source">Источник: {NAME}</p>' in page


def test_an_article_without_a_source_says_nothing_of_one(db, client):
    page = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert "Источник:" not in page
    assert "isBasedOn" not in page


def test_the_source_is_escaped_on_the_page(db, client):
    article = ArticleFactory(
        source_name="<script>alert(1)</script>", source_url='https://x.example/"onmouseover="a'
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert '"onmouseover="' not in page


# Structured data -------------------------------------------------------------


def test_json_ld_says_what_the_article_is_based_on(db):
    article = Article.objects.with_entities().get(pk=attributed().pk)
    data = news_article_jsonld(article, base_url=BASE)
    assert data["isBasedOn"] == {
        "@type": "CreativeWork",
        "url": URL,
        "publisher": {"@type": "Organization", "name": NAME},
    }


def test_json_ld_of_a_source_without_an_address_names_its_publisher(db):
    article = Article.objects.with_entities().get(pk=ArticleFactory(source_name=NAME).pk)
    data = news_article_jsonld(article, base_url=BASE)
    assert data["isBasedOn"] == {
        "@type": "CreativeWork",
        "publisher": {"@type": "Organization", "name": NAME},
    }


def test_json_ld_on_the_page_carries_is_based_on(db, client):
    page = client.get(attributed().get_absolute_url()).content.decode()
    assert '"isBasedOn"' in page
    assert "stepnoy-vestnik.example/news/2025/08/zavod" in page


def test_ninjs_carries_the_source_as_an_info_source(db):
    article = Article.objects.with_entities().get(pk=attributed().pk)
    document = article_to_ninjs(article, base_url=BASE)
    validate(document)
    assert document["infoSources"] == [
        {"name": NAME, "role": "originfo", "uri": "https://stepnoy-vestnik.example/"}
    ]


def test_ninjs_info_source_keeps_no_password_of_the_address(db):
    article = ArticleFactory(source_name=NAME, source_url="https://user:secret@x.example:8443/a")
    document = article_to_ninjs(Article.objects.with_entities().get(pk=article.pk), base_url=BASE)
    validate(document)
    assert document["infoSources"][0]["uri"] == "https://x.example:8443/"


def test_ninjs_without_a_source_has_no_info_sources(db):
    article = Article.objects.with_entities().get(pk=ArticleFactory().pk)
    assert "infoSources" not in article_to_ninjs(article, base_url=BASE)
