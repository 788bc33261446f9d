"""The editor's path in a real browser: from «Входящие» to an item, to a draft, to
the published article whose page names its source with a link.

Here beside the other browser tests, whose session-wide Playwright it shares (a
second one in the same process cannot start)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from articles.roles import EDITOR, setup_roles
from companies.tests.factories import CompanyFactory
from inbox.tests.desk_helpers import PASSWORD, make_item
from inbox.tests.factories import SourceFactory

pytestmark = pytest.mark.browser

SOURCE = "Агентство «Степной вестник»"


@pytest.fixture
def editor(transactional_db):
    setup_roles()
    user = User.objects.create_user("redaktor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def test_an_editor_turns_an_item_into_a_published_article_with_its_source(
    live_server, page, editor
):
    CompanyFactory(name="Восток-Металл")
    source = SourceFactory(name=SOURCE, default_tags="металлургия")
    item = make_item(
        source,
        title="Восток-Металл запустил вторую линию",
        lead="Восток-Металл начал выпуск стального профиля.",
        body="Директор Айбек Токтосунов рассказал о трёх сменах.\n\nПрофиль получат в октябре.",
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.get_by_role("link", name="Входящие", exact=True).first.click()
    page.get_by_role("link", name=item.title).click()
    assert page.locator("mark.mention").first.inner_text() == "Восток-Металл"

    page.get_by_role("button", name="Сделать черновик").click()
    page.wait_for_selector(".messagelist")
    assert "Черновик создан" in page.inner_text(".messagelist")
    assert page.input_value("#id_title") == item.title
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")

    article = Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    page.goto(live_server.url + article.get_absolute_url())
    assert "Айбек Токтосунов рассказал о трёх сменах" in page.inner_text("article")
    source_line = page.locator("article header .source")
    assert source_line.inner_text() == f"Источник: {SOURCE}"
    assert source_line.get_by_role("link", name=SOURCE).get_attribute("href") == item.url
