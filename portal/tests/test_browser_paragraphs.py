"""An editor's paragraphs in a real browser: typed in the admin, kept on every public output.

Browsers submit a textarea's line breaks as CRLF (the HTML form submission rules), so
this is the one place the text arrives exactly as an editor's does. The test types two
paragraphs, a subheading and a word hyphenated at a line end (as pasted from a PDF),
publishes, and reads the article page, the RSS feed and the ninjs export.
"""

import json
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from articles.roles import EDITOR, setup_roles

pytestmark = pytest.mark.browser

PASSWORD = "редакция-2025-пароль"
TITLE = "Сборочный цех расширят к весне"
LEAD = "Завод в Бишкеке расширяет сборочный цех.\nРаботы займут полгода."
FIRST = "Первый абзац: подрядчик уже выбран."
SUBHEADING = "Планы на год"
# The second paragraph spans two lines, one word broken at the line end.
SECOND_TYPED = "Второй абзац: произ-\nводство вырастет вдвое."
SECOND = "Второй абзац: производство вырастет вдвое."


@pytest.fixture
def editor(transactional_db):
    setup_roles()
    user = User.objects.create_user("redaktor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


def write_and_publish(page, live_server) -> Article:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/articles/article/add/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.fill("#id_title", TITLE)
    page.fill("#id_lead", LEAD)
    page.fill("#id_body", f"{FIRST}\n\n## {SUBHEADING}\n\n{SECOND_TYPED}\n")
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    return Article.objects.get()


def test_paragraphs_and_subheading_typed_in_the_admin_reach_every_output(live_server, page, editor):
    article = write_and_publish(page, live_server)

    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator(".article-body p").all_inner_texts() == [FIRST, SECOND]
    assert page.locator(".article-body h2").all_inner_texts() == [SUBHEADING]

    ninjs = json.loads(page.request.get(live_server.url + article.get_ninjs_url()).text())
    html, text = ninjs["bodies"]
    assert html["value"] == f"<p>{FIRST}</p>\n<h2>{SUBHEADING}</h2>\n<p>{SECOND}</p>"
    assert text["value"] == f"{FIRST}\n\n{SUBHEADING}\n\n{SECOND}"
    assert ninjs["descriptions"][0]["value"] == LEAD

    # The feed carries the headline and the lead (the body is the page's).
    feed = page.request.get(f"{live_server.url}/feeds/news.xml").text()
    item = ET.fromstring(feed).find("channel/item")
    assert item.findtext("title") == TITLE
    assert item.findtext("description") == LEAD
    assert "&#13;" not in feed

    article.refresh_from_db()
    assert (article.lead, article.body) == (LEAD, f"{FIRST}\n\n## {SUBHEADING}\n\n{SECOND}")
