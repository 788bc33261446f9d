"""Security headers and the Content-Security-Policy on public pages, the admin and the 503 page.

The policy allows the site's own files only: no inline script, no inline style, no
frames. Pages and the admin must not need more. A nonce, when a template asks for
one, must stay consistent with the header even when the page comes from the cache.
"""

import re
from html.parser import HTMLParser

import pytest
from csp.decorators import csp_update
from csp.utils import build_policy
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import OperationalError
from django.http import HttpResponse
from django.template import engines
from django.test import Client
from django.urls import path

from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory

POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
# Script types a browser runs; anything else (JSON-LD) is a data block CSP leaves alone.
SCRIPT_TYPES = {"", "text/javascript", "module", "application/javascript"}
NONCE_TEMPLATE = (
    "<!doctype html><title>nonce</title>"
    '<script nonce="{{ request.csp_nonce }}" type="application/ld+json">{"@type": "Thing"}</script>'
)


def nonce_page(request):
    return HttpResponse(engines["jinja2"].from_string(NONCE_TEMPLATE).render({}, request))


def database_down(request):
    raise OperationalError("connection refused")


@csp_update({"img-src": ["https://images.example.org"]})
def with_images_elsewhere(request):
    return HttpResponse("images")


# Used by the tests marked urls("portal.tests.test_security_headers").
urlpatterns = [
    path("nonce/", nonce_page),
    path("down/", database_down),
    path("images/", with_images_elsewhere),
]


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class InlineCode(HTMLParser):
    """Inline scripts a browser would run, style elements and style or on* attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in attributes:
            kind = (attributes.get("type") or "").strip().lower()
            if kind in SCRIPT_TYPES:
                self.found.append("inline <script>")
        if tag == "a" and (attributes.get("href") or "").strip().lower().startswith("javascript:"):
            self.found.append("javascript: link")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.fixture
def site(db):
    company = CompanyFactory(name="Тулпар Моторс", slug="tulpar-motors")
    article = ArticleFactory(title="Завод выпустил автобус", tags=["Автобусы"])
    article.companies.add(company)
    return article


def public_urls(article) -> list[str]:
    return [
        "/",
        "/news/",
        article.get_absolute_url(),
        "/companies/",
        "/companies/tulpar-motors/",
        f"/tags/{article.tags.get().slug}/",
        "/search/?q=автобус",
        "/news/no-such-article/",
    ]


def assert_security_headers(response) -> None:
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_public_pages_carry_the_strict_policy_and_security_headers(site, client):
    for url in public_urls(site):
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        assert_security_headers(response)


def test_public_pages_have_no_inline_script_or_style(site, client):
    for url in public_urls(site):
        assert inline_code(client.get(url).content.decode()) == [], url


def test_the_policy_allows_nothing_inline():
    header = " ".join(value for values in POLICY.values() for value in values)
    assert "unsafe" not in header
    assert "data:" not in header
    assert "*" not in header


def test_json_ld_is_a_data_block_not_a_script(site, client):
    html = client.get(site.get_absolute_url()).content.decode()
    assert '<script type="application/ld+json">' in html
    assert inline_code(html) == []


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/companies/company/",
        "/admin/companies/company/add/",
        "/admin/axes/accessattempt/",
    ],
)
def test_admin_pages_work_under_the_same_policy(site, admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert_security_headers(response)
    assert inline_code(response.content.decode()) == []


def test_the_article_change_form_needs_nothing_inline(site, admin_client):
    response = admin_client.get(f"/admin/articles/article/{site.pk}/change/")
    assert response.status_code == 200
    assert_security_headers(response)
    assert inline_code(response.content.decode()) == []


def test_the_admin_login_page_too(db, client):
    response = client.get("/admin/login/")
    assert_security_headers(response)
    assert inline_code(response.content.decode()) == []


@pytest.mark.urls("portal.tests.test_security_headers")
def test_the_outage_page_carries_the_policy(db, client):
    response = Client(raise_request_exception=False).get("/down/")
    assert response.status_code == 503
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert inline_code(response.content.decode()) == []


def test_the_kept_header_is_django_csps_own(site, client):
    assert client.get("/")["Content-Security-Policy"] == build_policy()


def test_a_changed_policy_setting_is_followed(site, client, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    assert client.get("/")["Content-Security-Policy"] == "default-src 'self'"


@pytest.mark.urls("portal.tests.test_security_headers")
def test_a_views_own_policy_change_still_applies(db, client):
    policy = directives(client.get("/images/")["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "https://images.example.org"]
    assert policy["script-src"] == ["'self'"]


# --- Nonces and the page cache ------------------------------------------------------


def nonces(response) -> tuple[str, str]:
    """The nonce in the page's script element and the one its header allows."""
    (in_page,) = re.findall(r'<script nonce="([^"]+)"', response.content.decode())
    (in_header,) = re.findall(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return in_page, in_header


@pytest.mark.urls("portal.tests.test_security_headers")
def test_a_cached_page_keeps_the_header_of_its_nonce(db, cache_on, client):
    first = client.get("/nonce/")
    second = client.get("/nonce/")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    page_nonce, header_nonce = nonces(second)
    assert page_nonce == header_nonce
    assert nonces(first) == nonces(second)


@pytest.mark.urls("portal.tests.test_security_headers")
def test_each_rendering_has_a_new_nonce(db, cache_on, client):
    first = client.get("/nonce/")
    caches["default"].clear()
    again = client.get("/nonce/")
    assert again["X-Cache"] == "MISS"
    assert nonces(first)[0] != nonces(again)[0]
    assert len(nonces(again)[0]) >= 22  # 128 random bits, base64


def test_a_page_without_a_nonce_allows_no_inline_script(site, client):
    response = client.get(site.get_absolute_url())
    assert "nonce-" not in response["Content-Security-Policy"]


# --- In a browser ------------------------------------------------------------------

# Collected by an init script, which runs before the page's own: every violation the
# browser reports for the page, even one that does not reach the console.
VIOLATIONS_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def browser_site(transactional_db):
    company = CompanyFactory(name="Тулпар Моторс", slug="tulpar-motors")
    article = ArticleFactory(title="Завод выпустил автобус", tags=["Автобусы"])
    article.companies.add(company)
    User.objects.create_superuser("glavred", password="Редакция-2025-главная")
    return article


@pytest.mark.browser
def test_pages_and_the_admin_run_without_policy_violations(
    live_server, page, console_errors, browser_site
):
    page.add_init_script(VIOLATIONS_SCRIPT)
    article = browser_site
    visited = []

    def visit(url: str) -> None:
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == 200, url
        visited.append(page.evaluate("window.__cspViolations"))

    for url in ("/", article.get_absolute_url(), "/companies/tulpar-motors/", "/search/?q=завод"):
        visit(url)
    # The stylesheet is applied: the policy lets the site's own CSS through.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.site-header')).display")
        != "inline"
    )

    visit("/admin/login/?next=/admin/")
    page.fill("#id_username", "glavred")
    page.fill("#id_password", "Редакция-2025-главная")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for url in (
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        "/admin/companies/company/add/",
        "/admin/articles/article/add/",
    ):
        visit(url)
    # The admin's own scripts ran: the calendar and clock shortcuts of the date field.
    assert page.locator(".datetimeshortcuts").count() > 0

    assert visited == [[]] * len(visited)
    assert console_errors == []

    # The control: an inline script is refused, and the listener above sees it.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.head.append(s); }"
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
