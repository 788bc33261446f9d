"""A real HTTP server on 127.0.0.1 serving what a test registers: the inbox's sources.

The ``feed_server`` fixture (``inbox/tests/conftest.py``) starts one per test, on
a free port, in a thread, and stops it at teardown. A test registers routes:

    feed_server.feed("/rss", body, content_type="application/rss+xml", etag='"v1"')
    feed_server.status("/gone", 410)
    feed_server.redirect("/old", "/rss")
    feed_server.trickle("/slow", body, interval=0.05)
    feed_server.hang("/silent")
    feed_server.large("/huge", size=50 * 1024 * 1024)

and fetches ``feed_server.url("/rss")``. Every request is logged (method, path,
headers) in ``feed_server.requests``; ``feed_server.hits("/rss")`` counts them, and
``feed_server.connections`` counts the connections accepted.
Registering a path again replaces its route, as a source that changes its feed.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENCODERS: dict[str, Callable[[bytes], bytes]] = {"gzip": gzip.compress, "deflate": zlib.compress}
CHUNK = 64 * 1024


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Route:
    """What one path answers. ``sent`` counts the body bytes written so far, so a test
    can tell that a client stopped reading long before the end."""

    answer: Callable[[FeedRequestHandler, Route], None]
    sent: int = 0
    options: dict = field(default_factory=dict)


class FeedServer:
    """The routes, the request log and the server thread."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[LoggedRequest] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), FeedRequestHandler)
        self.httpd.feed_server = self  # type: ignore[attr-defined]
        # Connections accepted, requests or not: a client refused before connecting makes none.
        self.connections = 0
        self.httpd.verify_request = self.count_connection  # type: ignore[method-assign]
        self.port = self.httpd.server_address[1]
        # Stopping waits for the serving loop's next look: a short one keeps teardown quick.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FeedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # lets hanging and trickling answers return
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    def count_connection(self, request, client_address) -> bool:
        with self.lock:
            self.connections += 1
        return True

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for request in self.requests if request.path == path)

    def route(self, path: str) -> Route:
        return self.routes[path]

    def log(self, request: LoggedRequest) -> None:
        with self.lock:
            self.requests.append(request)

    def add(
        self, path: str, answer: Callable[[FeedRequestHandler, Route], None], **options
    ) -> Route:
        self.routes[path] = route = Route(answer=answer, options=options)
        return route

    # The kinds of route ------------------------------------------------------

    def feed(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        encoding: str | None = None,
        etag: str | None = None,
        last_modified: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> Route:
        """Fixed bytes, ``encoding`` "gzip" or "deflate" if given; with ``etag`` and/or
        ``last_modified`` (a Unix time), a matching conditional request gets 304.
        ``headers``: more headers, as they are (a Content-Encoding the body lacks...)."""
        return self.add(
            path,
            answer_feed,
            body=body,
            content_type=content_type,
            encoding=encoding,
            headers=headers or {},
            etag=etag,
            last_modified=None if last_modified is None else formatdate(last_modified, usegmt=True),
        )

    def raw(self, path: str, data: bytes) -> Route:
        """``data`` as the whole answer, status line and headers included, then the
        connection closed: for answers that break HTTP."""
        return self.add(path, answer_raw, data=data)

    def status(self, path: str, code: int, body: bytes = b"") -> Route:
        return self.add(path, answer_status, code=code, body=body)

    def redirect(self, path: str, to: str, *, code: int = 302) -> Route:
        """``to``: a path on this server or any address (another scheme, another host)."""
        return self.add(path, answer_redirect, code=code, to=to)

    def trickle(self, path: str, body: bytes, *, interval: float, chunk: int = 1) -> Route:
        """``body`` with its length declared, ``chunk`` bytes every ``interval`` seconds."""
        return self.add(path, answer_trickle, body=body, interval=interval, chunk=chunk)

    def hang(self, path: str) -> Route:
        """Reads the request and never answers (until the server stops)."""
        return self.add(path, answer_hang)

    def large(
        self,
        path: str,
        *,
        size: int,
        declare_length: bool = False,
        content_type: str = "application/rss+xml",
    ) -> Route:
        """``size`` bytes made up as they are sent (one 64 KB block again and again),
        chunked unless ``declare_length``."""
        return self.add(
            path, answer_large, size=size, declare_length=declare_length, content_type=content_type
        )


class FeedRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FeedServer/1.0"

    def do_GET(self) -> None:
        self.answer()

    def do_HEAD(self) -> None:
        self.answer()

    def answer(self) -> None:
        server: FeedServer = self.server.feed_server  # type: ignore[attr-defined]
        path = self.path.partition("?")[0]
        server.log(LoggedRequest(self.command, self.path, dict(self.headers.items())))
        route = server.routes.get(path)
        if route is None:
            answer_status(self, Route(answer=answer_status, options={"code": 404, "body": b""}))
            return
        try:
            route.answer(self, route)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up: that is its right

    def send_body(self, route: Route, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        route.sent += len(data)

    def log_message(self, format: str, *args) -> None:
        """Quiet: the request log is ``FeedServer.requests``."""


def not_modified(handler: FeedRequestHandler, options: dict) -> bool:
    """Whether the request's validators match the route's (If-None-Match wins)."""
    sent_etag = handler.headers.get("If-None-Match")
    if sent_etag is not None:
        tags = {tag.strip() for tag in sent_etag.split(",")}
        return options["etag"] is not None and ("*" in tags or options["etag"] in tags)
    since = handler.headers.get("If-Modified-Since")
    if since is None or options["last_modified"] is None:
        return False
    try:
        return parsedate_to_datetime(options["last_modified"]) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def answer_feed(handler: FeedRequestHandler, route: Route) -> None:
    options = route.options
    validators = {"ETag": options["etag"], "Last-Modified": options["last_modified"]}
    if not_modified(handler, options):
        handler.send_response(304)
        for name, value in validators.items():
            if value is not None:
                handler.send_header(name, value)
        handler.end_headers()
        return
    body = options["body"]
    handler.send_response(200)
    handler.send_header("Content-Type", options["content_type"])
    if options["encoding"]:
        body = ENCODERS[options["encoding"]](body)
        handler.send_header("Content-Encoding", options["encoding"])
    for name, value in {**validators, **options["headers"]}.items():
        if value is not None:
            handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.send_body(route, body)


def answer_status(handler: FeedRequestHandler, route: Route) -> None:
    body = route.options["body"]
    handler.send_response(route.options["code"])
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.send_body(route, body)


def answer_raw(handler: FeedRequestHandler, route: Route) -> None:
    handler.send_body(route, route.options["data"])
    handler.close_connection = True


def answer_redirect(handler: FeedRequestHandler, route: Route) -> None:
    handler.send_response(route.options["code"])
    handler.send_header("Location", route.options["to"])
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def answer_trickle(handler: FeedRequestHandler, route: Route) -> None:
    body, step = route.options["body"], route.options["chunk"]
    handler.send_response(200)
    handler.send_header("Content-Type", "application/rss+xml; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.flush()
    stopping = handler.server.feed_server.stopping  # type: ignore[attr-defined]
    for start in range(0, len(body), step):
        if stopping.wait(route.options["interval"]):
            handler.close_connection = True
            return
        handler.send_body(route, body[start : start + step])


def answer_hang(handler: FeedRequestHandler, route: Route) -> None:
    handler.server.feed_server.stopping.wait()  # type: ignore[attr-defined]
    handler.close_connection = True


def answer_large(handler: FeedRequestHandler, route: Route) -> None:
    size, declared = route.options["size"], route.options["declare_length"]
    block = (b"<item><title>x</title></item>\n" * (CHUNK // 30 + 1))[:CHUNK]
    handler.send_response(200)
    handler.send_header("Content-Type", route.options["content_type"])
    if declared:
        handler.send_header("Content-Length", str(size))
    else:
        handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    left = size
    while left > 0:
        data = block[: min(left, CHUNK)]
        framed = data if declared else b"%x\r\n%s\r\n" % (len(data), data)
        handler.wfile.write(framed)
        route.sent += len(data)
        left -= len(data)
    if not declared:
        handler.wfile.write(b"0\r\n\r\n")
    handler.wfile.flush()


def wait_for(condition: Callable[[], bool], *, seconds: float = 10.0) -> bool:
    """Whether ``condition()`` came true within ``seconds``: for what a server thread
    records just after the client has its answer."""
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() >= end:
            return False
        time.sleep(0.01)
    return True
