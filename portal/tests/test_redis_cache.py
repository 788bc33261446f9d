"""The page cache on a real Redis (Debian's redis-server on a Unix socket), through
the backend that keeps its Redis clients (portal/redis_cache.py)."""

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from articles.tests.factories import ArticleFactory
from portal import cache as page_cache
from portal.redis_cache import RedisCache

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(scope="module")
def redis_socket():
    folder = Path(tempfile.mkdtemp(prefix="portal-redis-"))
    socket = folder / "redis.sock"
    command = [REDIS_SERVER, "--port", "0", "--unixsocket", str(socket), "--save", ""]
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, cwd=folder)
    except FileNotFoundError:
        pytest.fail("redis-server not found: apt-get install redis-server", pytrace=False)
    deadline = time.monotonic() + 20
    while not socket.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert socket.exists(), "redis-server did not start"
    yield socket
    process.terminate()
    process.wait(timeout=20)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis(settings, redis_socket):
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": f"unix://{redis_socket}",
        }
    }
    caches["default"].clear()
    return caches["default"]


@pytest.fixture
def story(db, redis, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return ArticleFactory(title="Завод выпустил автобус")


def test_one_redis_client_serves_every_call():
    backend = RedisCache("redis://cache.internal:6379/0", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client("some-key") is client


def test_a_hit_on_redis_costs_no_query(story, client, django_assert_num_queries):
    assert client.get("/")["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        assert client.get("/")["X-Cache"] == "HIT"


def test_a_change_made_by_another_process_shows_at_once(story, client, redis):
    client.get("/")
    redis.set(page_cache.VERSION_KEY, "another-process", timeout=None)
    assert client.get("/")["X-Cache"] == "MISS"


def test_values_round_trip(redis):
    redis.set("portal:test", {"page": b"\x00\xff"}, 30)
    assert redis.get_many(["portal:test", "portal:none"]) == {"portal:test": {"page": b"\x00\xff"}}
