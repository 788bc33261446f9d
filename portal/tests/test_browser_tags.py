"""In a real browser: an editor makes a tag in Cyrillic, puts it on an article, and
readers find its page and feed; a headline gets the same slug whatever the route."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article, Tag
from articles.roles import EDITOR, setup_roles
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

PASSWORD = "редакция-2025-пароль"


@pytest.fixture
def editor(transactional_db):
    setup_roles()
    user = User.objects.create_user("redaktor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def sign_in(page, live_server, next_url: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def type_in(page, selector: str, text: str) -> None:
    """Type key by key and leave the field, as a person does (scripts react to keys)."""
    page.locator(selector).press_sequentially(text)
    page.locator(selector).blur()


def choose_in_autocomplete(page, row, typed: str, option: str) -> None:
    """Pick ``option`` in the autocomplete (select2) of the inline ``row``, typing ``typed``."""
    # One request at a time: the live server's threads share one in-memory SQLite
    # connection in tests, and two overlapping requests can find a table locked.
    with page.expect_response(lambda response: "/admin/autocomplete/" in response.url):
        row.locator(".select2-selection").click()
    with page.expect_response(lambda response: "/admin/autocomplete/" in response.url):
        page.locator(".select2-container--open .select2-search__field").fill(typed)
    options = page.locator(".select2-results__option")
    expect(options).to_have_text([option])  # the other tags are filtered out
    options.click()


def test_tag_made_in_cyrillic_has_a_page_and_a_feed(live_server, page, console_errors, editor):
    article = ArticleFactory(title="Салон в Бишкеке открылся", slug="salon-v-bishkeke")
    Tag.objects.create(name="Грузовики")
    sign_in(page, live_server, "/admin/articles/tag/add/")

    type_in(page, "#id_name", "Выставки и салоны")
    # Nothing fills the slug in the browser: the server makes it on save.
    assert page.input_value("#id_slug") == ""
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert Tag.objects.get(name="Выставки и салоны").slug == "vystavki-i-salony"

    # The same name in other letter case is the same tag, not a second one.
    page.goto(f"{live_server.url}/admin/articles/tag/add/")
    page.fill("#id_name", "выставки и САЛОНЫ")
    page.click("input[name=_save]")
    assert "уже есть" in page.inner_text(".errorlist")
    assert Tag.objects.count() == 2

    # On the article, the autocomplete finds the tag typed in lower case.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    row = page.locator("#taggedarticle_set-group tr.form-row").first
    choose_in_autocomplete(page, row, "выставки", "Выставки и салоны")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    assert list(article.tags.names()) == ["Выставки и салоны"]

    page.goto(f"{live_server.url}/tags/vystavki-i-salony/")
    assert "Выставки и салоны" in page.locator("h1").inner_text()
    assert page.locator(f'a[href="{article.get_absolute_url()}"]').count() >= 1

    feed = page.request.get(f"{live_server.url}/tags/vystavki-i-salony/feed/")
    assert feed.status == 200
    assert "Салон в Бишкеке открылся" in feed.text()
    assert console_errors == []


def test_blank_slug_is_made_on_the_server_as_everywhere(live_server, page, editor):
    sign_in(page, live_server, "/admin/articles/article/add/")
    type_in(page, "#id_title", "Ёлки и длинный Казахстан")
    assert page.input_value("#id_slug") == ""
    page.fill("#id_lead", "Лид.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")
    # python-slugify's transliteration (portal.slugs.make_slug), not Django's URLify.
    assert Article.objects.get().slug == "elki-i-dlinnyi-kazakhstan"
