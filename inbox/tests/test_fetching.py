"""Fetching sources from a real HTTP server on 127.0.0.1: what comes back, what is
sent, and every way a server can misbehave, each as one FetchError."""

import gzip
import socket
import tracemalloc

import pytest

from inbox.errors import FetchError
from inbox.fetching import fetch

pytestmark = pytest.mark.once

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Пресс-служба ООО «Тестовый завод»</title>
<item><guid>tz-1</guid><title>Тестовый завод запустил вторую линию</title>
<description>Директор Иван Примеров открыл цех.</description></item>
</channel></rss>""".encode()
MEBIBYTE = 1024 * 1024


def fetch_error(url: str, **validators: str) -> str:
    with pytest.raises(FetchError) as raised:
        fetch(url, **validators)
    message = str(raised.value)
    assert "\n" not in message
    return message


# --- What comes back ---------------------------------------------------------------


def test_a_feed_comes_back_with_its_type_validators_and_address(feed_server):
    feed_server.feed("/rss", FEED, etag='"v1"', last_modified=1_700_000_000)

    fetched = fetch(feed_server.url("/rss"))

    assert fetched.content == FEED
    assert fetched.content_type == "application/rss+xml; charset=utf-8"
    assert fetched.etag == '"v1"'
    assert fetched.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT"
    assert fetched.url == feed_server.url("/rss")


def test_the_request_names_the_portal_and_accepts_compressed_feeds(feed_server):
    feed_server.feed("/rss", FEED)

    fetch(feed_server.url("/rss"))

    (request,) = feed_server.requests
    assert request.headers["User-Agent"].startswith("promyshlennost-tsentralnoi-azii-inbox/")
    assert request.headers["Accept-Encoding"] == "gzip, deflate"
    assert "application/rss+xml" in request.headers["Accept"]


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_a_compressed_feed_is_unpacked(feed_server, encoding):
    feed_server.feed("/rss", FEED, encoding=encoding)

    assert fetch(feed_server.url("/rss")).content == FEED


# --- Conditional requests --------------------------------------------------------


def test_an_unchanged_feed_costs_a_304_by_its_etag(feed_server):
    feed_server.feed("/rss", FEED, etag='"v1"')
    first = fetch(feed_server.url("/rss"))

    again = fetch(feed_server.url("/rss"), etag=first.etag, last_modified=first.last_modified)

    assert again.content is None
    assert again.etag == '"v1"'
    assert feed_server.requests[1].headers["If-None-Match"] == '"v1"'
    assert "If-Modified-Since" not in feed_server.requests[1].headers
    assert feed_server.hits("/rss") == 2


def test_an_unchanged_feed_costs_a_304_by_its_date(feed_server):
    feed_server.feed("/rss", FEED, last_modified=1_700_000_000)
    first = fetch(feed_server.url("/rss"))

    again = fetch(feed_server.url("/rss"), etag=first.etag, last_modified=first.last_modified)

    assert again.content is None
    assert again.last_modified == first.last_modified
    assert feed_server.requests[1].headers["If-Modified-Since"] == first.last_modified
    assert "If-None-Match" not in feed_server.requests[1].headers


def test_a_changed_feed_comes_back_whole_with_its_new_validators(feed_server):
    feed_server.feed("/rss", FEED, etag='"v1"')
    first = fetch(feed_server.url("/rss"))
    changed = FEED.replace("вторую".encode(), "третью".encode())
    feed_server.feed("/rss", changed, etag='"v2"')

    again = fetch(feed_server.url("/rss"), etag=first.etag)

    assert (again.content, again.etag) == (changed, '"v2"')


def test_a_first_fetch_sends_no_validators(feed_server):
    feed_server.feed("/rss", FEED, etag='"v1"', last_modified=1_700_000_000)

    fetch(feed_server.url("/rss"))

    headers = feed_server.requests[0].headers
    assert "If-None-Match" not in headers
    assert "If-Modified-Since" not in headers


@pytest.mark.parametrize("etag", ['"v1"\r\nX-Injected: 1', '"версия"'])
def test_a_validator_that_cannot_be_a_header_is_left_out(feed_server, etag):
    feed_server.feed("/rss", FEED, etag='"v1"')

    assert fetch(feed_server.url("/rss"), etag=etag).content == FEED
    assert "If-None-Match" not in feed_server.requests[0].headers


# --- HTTP errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "advice"),
    [
        (500, "ошибка на стороне сервера"),
        (503, "ошибка на стороне сервера"),
        (404, "проверьте адрес"),
        (410, "лента удалена"),
        (403, "не пускает"),
        (429, "реже"),
    ],
)
def test_an_http_error_names_the_status_the_address_and_what_to_do(feed_server, status, advice):
    feed_server.status("/rss", status, b"<html><body>Error</body></html>")

    message = fetch_error(feed_server.url("/rss"))

    assert feed_server.url("/rss") in message
    assert f"ответил {status}" in message
    assert advice in message


# --- Addresses and redirects -------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["ftp://example.org/rss", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"]
)
def test_only_http_and_https_addresses_are_fetched(url):
    message = fetch_error(url)

    assert url in message
    assert "http:// или https://" in message


@pytest.mark.parametrize("url", ["не адрес", "http://", "https:///rss", "http://[::1/rss"])
def test_a_malformed_address_is_refused_with_an_example(url):
    message = fetch_error(url)

    assert "https://example.org/rss" in message


def test_a_redirect_is_followed_to_the_feed(feed_server):
    feed_server.redirect("/old", "/new", code=301)
    feed_server.feed("/new", FEED)

    fetched = fetch(feed_server.url("/old"))

    assert fetched.content == FEED
    assert fetched.url == feed_server.url("/new")


def test_redirects_up_to_the_limit_are_followed(feed_server, settings):
    settings.INBOX_MAX_REDIRECTS = 3
    for hop in range(3):
        feed_server.redirect(f"/{hop}", f"/{hop + 1}")
    feed_server.feed("/3", FEED)

    assert fetch(feed_server.url("/0")).content == FEED


def test_a_redirect_past_the_limit_is_refused_without_following_it(feed_server, settings):
    settings.INBOX_MAX_REDIRECTS = 3
    for hop in range(4):
        feed_server.redirect(f"/{hop}", f"/{hop + 1}")
    feed_server.feed("/4", FEED)

    message = fetch_error(feed_server.url("/0"))

    assert "больше 3 раз" in message
    assert "INBOX_MAX_REDIRECTS" in message
    assert feed_server.hits("/4") == 0


def test_a_redirect_loop_is_named_as_one(feed_server):
    feed_server.redirect("/a", "/b")
    feed_server.redirect("/b", "/a")

    message = fetch_error(feed_server.url("/a"))

    assert "по кругу" in message
    assert [request.path for request in feed_server.requests] == ["/a", "/b"]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/rss"])
def test_every_hop_of_a_redirect_must_be_http_or_https(feed_server, target):
    feed_server.redirect("/rss", target)

    message = fetch_error(feed_server.url("/rss"))

    assert "переадресация на" in message
    assert "http:// или https://" in message


# --- Size --------------------------------------------------------------------------


def test_a_50_mb_feed_is_refused_without_reading_it_into_memory(feed_server):
    feed_server.large("/huge", size=50 * MEBIBYTE)  # chunked: no length announced

    tracemalloc.start()
    try:
        message = fetch_error(feed_server.url("/huge"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert "больше предела в 10 МБ" in message
    assert "INBOX_MAX_FEED_BYTES" in message
    assert peak < 25 * MEBIBYTE  # the cap's worth and change, not the 50 MB
    assert feed_server.route("/huge").sent < 50 * MEBIBYTE


def test_a_length_over_the_cap_is_refused_before_the_body_is_read(feed_server, settings):
    settings.INBOX_MAX_FEED_BYTES = 1000
    # Its 2000 bytes would take a minute: the refusal does not wait for them.
    feed_server.trickle("/rss", b"x" * 2000, interval=0.03)

    message = fetch_error(feed_server.url("/rss"))

    assert "объявлено 2 КБ" in message
    assert feed_server.route("/rss").sent < 2000


def test_the_cap_counts_unpacked_bytes(feed_server, settings):
    settings.INBOX_MAX_FEED_BYTES = 100 * 1024
    bomb = b"<rss>" + b" " * (5 * MEBIBYTE) + b"</rss>"
    feed_server.feed("/rss", bomb, encoding="gzip")
    assert len(gzip.compress(bomb)) < settings.INBOX_MAX_FEED_BYTES

    message = fetch_error(feed_server.url("/rss"))

    assert "больше предела в 100 КБ" in message


def test_a_feed_just_under_the_cap_comes_whole(feed_server, settings):
    settings.INBOX_MAX_FEED_BYTES = len(FEED)
    feed_server.feed("/rss", FEED)

    assert fetch(feed_server.url("/rss")).content == FEED


# --- Slow and silent servers ---------------------------------------------------------


def test_a_server_that_trickles_is_cut_off_at_the_deadline(feed_server, settings):
    settings.INBOX_FETCH_TIMEOUT = 2
    settings.INBOX_FETCH_DEADLINE = 3
    body = b"x" * 10_000  # a byte every 30 ms: no wait nears the timeout, the whole is minutes
    feed_server.trickle("/rss", body, interval=0.03)

    message = fetch_error(feed_server.url("/rss"))

    assert "за 3 с" in message
    assert "INBOX_FETCH_DEADLINE" in message
    assert feed_server.route("/rss").sent < len(body)


def test_a_server_that_never_answers_times_out(feed_server, settings):
    settings.INBOX_FETCH_TIMEOUT = 0.5
    settings.INBOX_FETCH_DEADLINE = 60
    feed_server.hang("/rss")

    message = fetch_error(feed_server.url("/rss"))

    assert "молчит дольше 0.5 с" in message
    assert "INBOX_FETCH_TIMEOUT" in message


def test_the_deadline_ends_even_one_long_wait(feed_server, settings):
    settings.INBOX_FETCH_TIMEOUT = 60
    settings.INBOX_FETCH_DEADLINE = 0.5
    feed_server.hang("/rss")

    message = fetch_error(feed_server.url("/rss"))

    assert "INBOX_FETCH_DEADLINE" in message


def test_https_to_a_server_without_tls_is_named(feed_server):
    feed_server.feed("/rss", FEED)

    message = fetch_error(feed_server.url("/rss").replace("http://", "https://"))

    assert "защищённое соединение (HTTPS)" in message


def test_a_closed_port_is_reported_as_not_accepting_connections():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port now that the probe is closed.

    message = fetch_error(f"http://127.0.0.1:{port}/rss")

    assert "не принимает соединения" in message


def test_a_compressed_answer_that_does_not_unpack_is_named(feed_server):
    feed_server.feed("/rss", FEED, headers={"Content-Encoding": "gzip"})

    assert "не распаковать" in fetch_error(feed_server.url("/rss"))


@pytest.mark.parametrize(
    "answer",
    [
        b"this is not HTTP\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<rss><channel>",  # cut short
    ],
)
def test_a_broken_answer_is_named(feed_server, answer):
    feed_server.raw("/rss", answer)

    assert "оборвал ответ или ответил не по протоколу HTTP" in fetch_error(feed_server.url("/rss"))
