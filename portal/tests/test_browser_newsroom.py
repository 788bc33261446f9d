"""A newsroom in real browsers: publishing an old draft dates it today, and two editors
saving one article see each other's change and merge it by hand."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from articles.roles import EDITOR, setup_roles
from articles.tests.factories import ArticleFactory
from portal.tests.conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

PASSWORD = "редакция-2025-пароль"
PARAGRAPHS = [
    "Завод «Вымышленные моторы» отчитался о полугодии: выпуск вырос.",
    "Директор Арсен Примеров сказал, что линия сварки работает в две смены.",
    "Новая покрасочная камера заработает в декабре, если оборудование придёт вовремя.",
]


@pytest.fixture
def editors(transactional_db):
    setup_roles()
    for name in ("anna", "boris"):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.first_name = name.title()
        user.save()
        user.groups.add(Group.objects.get(name=EDITOR))


@pytest.fixture
def open_page(browser):
    """Pages in browser contexts of their own (separate cookies: separate editors),
    with the console errors of each (a style or script the CSP refuses shows there)."""
    contexts, errors = [], []

    def open_page():
        context = browser.new_context(locale="ru-RU")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        return page

    open_page.errors = errors
    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, live_server, name: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_a_two_day_old_draft_published_through_the_status_field_is_todays_news(
    live_server, open_page, editors
):
    draft = ArticleFactory(
        title="Черновик позавчерашний",
        slug="chernovik-pozavcherashnii",
        status=Article.Status.DRAFT,
        published_at=timezone.now() - dt.timedelta(days=2, hours=1),
    )
    page = open_page()
    sign_in(page, live_server, "anna", change_url(draft))
    assert "при публикации статья получит время публикации" in page.inner_text(
        ".field-published_at"
    )

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert "(момент публикации)" in page.inner_text(".messagelist")

    page.goto(live_server.url + draft.get_absolute_url())
    today = date_format(timezone.localtime(), "j E Y")
    assert today in page.inner_text("article time")
    news = page.request.get(f"{live_server.url}/news-sitemap.xml").text()
    assert "/news/chernovik-pozavcherashnii/" in news
    assert open_page.errors == []


def test_two_editors_save_one_article_and_the_second_merges_by_hand(
    live_server, open_page, editors
):
    article = ArticleFactory(title="Завод отчитался", body="\n\n".join(PARAGRAPHS))
    anna, boris = open_page(), open_page()
    sign_in(anna, live_server, "anna", change_url(article))
    sign_in(boris, live_server, "boris", change_url(article))

    body = anna.input_value("#id_body")
    anna.fill("#id_body", body.replace("в декабре", "в ноябре"))
    anna.click("input[name=_save]")
    anna.wait_for_selector(".messagelist")

    body = boris.input_value("#id_body")
    boris.fill("#id_body", body.replace("в две смены", "в три смены"))
    boris.click("input[name=_save]")
    boris.wait_for_selector(".edit-conflict")
    assert "уже сохранил другой редактор (Anna" in boris.inner_text(".errorlist.nonfield")
    theirs = boris.locator("#conflict-body .conflict-side--theirs")
    assert theirs.locator("ins", has_text="ноябре").count() == 1
    assert theirs.locator("del", has_text="декабре").count() == 1
    yours = boris.locator("#conflict-body .conflict-side--yours")
    assert yours.locator("ins", has_text="три").count() == 1
    # His text is still in the form; he brings Anna's change over by hand.
    assert "в три смены" in boris.input_value("#id_body")
    boris.click("#conflict-body summary")
    assert "в ноябре" in boris.input_value("#conflict-body textarea")
    merged = boris.input_value("#id_body").replace("в декабре", "в ноябре")
    boris.fill("#id_body", merged)
    boris.click("input[name=_save]")
    boris.wait_for_selector(".messagelist")
    assert boris.locator(".edit-conflict").count() == 0

    saved = Article.objects.get(pk=article.pk).body
    assert "в три смены" in saved and "в ноябре" in saved
    assert open_page.errors == []
