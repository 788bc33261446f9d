"""In a real browser: the editor rejects a mention, re-links, and it stays rejected."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from articles.models import Article
from articles.roles import EDITOR, setup_roles
from companies.models import Country

pytestmark = pytest.mark.browser

PASSWORD = "редакция-2025-пароль"


@pytest.fixture
def seeded_editor(transactional_db):
    call_command("load_seed", verbosity=0)  # the catalog and the seed article
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


def test_editor_rejects_a_mention_and_it_stays_rejected(
    live_server, page, console_errors, seeded_editor
):
    article = Article.objects.get()
    russia = Country.objects.get(slug="rossiya")
    change_url = f"/admin/articles/article/{article.pk}/change/"
    sign_in(page, live_server, change_url)

    panel = page.locator(".mentions-panel")
    lead = panel.locator(".mentions-text", has_text="Лид")
    assert lead.locator("mark.mention--linker", has_text="Роман Чекушов").count() == 1
    assert lead.locator("mark.mention--linker", has_text="Россия").count() == 1
    assert "страна, найдено, ссылка на сайте" in lead.inner_text()

    # Enter in a field saves the article: it does not press a panel button.
    page.press("#id_title", "Enter")
    page.wait_for_url("**/admin/articles/article/")
    assert "успешно изменен" in page.inner_text(".messagelist")
    assert article.countries.filter(pk=russia.pk).exists()

    page.goto(live_server.url + change_url)

    page.click(f'button.mention-reject[value="companies.country:{russia.pk}"]')
    page.wait_for_selector(".messagelist")
    assert "Связь отклонена" in page.inner_text(".messagelist")
    assert not article.countries.filter(pk=russia.pk).exists()

    # Re-link from the list, as an editor would after the catalog changed.
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.check(f'input.action-select[value="{article.pk}"]')
    page.select_option("select[name=action]", "relink_selected")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist")
    assert "Связи обновлены" in page.inner_text(".messagelist")

    page.goto(live_server.url + change_url)
    row = page.locator(f"#mentions-companies-country-{russia.pk}")
    assert "отклонено редактором" in row.inner_text()
    assert row.locator("button.mention-restore").count() == 1
    assert lead.locator("mark.mention--rejected", has_text="Россия").count() == 1
    assert not article.countries.filter(pk=russia.pk).exists()

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator('.lead a.mention[href="/countries/rossiya/"]').count() == 0
    assert page.locator('.lead a.mention[href="/officials/roman-chekushov/"]').count() == 1
    assert console_errors == []
