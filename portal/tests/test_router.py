"""Which database a query goes to: the replica for visitors' pages, the primary otherwise."""

import logging
import time

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from articles.models import Article
from portal import routers

router = routers.PrimaryReplicaRouter()


@pytest.fixture(autouse=True)
def replica_state(monkeypatch):
    """A configured, reachable, up-to-date replica (no backoff is left from other
    tests: the ``fresh_process_values`` fixture clears it)."""
    monkeypatch.setattr(routers, "replica_configured", lambda: True)
    monkeypatch.setattr(routers, "replica_ready", lambda: True)


def serve(request, view=None):
    """Run ``request`` through the middleware; where the view's reads and writes went."""
    seen = {}

    def get_response(request):
        seen["read"] = router.db_for_read(Article)
        if view:
            view(seen)
        return HttpResponse("ok")

    routers.ReplicaReadsMiddleware(get_response)(request)
    return seen


rf = RequestFactory()


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("path", ["/", "/news/", "/search/?q=завод", "/ok"])
def test_visitors_page_reads_go_to_the_replica(method, path):
    assert serve(getattr(rf, method)(path))["read"] == "replica"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_stay_on_the_primary(method):
    assert serve(getattr(rf, method)("/"))["read"] == "default"


@override_settings(ADMIN_PATH="office-7f3c/")
@pytest.mark.parametrize("path", ["/office-7f3c/", "/office-7f3c/articles/article/1/change/"])
def test_the_admin_stays_on_the_primary(path):
    assert serve(rf.get(path))["read"] == "default"
    # Not a prefix of another path by accident.
    assert serve(rf.get("/office-7f3c-news/"))["read"] == "replica"


def test_the_health_check_asks_the_primary():
    assert serve(rf.get("/healthz"))["read"] == "default"


def test_signed_in_editors_read_from_the_primary(settings):
    request = rf.get("/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    assert serve(request)["read"] == "default"
    assert serve(rf.get("/", HTTP_AUTHORIZATION="Bearer x"))["read"] == "default"
    # Other cookies (CSRF, a visitor's preferences) change nothing.
    assert serve(rf.get("/", HTTP_COOKIE="csrftoken=abc"))["read"] == "replica"


def test_a_write_pins_the_rest_of_the_request_to_the_primary():
    def view(seen):
        seen["write"] = router.db_for_write(Article)
        seen["after"] = router.db_for_read(Article)

    seen = serve(rf.get("/"), view)
    assert seen == {"read": "replica", "write": "default", "after": "default"}


def test_raw_sql_of_a_page_follows_the_same_decision(monkeypatch):
    monkeypatch.setattr(routers, "connections", {"default": "primary", "replica": "replica"})

    def view(seen):
        seen["raw"] = routers.read_connection()
        router.db_for_write(Article)
        seen["raw after a write"] = routers.read_connection()

    assert serve(rf.get("/"), view) == {
        "read": "replica",
        "raw": "replica",
        "raw after a write": "primary",
    }
    assert serve(rf.post("/"), view)["raw"] == "primary"
    assert routers.read_connection() == "primary"


def test_reads_outside_a_request_go_to_the_primary():
    serve(rf.get("/"))
    assert not routers.reading_from_replica()
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"


def test_a_replica_that_is_behind_or_down_sends_reads_to_the_primary(monkeypatch):
    monkeypatch.setattr(routers, "replica_ready", lambda: False)
    assert serve(rf.get("/"))["read"] == "default"


def test_migrations_only_on_the_primary():
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")
    assert router.allow_relation(Article(), Article())


def test_without_a_replica_the_middleware_leaves_the_chain(monkeypatch):
    monkeypatch.setattr(routers, "replica_configured", lambda: False)
    with pytest.raises(MiddlewareNotUsed):
        routers.ReplicaReadsMiddleware(lambda request: HttpResponse())


# replica_ready: the primary's position against the replica's, with a backoff ---------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def probes(monkeypatch):
    """The real replica_ready over fake position queries and a fake clock."""
    monkeypatch.undo()  # the real replica_ready
    state = {"primary": "0/3000060", "replayed": True, "replica_error": None, "asked": 0}
    state["primary_error"] = None
    clock = Clock()

    def primary_position():
        if state["primary_error"]:
            raise state["primary_error"]
        return state["primary"]

    def replica_has_replayed(position):
        state["asked"] += 1
        assert position == state["primary"]
        if state["replica_error"]:
            raise state["replica_error"]
        return state["replayed"]

    monkeypatch.setattr(routers, "primary_position", primary_position)
    monkeypatch.setattr(routers, "replica_has_replayed", replica_has_replayed)
    monkeypatch.setattr(time, "monotonic", clock)
    return state, clock


def test_ready_when_the_replica_has_replayed_the_primarys_position(probes):
    state, _ = probes
    assert routers.replica_ready()
    state["replayed"] = False
    assert not routers.replica_ready()
    # Lagging is not failing: the next request asks again.
    state["replayed"] = True
    assert routers.replica_ready()
    assert state["asked"] == 3


def test_an_unreachable_replica_is_left_alone_for_the_backoff(probes, caplog):
    state, clock = probes
    state["replica_error"] = OperationalError("connection refused")
    with caplog.at_level(logging.WARNING, logger="portal.routers"):
        assert not routers.replica_ready()
    assert "Replica unreachable" in caplog.text and "connection refused" in caplog.text
    assert state["asked"] == 1
    state["replica_error"] = None
    clock.now += routers.BACKOFF_SECONDS - 0.1
    assert not routers.replica_ready()
    assert state["asked"] == 1  # not even asked while backing off
    clock.now += 0.2
    assert routers.replica_ready()
    assert state["asked"] == 2


def test_a_failing_primary_does_not_mark_the_replica_down(probes):
    state, _ = probes
    state["primary_error"] = OperationalError("primary down")
    assert not routers.replica_ready()
    assert state["asked"] == 0
    state["primary_error"] = None
    assert routers.replica_ready()


@pytest.mark.postgres
@pytest.mark.django_db
def test_positions_on_postgresql(monkeypatch):
    position = routers.primary_position()
    high, _, low = position.partition("/")
    assert int(high, 16) >= 0 and int(low, 16) > 0
    # The test database is no replica: a server not in recovery is up to date.
    monkeypatch.setattr(routers, "REPLICA", "default")
    assert routers.replica_has_replayed(position)
    assert routers.replica_has_replayed("FFFFFFFF/FFFFFFFF")


# In the real middleware chain -----------------------------------------------------


@pytest.mark.django_db
def test_only_rendered_pages_pay_for_the_position_check(client, settings, monkeypatch):
    """Right inside the page cache: a page served from the cache never asks the replica."""
    from django.core.cache import caches

    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "router-tests",
        }
    }
    caches["default"].clear()
    asked = []

    def replica_ready():
        asked.append(routers.reading_from_replica())
        return False  # behind: the test database has no replica alias to read from

    monkeypatch.setattr(routers, "replica_ready", replica_ready)
    first = client.get("/ok?router-test")
    assert first.status_code == 200
    assert asked == [False]
    second = client.get("/ok?router-test")
    assert second.status_code == 200
    # /ok is not cached: asked again. The home page is: asked once.
    assert asked == [False, False]
    assert client.get("/").headers["X-Cache"] == "MISS"
    assert client.get("/").headers["X-Cache"] == "HIT"
    assert len(asked) == 3
    # The admin never asks.
    client.get("/" + settings.ADMIN_PATH)
    assert len(asked) == 3
