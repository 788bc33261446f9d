"""An editor's day in a real browser: write, publish, and see the article linked on the site."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Article
from articles.roles import EDITOR, setup_roles

pytestmark = pytest.mark.browser

PASSWORD = "редакция-2025-пароль"


@pytest.fixture
def editor(transactional_db):
    call_command("loaddata", "seeds/catalog.json", verbosity=0)
    setup_roles()
    user = User.objects.create_user("redaktor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def test_editor_writes_publishes_and_finds_the_article_linked(live_server, page, editor):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.fill("#id_title", "Тулпар Моторс нанимает инженеров")
    page.fill("#id_lead", "Завод начал набор инженеров.")
    page.fill("#id_body", "На встрече с Тулпар Моторсом обсудили кадры.\n\n## Планы\n\nДальше.")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert "Найдены и связаны" in page.inner_text(".messagelist")

    article = Article.objects.get()
    assert article.slug == "tulpar-motors-nanimaet-inzhenerov"
    page.goto(live_server.url + article.get_absolute_url())
    mention = page.locator('.article-body a.mention[href="/companies/tulpar-motors/"]')
    assert mention.inner_text() == "Тулпар Моторсом"
    mention.click()
    assert page.locator("h1").inner_text() == "Тулпар Моторс"
    assert page.locator(f'.card-title a[href="{article.get_absolute_url()}"]').count() == 1
