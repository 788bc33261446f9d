"""What a cache hit costs: no other middleware, headers worked out when stored,
the version read straight from the database driver (portal/middleware.py, portal/cache.py)."""

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connections
from django.middleware.security import SecurityMiddleware

from articles.tests.factories import ArticleFactory
from portal.locale import SiteLocaleMiddleware
from portal.models import ContentVersion

IGNORED = {"x-cache"}  # HIT or MISS: the one header a hit changes


# The page cache on for every test here (the cache_on fixture, conftest.py).
pytestmark = pytest.mark.usefixtures("cache_on")


@pytest.fixture
def story(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(title="Завод выпустил автобус")


@pytest.fixture
def other_middleware(monkeypatch):
    """The middleware a hit should never reach, each counting its calls."""
    calls: list[str] = []

    def spy(cls, name):
        original = getattr(cls, name)

        def counted(self, *args, **kwargs):
            calls.append(cls.__name__)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, counted)

    spy(SecurityMiddleware, "process_request")
    spy(SiteLocaleMiddleware, "__call__")
    spy(SessionMiddleware, "process_request")
    return calls


def test_the_page_cache_is_the_first_middleware(settings):
    assert settings.MIDDLEWARE[0] == "portal.middleware.PageCacheMiddleware"


def test_a_hit_runs_no_other_middleware(story, client, other_middleware):
    assert client.get("/")["X-Cache"] == "MISS"
    assert set(other_middleware) == {
        "SecurityMiddleware",
        "SiteLocaleMiddleware",
        "SessionMiddleware",
    }
    other_middleware.clear()
    assert client.get("/")["X-Cache"] == "HIT"
    assert other_middleware == []


@pytest.mark.parametrize("secure", [False, True])
def test_a_hit_carries_every_header_the_page_was_rendered_with(story, client, secure):
    # Security headers (HSTS on HTTPS), the policy, caching headers: all of them.
    first = client.get(story.get_absolute_url(), secure=secure)
    second = client.get(story.get_absolute_url(), secure=secure)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first.content == second.content

    def headers(response):
        return {name.lower(): value for name, value in response.items()} | {"x-cache": ""}

    assert headers(second) == headers(first)
    assert "X-Content-Type-Options" in second


def test_a_conditional_hit_says_it_came_from_the_cache(story, client):
    etag = client.get("/")["ETag"]
    answer = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert (answer.status_code, answer["X-Cache"]) == (304, "HIT")


class FailingOnce:
    """A database driver's connection whose first cursor fails (closed while idle)."""

    def __init__(self, driver):
        self.driver = driver
        self.failed = False

    def cursor(self, *args, **kwargs):
        if not self.failed:
            self.failed = True
            raise RuntimeError("the connection was closed while idle")
        return self.driver.cursor(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.driver, name)


def test_the_version_is_read_the_usual_way_when_the_driver_fails(story, client):
    client.get("/")
    ContentVersion.objects.filter(pk=1).update(token="changed-elsewhere")
    connection = connections["default"]
    driver = connection.connection
    connection.connection = FailingOnce(driver)
    try:
        assert client.get("/")["X-Cache"] == "MISS"
        assert connection.connection.failed
    finally:
        connection.connection = driver
    assert client.get("/")["X-Cache"] == "HIT"


def test_what_a_path_reads_is_kept_per_url_configuration(db, client, settings):
    assert client.get("/search/?q=завод&x=1").status_code == 200
    settings.ROOT_URLCONF = "portal.tests.test_cache_hits"
    assert client.get("/search/?q=завод").status_code == 404


urlpatterns: list = []
