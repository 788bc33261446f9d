"""What the page cache tells nginx's micro-cache (portal/edge.py)."""

import time

import pytest

from articles.tests.factories import ArticleFactory

# The page cache on for every test here (the cache_on fixture, conftest.py).
pytestmark = pytest.mark.usefixtures("cache_on")


@pytest.fixture
def story(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(title="Завод выпустил автобус")


def kept_until(response) -> int:
    value = response["X-Accel-Expires"]
    assert value.startswith("@")
    return int(value[1:])


def test_a_visitors_page_is_kept_until_the_next_whole_second(story, client):
    before = int(time.time())
    response = client.get("/")
    assert before <= kept_until(response) <= int(time.time())
    assert "stale-while-revalidate=1" in response["Cache-Control"]


def test_nginx_reads_cache_control_before_x_accel_expires(story, client):
    for answer in (client.get("/"), client.get("/")):
        names = [name.lower() for name, _value in answer.items()]
        assert names.index("cache-control") < names.index("x-accel-expires")


def test_a_page_from_the_page_cache_gets_a_time_of_its_own(story, client, monkeypatch):
    first = client.get("/")
    later = time.time() + 90
    monkeypatch.setattr(time, "time", lambda: later)
    second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert kept_until(second) == int(later) > kept_until(first)


def test_edge_cache_seconds_sets_how_long(story, client, settings):
    settings.EDGE_CACHE_SECONDS = 3
    before = int(time.time())
    assert before + 2 <= kept_until(client.get("/")) <= int(time.time()) + 2


def test_edge_cache_seconds_zero_keeps_nothing(story, client, settings):
    settings.EDGE_CACHE_SECONDS = 0
    response = client.get("/")
    assert response["X-Accel-Expires"] == "0"
    assert "stale-while-revalidate" not in response["Cache-Control"]


def test_with_the_page_cache_off_pages_are_still_marked(story, client, settings):
    settings.PAGE_CACHE = False
    assert kept_until(client.get("/")) > 0


def test_staff_pages_are_never_marked(story, admin_client):
    response = admin_client.get("/")
    assert "X-Accel-Expires" not in response
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/no-such-page/", "/news"])
def test_errors_and_redirects_are_never_marked(db, client, url):
    response = client.get(url)
    assert response.status_code in {301, 404}
    assert "X-Accel-Expires" not in response
