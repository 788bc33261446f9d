"""Following and confirming in a real browser: a visitor on a company page follows,
takes the link from the confirmation mail, confirms, and sees the company on the
manage page; the form and the manage page pass axe-core."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from companies.tests.factories import CompanyFactory
from following import sending
from following.tests.follow_helpers import LINK, parts, read_back
from portal.tests.test_browser import BLOCKING_IMPACTS, format_violations, open_page

pytestmark = pytest.mark.browser

ADDRESS = "aibek.test@pochta.example"


def assert_accessible(page) -> None:
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe-core found:\n" + format_violations(blocking)


def confirmation_link() -> str:
    (sent,) = mail.outbox
    text = parts(read_back(sent))["text/plain"]
    (url,) = [url for url in LINK.findall(text) if "/follow/confirm/" in url]
    return url


def test_a_visitor_follows_a_company_confirms_and_manages(
    live_server, page, transactional_db, settings
):
    settings.SITE_URL = live_server.url  # the links in mail lead to this server
    company = CompanyFactory(name="Степной Автозавод")
    open_page(page, live_server.url + company.get_absolute_url())
    assert_accessible(page)

    form = page.locator("form.follow-form")
    form.get_by_label("Электронная почта").fill(ADDRESS)
    form.get_by_label("раз в неделю").check()
    form.get_by_role("button", name="Следить").click()
    page.wait_for_url(re.compile(r"/follow/companies/"))
    assert page.locator("h1").inner_text() == "Проверьте почту"

    assert sending.send_due() == 1
    open_page(page, confirmation_link())
    assert "Степной Автозавод" in page.locator("main").inner_text()
    page.get_by_role("button", name="Подтвердить").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Подписка подтверждена"

    page.get_by_role("link", name=re.compile("Мои подписки")).click()
    page.wait_for_url(re.compile(r"/follow/manage/"))
    listed = page.locator(".manage-list").get_by_role("link", name="Степной Автозавод")
    assert listed.get_attribute("href") == company.get_absolute_url()
    assert page.locator(".manage-list select").input_value() == "weekly"
    assert_accessible(page)
