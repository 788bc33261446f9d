"""Hostile query strings and addresses get an answer, never a server error.

SQL fragments, values of 100,000 characters, NUL bytes, invalid UTF-8 and
nonsense page numbers go into ``q``, ``page`` (and the sitemaps' ``p``) of
every list page, and into the slug of every address that takes one. Each
request must answer 200, 400 or 404: a 500 is a failure, reported with the
exception that caused it. The suite runs these on SQLite and on PostgreSQL,
where NUL in a query parameter is an error of its own.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)

HUGE = 100_000

# Values as they arrive: text the test client percent-encodes.
SQL_VALUES = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "1; DROP TABLE articles_article; --",
    "1 UNION SELECT username, password FROM auth_user --",
    "') OR ('a'='a",
    "%' OR 1=1 --",
    "'; SELECT pg_sleep(10); --",
    "1' AND SLEEP(10) --",
    "$$; DROP TABLE auth_user; $$",
    "\\'; --",
    "завод' OR '1'='1",
    "!(&|:*<->)",
    "%%%_%_%",
]
ODD_CHARACTER_VALUES = [
    "\x00",
    "завод\x00киргизия",
    "\x00' OR 1=1 --",
    "\ufffd\ufffd",
    "\u202e\u200b\ufeff",
    # Letters Python's unicodedata has no name for (Tangut), which pymorphy3 asks for.
    "\U00017000\U00018d00",
    "завод \U00017001",
]
HUGE_VALUES = [
    "a" * HUGE,
    "9" * HUGE,
    "завод " * (HUGE // 6),
    " ".join(f"слово{n}" for n in range(HUGE // 8)),
]
HOSTILE_VALUES = SQL_VALUES + ODD_CHARACTER_VALUES + HUGE_VALUES
PAGE_VALUES = [
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "9" * 5000,
    "1e3",
    "1.5",
    "0x10",
    "NaN",
    "inf",
    "abc",
    "",
    " 2 ",
    "2_0",
    "\u0661\u0662",
    "last",
    "[]",
]
# Already percent-encoded: bytes that are not UTF-8, and encoded NUL.
RAW_QUERY_VALUES = ["%ff%fe", "%c0%af", "%ed%a0%80", "%f4%90%80%80", "%00", "a%00b", "%e2%82"]

LIST_PAGES = [
    "/",
    "/news/",
    "/search/",
    "/companies/",
    "/models/",
    "/officials/",
    "/countries/",
    "/tags/gruzoviki/",
    "/companies/tulpar-motors/",
    "/models/chevrolet-onix/",
    "/officials/roman-chekushov/",
    "/countries/kirgiziya/",
    "/feeds/news.xml",
]
SLUG_ROUTES = [
    "/news/{}/",
    "/news/{}.json",
    "/tags/{}/",
    "/tags/{}/feed/",
    "/companies/{}/",
    "/companies/{}/feed/",
    "/models/{}/",
    "/models/{}/feed/",
    "/officials/{}/",
    "/officials/{}/feed/",
    "/countries/{}/",
    "/countries/{}/feed/",
    "/sitemap-{}.xml",
]
ACCEPTED = {200, 400, 404}


@pytest.fixture
def site(db):
    """A few published articles, linked and tagged: every list has something to show."""
    country = CountryFactory(name="Киргизия", slug="kirgiziya")
    company = CompanyFactory(name="Тулпар Моторс", slug="tulpar-motors", country=country)
    brand = CompanyFactory(name="Chevrolet", slug="chevrolet")
    model = VehicleModelFactory(name="Chevrolet Onix", slug="chevrolet-onix", brand=brand)
    official = OfficialFactory(name="Роман Чекушов", slug="roman-chekushov", country=country)
    now = timezone.now()
    for n in range(3):
        article = ArticleFactory(
            title=f"Завод в Киргизии собрал партию {n}",
            lead="Тулпар Моторс собрал грузовики.",
            published_at=now - dt.timedelta(hours=n + 1),
            tags=["Грузовики"],
        )
        article.countries.add(country)
        article.companies.add(company)
        article.vehicle_models.add(model)
        article.officials.add(official)
    assert Article.objects.published().count() == 3


@pytest.fixture
def visitor():
    """A client that returns server errors as responses, so all of them are reported."""
    return Client(raise_request_exception=False)


class Answers:
    def __init__(self, client: Client):
        self.client = client
        self.failures: list[str] = []
        self.requests = 0

    def get(self, url: str, data: dict | None = None) -> None:
        response = self.client.get(url, data)
        self.requests += 1
        if response.status_code not in ACCEPTED:
            error = getattr(response, "exc_info", None)
            cause = f": {error[0].__name__}: {error[1]}" if error else ""
            shown = url if len(url) < 120 else f"{url[:120]}… ({len(url)} characters)"
            params = {k: (v if len(v) < 40 else f"{v[:40]}…") for k, v in (data or {}).items()}
            self.failures.append(f"{shown} {params} answered {response.status_code}{cause}")

    def assert_none_failed(self) -> None:
        assert self.requests
        shown = "\n".join(self.failures[:30])
        assert not self.failures, f"{len(self.failures)} of {self.requests} failed:\n{shown}"


def test_hostile_search_queries_never_fail(site, visitor):
    answers = Answers(visitor)
    for value in HOSTILE_VALUES:
        answers.get("/search/", {"q": value})
        answers.get("/search/", {"q": value, "page": value})
        answers.get("/search/", {"q": "завод", "page": value})
    for raw in RAW_QUERY_VALUES:
        answers.get(f"/search/?q={raw}")
        answers.get(f"/search/?q=завод&page={raw}")
    answers.assert_none_failed()


def test_hostile_page_numbers_never_fail_on_any_list(site, visitor):
    answers = Answers(visitor)
    for url in LIST_PAGES:
        # One huge value per list: the search test tries them all.
        for value in [*PAGE_VALUES, *SQL_VALUES, *ODD_CHARACTER_VALUES, "9" * HUGE]:
            answers.get(url, {"page": value})
        for raw in RAW_QUERY_VALUES:
            answers.get(f"{url}?page={raw}&q={raw}")
    for value in [*PAGE_VALUES, *SQL_VALUES, *ODD_CHARACTER_VALUES]:
        answers.get("/sitemap-articles.xml", {"p": value})
        answers.get("/sitemap.xml", {"p": value})
    answers.assert_none_failed()


def test_garbage_pages_are_not_found_on_every_list(site, client):
    # One rule everywhere (portal.pagination): no page of the list is 404, so a
    # search engine never files page 1 under another address.
    for url in [path for path in LIST_PAGES if path not in ("/", "/feeds/news.xml")]:
        assert client.get(url, {"q": "завод"}).status_code == 200, url
        for value in ["0", "-1", "abc", "2", "9" * 5000, "99999999999999999999", "\x00"]:
            response = client.get(url, {"q": "завод", "page": value})
            assert response.status_code == 404, (url, value)


def test_hostile_slugs_never_fail(site, visitor):
    answers = Answers(visitor)
    slugs = [quote(value, safe="") for value in SQL_VALUES + ODD_CHARACTER_VALUES]
    slugs.append("a" * HUGE)  # a valid slug, far longer than any column
    slugs += [*RAW_QUERY_VALUES, "-", "--", "_", "..", "%2e%2e", "%2f", "articles%00"]
    for route in SLUG_ROUTES:
        for slug in slugs:
            answers.get(route.format(slug))
    answers.assert_none_failed()


def test_too_many_parameters_is_a_bad_request(site, visitor):
    query = "&".join(f"page={n}" for n in range(5000))
    response = visitor.get(f"/news/?{query}")
    assert response.status_code == 400


def test_hostile_parameters_with_the_page_cache_on(site, visitor, settings):
    # The cache keys pages by their full address: hostile ones included.
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "hostile-params",
        }
    }
    answers = Answers(visitor)
    for value in [*SQL_VALUES, *ODD_CHARACTER_VALUES, HUGE_VALUES[2]]:
        for url in ["/", "/news/", "/search/", "/countries/kirgiziya/"]:
            answers.get(url, {"q": value, "page": value})
            answers.get(url, {"q": value, "page": value})  # from the cache this time
    for raw in RAW_QUERY_VALUES:
        answers.get(f"/news/?page={raw}")
        answers.get(f"/news/{raw}/")
    answers.assert_none_failed()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options", "head", "trace"])
def test_other_methods_never_fail(site, visitor, method):
    failures = []
    for url in [*LIST_PAGES, "/news/", "/news-sitemap.xml", "/sitemap.xml"]:
        response = getattr(visitor, method)(url)
        if response.status_code not in {200, 400, 403, 404, 405}:
            failures.append(f"{method.upper()} {url} answered {response.status_code}")
    assert not failures, "\n".join(failures)


@hypothesis_settings(
    derandomize=True,
    database=None,
    max_examples=100,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(q=st.text(), page=st.text(max_size=30), path=st.sampled_from(["/search/", "/news/"]))
def test_any_query_and_page_get_an_answer(site, visitor, q, page, path):
    # Generated text, beyond the hand-picked values above; the same every run.
    # Both lists have one page: the first (no page, or "1"); anything else is 404.
    response = visitor.get(path, {"q": q, "page": page})
    expected = 200 if page in ("", "1") else 404
    assert response.status_code == expected, getattr(response, "exc_info", None)
