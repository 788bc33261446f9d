"""A reader's paths through the portal in a real browser, on the real seed.

Fixtures (Chromium, pages, console capture) live in portal/tests/conftest.py. Markup the
tests rely on: the first mention of each linked entity in the article body is
`<a class="mention">` inside `<div class="article-body">`; the article's side panel is
`<aside class="entities">`; lists of articles link them as `.card-title a`; search results
are `ol.search-results`; the header search box is `#site-search-q` in a role=search form.
"""

from urllib.parse import urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.browser

SEED_KEY = "000_f151a0e0119b62b8"
SEED_TITLE_PART = "Россия и Киргизия"
SEARCH_QUERY = "заводы Киргизии"
ENTITY_RELATIONS = ("companies", "vehicle_models", "officials", "countries")
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def seed_article(transactional_db):
    """The real catalog and seed document, loaded, linked and tagged as in production."""
    call_command("load_seed", verbosity=0)
    return Article.objects.get(source_key=SEED_KEY)


def entity_names(article: Article) -> dict[str, str]:
    """URL path -> name of every entity linked to the article."""
    return {
        entity.get_absolute_url(): entity.name
        for relation in ENTITY_RELATIONS
        for entity in getattr(article, relation).all()
    }


def path_of(url: str) -> str:
    return urlsplit(url).path


def card_links_to(page, path: str):
    return page.locator(f'.card-title a[href="{path}"]')


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == 200, f"{url} answered {response.status}"


def page_urls(live_server, article: Article) -> dict[str, str]:
    entity = article.companies.get(slug="tulpar-motors")
    return {
        "home": live_server.url + "/",
        "article": live_server.url + article.get_absolute_url(),
        "entity": live_server.url + entity.get_absolute_url(),
        "search": live_server.url + "/search/?" + urlencode({"q": SEARCH_QUERY}),
    }


def test_home_to_article_to_entity_and_back(live_server, page, seed_article):
    open_page(page, live_server.url + "/")
    page.locator("main a", has_text=SEED_TITLE_PART).first.click()
    page.wait_for_url(live_server.url + seed_article.get_absolute_url())
    assert page.locator("h1").inner_text() == seed_article.title

    mention = page.locator("div.article-body a.mention").first
    entity_path = mention.get_attribute("href")
    names = entity_names(seed_article)
    assert entity_path in names, f"body link {entity_path} is not an entity of the article"
    mention.click()
    page.wait_for_url(live_server.url + entity_path)
    assert page.locator("h1").inner_text() == names[entity_path]

    card_links_to(page, seed_article.get_absolute_url()).first.click()
    page.wait_for_url(live_server.url + seed_article.get_absolute_url())
    assert page.locator("h1").inner_text() == seed_article.title


def test_every_entity_in_the_side_panel_lists_the_article(live_server, page, seed_article):
    open_page(page, live_server.url + seed_article.get_absolute_url())
    hrefs = page.locator("aside.entities a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    missing = set(entity_names(seed_article)) - set(hrefs)
    assert not missing, f"entities of the article missing from the side panel: {missing}"

    for href in hrefs:
        open_page(page, live_server.url + href)
        assert card_links_to(page, seed_article.get_absolute_url()).count() > 0, (
            f"{href} does not list the article"
        )


def test_header_search_finds_the_article(live_server, page, seed_article):
    open_page(page, live_server.url + "/")
    box = page.locator('form[role="search"] #site-search-q')
    box.fill(SEARCH_QUERY)
    with page.expect_navigation() as navigation:
        box.press("Enter")
    assert path_of(page.url) == "/search/"
    assert navigation.value.status == 200, f"{page.url} answered {navigation.value.status}"

    results = page.locator("ol.search-results .card-title a")
    assert seed_article.get_absolute_url() in results.evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )


@pytest.mark.parametrize("name", ["home", "article", "entity", "search"])
def test_no_console_errors(live_server, page, console_errors, seed_article, name):
    open_page(page, page_urls(live_server, seed_article)[name])
    page.wait_for_load_state("networkidle")
    assert console_errors == []


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"[{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n       ")
                lines.append(f"       {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", ["home", "article", "entity", "search"])
def test_no_serious_accessibility_violations(live_server, page, seed_article, name):
    open_page(page, page_urls(live_server, seed_article)[name])
    results = Axe().run(page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, "axe-core found:\n" + format_violations(blocking)
