"""Tags: a Latin slug whatever the route, and one tag per name in any letter case."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.linking.topics import tag_articles
from articles.models import Article, Tag
from articles.tests.factories import ArticleFactory

NAME = "Выставки и салоны"


# Slugs ------------------------------------------------------------------------


def test_a_tag_made_in_code_gets_a_transliterated_slug(db):
    assert Tag.objects.create(name=NAME).slug == "vystavki-i-salony"


@pytest.mark.parametrize("given", ["выставки-и-салоны", "салоны 2025", ""])
def test_a_slug_the_site_cannot_serve_is_replaced_by_a_latin_one(db, given):
    assert Tag.objects.create(name=NAME, slug=given).slug == "vystavki-i-salony"


def test_a_latin_slug_given_is_kept(db):
    assert Tag.objects.create(name=NAME, slug="salony").slug == "salony"


def test_slugs_of_tags_with_one_transliteration_are_numbered_from_2(db):
    slugs = [Tag.objects.create(name=name).slug for name in ("Ёлки", "Елки!", "Елки?")]
    assert slugs == ["elki", "elki-2", "elki-3"]


def test_a_name_without_letters_gets_a_slug_all_the_same(db):
    assert Tag.objects.create(name="…").slug == "tag"
    assert Tag.objects.create(name="«»").slug == "tag-2"


def test_a_tag_page_and_its_feed_answer_for_a_cyrillic_name(db, client):
    # The slug as Django's prefill script in the admin made it.
    tag = Tag.objects.create(name=NAME, slug="выставки-и-салоны")
    article = ArticleFactory(title="Салон открылся", tags=[tag])
    page = client.get(tag.get_absolute_url())
    assert page.status_code == 200
    assert article.title in page.content.decode()
    feed = client.get(f"{tag.get_absolute_url()}feed/")
    assert feed.status_code == 200
    assert article.title in feed.content.decode()


def test_every_tag_the_sitemap_lists_answers(db, client):
    ArticleFactory(tags=[Tag.objects.create(name=NAME, slug="выставки-и-салоны"), "Грузовики"])
    sitemap = client.get("/sitemap-tags.xml").content.decode()
    addresses = re.findall(r"<loc>http://testserver(.*?)</loc>", sitemap)
    assert sorted(addresses) == ["/tags/gruzoviki/", "/tags/vystavki-i-salony/"]
    assert [client.get(address).status_code for address in addresses] == [200, 200]


def test_a_tag_no_published_article_carries_has_no_page_feed_or_sitemap_entry(db, client):
    # Drafts and scheduled articles carry it: no public page under a name no
    # editor has published yet.
    ArticleFactory(status=Article.Status.DRAFT, tags=[NAME])
    ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1), tags=[NAME])
    assert client.get("/tags/vystavki-i-salony/").status_code == 404
    assert client.get("/tags/vystavki-i-salony/feed/").status_code == 404
    assert "vystavki" not in client.get("/sitemap-tags.xml").content.decode()


# One tag per name in any case ---------------------------------------------------------


def test_the_database_refuses_a_second_tag_differing_only_in_case(db):
    Tag.objects.create(name=NAME)
    with pytest.raises(IntegrityError), transaction.atomic():
        Tag.objects.create(name="выставки и САЛОНЫ")
    assert Tag.objects.count() == 1


@pytest.mark.parametrize("other", ["выставки и салоны", "ВЫСТАВКИ И САЛОНЫ", " Выставки  и салоны"])
def test_adding_a_name_in_other_case_reuses_the_tag(db, other):
    first = ArticleFactory(tags=[NAME])
    second = ArticleFactory(tags=[other])
    assert Tag.objects.count() == 1
    assert list(second.tags.all()) == list(first.tags.all())


def test_setting_tags_by_name_in_other_case_keeps_the_tag(db):
    article = ArticleFactory(tags=[NAME])
    article.tags.set(["выставки и салоны", "Грузовики"])
    assert sorted(article.tags.names()) == ["Выставки и салоны", "Грузовики"]
    assert Tag.objects.count() == 2


def test_yo_and_ye_are_one_tag(db):
    ArticleFactory(tags=["Ёлки"])
    ArticleFactory(tags=["елки"])
    assert list(Tag.objects.values_list("name", flat=True)) == ["Ёлки"]


def test_the_loader_tags_with_the_tag_an_editor_spelled_in_lower_case(db):
    editors = Tag.objects.create(name="автопром")
    article = ArticleFactory()
    tag_articles(names={article.pk: ["Автопром"]})
    assert list(article.tags.all()) == [editors]
    assert Tag.objects.count() == 1


def test_for_name_finds_in_any_case_or_makes_the_tag(db):
    tag = Tag.objects.for_name(NAME)
    assert tag.name == NAME
    assert Tag.objects.for_name("ВЫСТАВКИ  И\tСАЛОНЫ ") == tag
    assert list(Tag.objects.named("выставки и салоны")) == [tag]


def test_renaming_keeps_the_key_in_step(db):
    tag = Tag.objects.create(name="Салоны")
    tag.name = NAME
    tag.save(update_fields=["name"])
    assert Tag.objects.named("выставки и салоны").get() == tag
