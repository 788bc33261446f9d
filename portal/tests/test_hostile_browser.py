"""The XSS vectors of test_hostile_xss.py, opened in Chromium: none of them runs.

``test_hostile_xss.py`` reads the markup with a parser; here a real browser
renders the pages, ignoring the Content-Security-Policy (Playwright's
``bypass_csp``) so that escaping alone has to hold. Every vector calls
``alert`` or loads a script from elsewhere when it runs: the test fails on any
dialog and on any request that leaves the site. The lists show every vector;
a sample of the article, entity, tag and search pages keeps the test short
(the parser-based tests read all of them).
"""

from urllib.parse import urlencode, urlsplit

import pytest

from portal.tests.conftest import TIMEOUT_MS
from portal.tests.test_hostile_xss import PAYLOADS, build_hostile_site

pytestmark = pytest.mark.browser


@pytest.fixture
def page_without_csp(browser):
    """A page that ignores the policy, which would stop most injected scripts anyway."""
    context = browser.new_context(locale="ru-RU", bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_no_vector_runs_in_a_browser(live_server, page_without_csp, transactional_db):
    page = page_without_csp
    site = build_hostile_site()
    dialogs, foreign = [], []

    def on_dialog(dialog):
        dialogs.append(f"{page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    host = urlsplit(live_server.url).netloc

    def leaves_the_site(request):
        address = urlsplit(request.url)
        if address.scheme in ("http", "https") and address.netloc != host:
            foreign.append(f"{page.url}: {request.url}")

    page.on("request", leaves_the_site)
    paths = ["/", "/news/", "/news/?page=2", "/news/?page=3"]
    paths += ["/companies/", "/models/", "/officials/", "/countries/"]
    paths += [article.get_absolute_url() for article in site.articles[::4]]
    # Every seventh entity: all four kinds, different vectors.
    paths += [entity.get_absolute_url() for entity in site.entities[::7]]
    paths += [tag.get_absolute_url() for tag in site.tags[::12]]
    paths += ["/search/?" + urlencode({"q": payload}) for payload in PAYLOADS[::12]]
    for path in paths:
        response = page.goto(live_server.url + path, wait_until="load")
        assert response is not None and response.status == 200, path
    assert not dialogs, "\n".join(dialogs)
    assert not foreign, "\n".join(foreign)
    assert len(paths) > 30
