"""The Tags admin: the server makes the slug, a name in other case is the same tag,
and search and autocomplete find tags typed in any case, on SQLite as on PostgreSQL."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from taggit.models import Tag as TaggitTag

from articles.admin.tags import TagAdmin
from articles.models import Tag
from articles.roles import EDITOR, setup_roles
from articles.tests.factories import ArticleFactory

ADD = "/admin/articles/tag/add/"
CHANGELIST = "/admin/articles/tag/"
NAME = "Выставки и салоны"


@pytest.fixture
def editor_client(client, db):
    setup_roles()
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    return client


def test_our_tags_have_our_admin_and_taggits_unused_model_none():
    assert isinstance(admin.site.get_model_admin(Tag), TagAdmin)
    assert not admin.site.is_registered(TaggitTag)


def test_the_form_says_a_blank_slug_is_made_from_the_name(editor_client):
    content = editor_client.get(ADD).content.decode()
    assert "Оставьте пустым: слаг составится из названия" in content


def test_a_tag_added_with_a_blank_slug_gets_a_latin_one(editor_client):
    response = editor_client.post(ADD, {"name": NAME, "slug": ""})
    assert response.status_code == 302
    assert Tag.objects.get().slug == "vystavki-i-salony"


def test_a_cyrillic_slug_as_the_browser_prefilled_it_is_refused(editor_client):
    response = editor_client.post(ADD, {"name": NAME, "slug": "выставки-и-салоны"})
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert not Tag.objects.exists()


def test_a_name_in_other_case_is_refused_with_the_existing_tag_named(editor_client):
    Tag.objects.create(name=NAME)
    response = editor_client.post(ADD, {"name": "выставки и САЛОНЫ", "slug": ""})
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["name"]
    assert error == "Такой тег уже есть: «Выставки и салоны» (регистр букв не важен)."
    assert Tag.objects.count() == 1


def test_renaming_a_tag_in_other_case_is_allowed(editor_client):
    tag = Tag.objects.create(name="выставки и салоны")
    response = editor_client.post(
        f"/admin/articles/tag/{tag.pk}/change/", {"name": NAME, "slug": tag.slug}
    )
    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.name, tag.slug) == (NAME, "vystavki-i-salony")


@pytest.mark.parametrize(
    "term", ["выставки", "ВЫСТАВКИ", "Выставки", "салоны выставки", "vystavki"]
)
def test_search_finds_tags_in_any_case(editor_client, term):
    Tag.objects.create(name=NAME)
    Tag.objects.create(name="Грузовики")
    response = editor_client.get(CHANGELIST, {"q": term})
    assert [tag.name for tag in response.context["cl"].result_list] == [NAME]


@pytest.mark.parametrize("term", ["выст", "ВЫСТ"])
def test_the_article_forms_autocomplete_finds_tags_in_any_case(editor_client, term):
    Tag.objects.create(name=NAME)
    Tag.objects.create(name="Грузовики")
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": term,
            "app_label": "articles",
            "model_name": "taggedarticle",
            "field_name": "tag",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == [NAME]


def test_the_add_tag_action_reuses_a_tag_named_in_other_case(editor_client):
    existing = Tag.objects.create(name=NAME)
    article = ArticleFactory()
    editor_client.post(
        "/admin/articles/article/",
        {"action": "add_tag", "_selected_action": [article.pk], "tag": "выставки и салоны"},
    )
    assert list(article.tags.all()) == [existing]
    assert Tag.objects.count() == 1


def test_the_list_counts_each_tags_articles(editor_client):
    ArticleFactory.create_batch(2, tags=[NAME])
    response = editor_client.get(CHANGELIST)
    (tag,) = response.context["cl"].result_list
    assert tag.n == 2
