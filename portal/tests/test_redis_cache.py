"""The page cache on a real Redis (Debian's redis-server on a Unix socket), through
the backend that keeps its Redis clients (portal/redis_cache.py), with the content
version each process keeps, told of changes by pub/sub (portal/version_watch.py),
and the pages it keeps (portal/hot_pages.py)."""

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import redis as redis_py
from django.core.cache import caches

from articles.tests.factories import ArticleFactory
from portal import cache as page_cache
from portal.redis_cache import RedisCache

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
ROOT = Path(__file__).resolve().parents[2]
# A deadline for things that happen in milliseconds (a local message), never a
# speed asserted: long enough for a machine under any load.
DEADLINE = 20.0


class RedisServer:
    """redis-server on a Unix socket in a folder of its own, no persistence."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="portal-redis-"))
        self.socket = self.folder / "redis.sock"
        command = [REDIS_SERVER, "--port", "0", "--unixsocket", str(self.socket), "--save", ""]
        try:
            self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=self.folder)
        except FileNotFoundError:
            pytest.fail("redis-server not found: apt-get install redis-server", pytrace=False)
        wait_until(lambda: self.socket.exists() or self.process.poll() is not None)
        assert self.socket.exists(), "redis-server did not start"
        self.url = f"unix://{self.socket}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=DEADLINE)
        shutil.rmtree(self.folder, ignore_errors=True)


def wait_until(condition, deadline: float = DEADLINE) -> bool:
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            return False
        time.sleep(0.01)
    return True


@pytest.fixture(scope="module")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


def use_redis(settings, url: str) -> RedisCache:
    settings.PAGE_CACHE = True
    settings.CACHES = {"default": {"BACKEND": "portal.redis_cache.RedisCache", "LOCATION": url}}
    caches["default"].clear()
    return caches["default"]


@pytest.fixture
def redis(settings, redis_server):
    return use_redis(settings, redis_server.url)


@pytest.fixture
def watch(redis):
    """This process's watch on the server, subscribed."""
    found = redis.version_watch()
    found.current()  # starts its thread
    assert wait_until(lambda: found.ticket() is not None), "never subscribed"
    return found


