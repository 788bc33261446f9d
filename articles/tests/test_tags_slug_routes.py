"""One function makes every slug: a tricky headline gets the same slug by every route
(the admin's forms left blank, the loader, tags made any way), and no admin fills a
slug in the browser, where Django's script would transliterate otherwise."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory

from articles.linking.topics import tag_articles
from articles.models import Article, Tag
from articles.roles import EDITOR, setup_roles
from articles.seeding import load_documents
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory
from companies.models import Company
from portal.slugs import make_slug

HEADLINE = "Ёлки и длинный Казахстан"
# python-slugify's reading: Django's URLify in the browser gave yolki-i-dlinnyj-kazahstan.
SLUG = "elki-i-dlinnyi-kazakhstan"


@pytest.fixture
def editor_client(client, db):
    setup_roles()
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    client.force_login(user)
    return client


def post_add_form(client, url: str, **values) -> None:
    """Fill the admin's add form at ``url`` as an editor would, slug left blank."""
    data = form_data(client.get(url))
    data.update(values, slug="")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def article_in_admin(client, tmp_path) -> str:
    post_add_form(client, "/admin/articles/article/add/", title=HEADLINE, lead="Лид.")
    return Article.objects.get().slug


def article_from_a_seed_file(client, tmp_path) -> str:
    seed = tmp_path / "elki.txt"
    seed.write_text(f"date 2025-08-16\n{HEADLINE}\n\nЛид новости.\n", encoding="utf-8")
    load_documents(paths=[seed], catalog=None)
    return Article.objects.get().slug


def company_in_admin(client, tmp_path) -> str:
    post_add_form(client, "/admin/companies/company/add/", name=HEADLINE)
    return Company.objects.get().slug


def tag_in_admin(client, tmp_path) -> str:
    post_add_form(client, "/admin/articles/tag/add/", name=HEADLINE)
    return Tag.objects.get().slug


def tag_made_in_code(client, tmp_path) -> str:
    return Tag.objects.create(name=HEADLINE).slug


def tag_added_by_name(client, tmp_path) -> str:
    ArticleFactory(tags=[HEADLINE])
    return Tag.objects.get().slug


def tag_by_the_add_tag_action(client, tmp_path) -> str:
    article = ArticleFactory()
    data = {"action": "add_tag", "_selected_action": [article.pk], "tag": HEADLINE}
    client.post("/admin/articles/article/", data)
    return Tag.objects.get().slug


def tag_by_the_loader(client, tmp_path) -> str:
    tag_articles(names={ArticleFactory().pk: [HEADLINE]})
    return Tag.objects.get().slug


ROUTES = [
    article_in_admin,
    article_from_a_seed_file,
    company_in_admin,
    tag_in_admin,
    tag_made_in_code,
    tag_added_by_name,
    tag_by_the_add_tag_action,
    tag_by_the_loader,
]


def test_the_one_slug_function():
    assert make_slug(HEADLINE) == SLUG


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.__name__)
def test_every_route_gives_the_same_slug(editor_client, tmp_path, route):
    assert route(editor_client, tmp_path) == SLUG


def test_no_admin_fills_a_slug_in_the_browser(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    prefilling = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if model_admin.get_prepopulated_fields(request)
    ]
    assert prefilling == []


def test_a_second_entity_of_the_same_name_gets_a_numbered_slug(editor_client, tmp_path):
    Company.objects.create(name=HEADLINE)
    # The editor confirms, under the duplicate-name warning, that it is another company.
    post_add_form(
        editor_client, "/admin/companies/company/add/", name=HEADLINE.upper(), confirm_other="on"
    )
    assert sorted(Company.objects.values_list("slug", flat=True)) == [SLUG, f"{SLUG}-2"]
