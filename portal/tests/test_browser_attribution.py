"""The article's attribution in a real browser: a link named by the source, in the
article's header, with nothing for axe-core to object to."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from articles.tests.factories import ArticleFactory
from portal.tests.test_browser import BLOCKING_IMPACTS, format_violations, open_page

pytestmark = pytest.mark.browser

NAME = "Агентство «Степной вестник»"
URL = "https://stepnoy-vestnik.example/news/zavod"


def test_the_source_is_an_accessible_link_in_the_articles_header(
    live_server, page, transactional_db
):
    article = ArticleFactory(source_name=NAME, source_url=URL)
    open_page(page, live_server.url + article.get_absolute_url())
    link = page.locator("article header .source").get_by_role("link", name=NAME)
    assert link.get_attribute("href") == URL
    assert set(link.get_attribute("rel").split()) == {"nofollow", "noopener"}
    assert page.locator("article header .source").inner_text() == f"Источник: {NAME}"
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe-core found:\n" + format_violations(blocking)