@pytest.fixture
def story(db, redis, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(title="Завод выпустил автобус")


def reads(server_url: str) -> int:
    """Page and version reads Redis has answered so far."""
    stats = redis_py.Redis.from_url(server_url).info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


def test_one_redis_client_serves_every_call():
    backend = RedisCache("redis://cache.internal:6379/0", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client("some-key") is client


def test_a_hit_on_redis_costs_no_query(story, client, django_assert_num_queries):
    assert client.get("/")["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        assert client.get("/")["X-Cache"] == "HIT"


def test_a_hit_on_a_hot_page_reads_nothing_from_redis(story, watch, client, redis_server):
    assert client.get("/")["X-Cache"] == "MISS"
    before = reads(redis_server.url)
    assert [client.get("/")["X-Cache"] for _ in range(5)] == ["HIT"] * 5
    assert reads(redis_server.url) == before


def test_a_hit_on_a_page_this_process_does_not_keep_reads_it_once(
    story, watch, client, redis_server, settings
):
    settings.PAGE_CACHE_HOT_MB = 0
    client.get("/")
    before = reads(redis_server.url)
    assert client.get("/")["X-Cache"] == "HIT"
    assert reads(redis_server.url) == before + 1


def test_a_publication_shows_at_once_in_the_process_that_made_it(
    story, watch, client, django_capture_on_commit_callbacks
):
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        story.title = "Завод выпустил второй автобус"
        story.save()
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "второй автобус" in response.content.decode()


def bump_in_another_process(server_url: str) -> None:
    environ = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PAGE_CACHE", "DJANGO"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "SECRET_KEY": "x",
        "DATABASE_URL": "sqlite://:memory:",
        "REDIS_URL": server_url,
    }
    script = (
        "import django; django.setup(); from portal.cache import bump_content_version as b; b()"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environ, check=True)


def test_a_publication_in_another_process_shows_once_its_message_arrives(
    story, watch, client, redis, redis_server
):
    client.get("/")
    old = watch.current()
    assert old is not None and client.get("/")["X-Cache"] == "HIT"
    bump_in_another_process(redis_server.url)
    assert wait_until(lambda: watch.current() != old), "the message never arrived"
    # Both processes now work under the version in Redis.
    assert watch.current() == redis.get(page_cache.VERSION_KEY)
    assert client.get("/")["X-Cache"] == "MISS"


def test_a_version_written_without_a_message_shows_within_the_bound(
    story, watch, client, redis, settings
):
    settings.PAGE_CACHE_VERSION_SECONDS = 0.2
    client.get("/")
    redis.set(page_cache.VERSION_KEY, "set-by-hand", timeout=None)
    time.sleep(0.2)
    assert client.get("/")["X-Cache"] == "MISS"


def test_turned_off_every_hit_reads_the_version(story, client, redis, settings):
    settings.PAGE_CACHE_VERSION_SECONDS = 0
    client.get("/")
    redis.set(page_cache.VERSION_KEY, "another-process", timeout=None)
    assert client.get("/")["X-Cache"] == "MISS"


def test_a_read_overtaken_by_a_message_is_not_remembered(watch, redis):
    ticket = watch.ticket()
    old = redis.get(page_cache.VERSION_KEY) or "read-before-the-change"
    redis.set_and_publish(page_cache.VERSION_KEY, "newer", channel="portal:content-version")
    assert wait_until(lambda: watch.current() == "newer")
    watch.learned(old, ticket=ticket)
    assert watch.current() == "newer"


def test_a_broken_subscription_forgets_the_version_until_it_is_back(
    story, watch, client, redis, redis_server, settings
):
    settings.PAGE_CACHE_VERSION_SECONDS = 600  # only the loss may make it forget
    client.get("/")
    assert watch.current() is not None
    redis_py.Redis.from_url(redis_server.url).client_kill_filter(_type="pubsub")
    assert wait_until(lambda: watch.current() is None), "the loss was never noticed"
    assert wait_until(lambda: watch.ticket() is not None), "never subscribed again"
    redis.set_and_publish(
        page_cache.VERSION_KEY, "after-the-loss", channel="portal:content-version"
    )
    assert wait_until(lambda: watch.current() == "after-the-loss")


def test_a_version_evicted_is_created_again_and_announced(story, watch, client, redis):
    client.get("/")
    old = watch.current()
    redis.delete(page_cache.VERSION_KEY)
    created = page_cache._new_cache_version(redis)
    assert wait_until(lambda: watch.current() == created)
    assert created != old


def test_when_redis_goes_away_pages_are_rendered(db, settings, client, caplog):
    server = RedisServer()
    try:
        redis = use_redis(settings, server.url)
        ArticleFactory(title="Завод выпустил автобус")
        watch = redis.version_watch()
        watch.current()
        assert wait_until(lambda: watch.ticket() is not None)
        client.get("/")
        assert client.get("/")["X-Cache"] == "HIT"
    finally:
        server.stop()
    assert wait_until(lambda: watch.ticket() is None), "the loss was never noticed"
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        response = client.get("/")
    assert response.status_code == 200 and "X-Cache" not in response
    assert "Завод выпустил автобус" in response.content.decode()
    assert "Page cache read failed" in caplog.text


def test_values_round_trip(redis):
    redis.set("portal:test", {"page": b"\x00\xff"}, 30)
    assert redis.get_many(["portal:test", "portal:none"]) == {"portal:test": {"page": b"\x00\xff"}}


def settings_run(code: str, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PAGE_CACHE", "DJANGO"))}
    environ = {**keep, "DJANGO_SETTINGS_MODULE": "portal.settings", "SECRET_KEY": "x", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )


def test_by_default_the_version_is_trusted_a_second_and_16_mb_of_pages_kept():
    code = "import portal.settings as s; print(s.PAGE_CACHE_VERSION_SECONDS, s.PAGE_CACHE_HOT_MB)"
    assert settings_run(code).stdout.split() == ["1.0", "16.0"]


@pytest.mark.parametrize("value", ["soon", "-1", "inf"])
def test_a_bad_version_bound_is_named(value):
    error = settings_run("import portal.settings", PAGE_CACHE_VERSION_SECONDS=value).stderr
    assert f"PAGE_CACHE_VERSION_SECONDS={value!r}: expected a number ≥ 0" in error.splitlines()[-1]
