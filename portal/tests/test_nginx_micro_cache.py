"""nginx's micro-cache: anonymous pages kept about a second, a crowd on a stale page
costs one render, sessions and POSTs always reach the application, Vary is honoured.

Debian's nginx runs the shipped site (``deploy/nginx-portal.conf``, with the
substitutions of ``test_nginx_search_limit.py``) in front of a stand-in for
gunicorn that answers as the portal does (``X-Accel-Expires`` on anonymous pages,
``Vary: Cookie``, private pages for a session) and counts the requests it gets.
"""

import http.client
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import pytest

from portal import edge
from portal.tests.test_nginx_search_limit import (
    MAIN_CONF,
    NGINX,
    SITE,
    local_site,
    stop,
    worker_user,
)

pytestmark = [pytest.mark.nginx, pytest.mark.once]

BURST = 200
# A copy is kept until the next whole second, then given to those who ask during
# its refresh for one more (portal/edge.py). The margin is for the polling on a
# loaded machine.
PUBLICATION_DELAY = 2.0
MARGIN = 0.3


class Upstream(ThreadingHTTPServer):
    """gunicorn's stand-in: the portal's caching headers, and a count of requests."""

    daemon_threads = True
    request_queue_size = 256

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), AsPortal)
        self.requests: Counter[str] = Counter()
        self.edition = 1
        self.render_seconds = 0.0
        # The portal's stale-while-revalidate; a test may widen it so that its crowd
        # arrives inside the window however slowly a loaded machine starts it.
        self.stale_seconds = edge.STALE_SECONDS
        self.lock = threading.Lock()

    def count(self, method: str, path: str) -> int:
        return self.requests[f"{method} {path}"]


class AsPortal(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # nginx keeps connections to it open

    def do_GET(self):
        self.answer()

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.answer(private=True)

    def answer(self, *, private: bool = False):
        server: Upstream = self.server
        with server.lock:
            server.requests[f"{self.command} {self.path}"] += 1
        time.sleep(server.render_seconds)
        cookie = self.headers.get("Cookie", "")
        private = private or "sessionid=" in cookie or self.path.startswith("/admin/")
        if private:  # what the portal answers staff and the admin
            body = f"personal {self.path}"
            headers = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}
        else:
            body = f"page {self.path} edition {server.edition} cookie {cookie}"
            headers = {  # in the portal's order: Cache-Control first
                "Cache-Control": (
                    f"public, max-age=60, stale-while-revalidate={server.stale_seconds}"
                ),
                "Vary": "Cookie",
                edge.HEADER: edge.expiry(),
            }
        if self.path.startswith("/redirect/"):  # an answer the portal does not mark
            headers = {"Cache-Control": "public, max-age=60"}
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def upstream():
    server = Upstream()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def nginx(upstream):
    """The shipped site in Debian's nginx before the stand-in; the HTTPS server's port."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"nginx not found at {NGINX}: apt-get install nginx", pytrace=False)
    folder = Path(tempfile.mkdtemp(prefix="portal-edge-"))
    folder.chmod(0o755)  # readable by the workers (nobody when run as root)
    process = None
    try:
        for sub in ("deploy", "tmp", "var"):
            (folder / sub).mkdir(mode=0o755)
        shutil.copy(SITE.parent / "429.html", folder / "deploy" / "429.html")
        (folder / "nginx.conf").write_text(MAIN_CONF.format(folder=folder, user=worker_user()))
        process, port = start(folder, f"127.0.0.1:{upstream.server_address[1]}")
        yield port
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(folder, ignore_errors=True)


def start(folder: Path, address: str) -> tuple[subprocess.Popen, int]:
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    for _attempt in range(3):  # a free port may be taken before nginx binds it
        site, ports = local_site(SITE.read_text(), folder=folder, upstream=address)
        (folder / "site.conf").write_text(site)
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, f"nginx refuses the shipped site:\n{checked.stderr}"
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                get(ports["https"], "/admin/startup/")  # never kept: leaves no copy behind
                return process, ports["https"]
            except OSError:
                time.sleep(0.1)
        stop(process)
    pytest.fail(f"nginx did not start:\n{(folder / 'error.log').read_text()}", pytrace=False)


def get(port: int, path: str, *, method: str = "GET", cookie: str = "") -> tuple[int, str, str]:
    """Status, the micro-cache's verdict (X-Edge-Cache) and the text of ``path``."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "news.example.org"}
    if cookie:
        headers["Cookie"] = cookie
    try:
        connection.request(method, path, body=b"" if method == "POST" else None, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        return response.status, response.getheader("X-Edge-Cache", ""), text
    finally:
        connection.close()


T = TypeVar("T")


def next_second() -> int:
    """Waits for the clock's next whole second (the unit nginx counts in); returns it."""
    second = int(time.time()) + 1
    time.sleep(max(0.0, second - time.time()))
    return second


def settle(upstream: Upstream, path: str, seconds: float = 1.0) -> int:
    """Requests ``path`` got, once no background refresh is still running."""
    time.sleep(seconds)
    return upstream.count("GET", path)


def in_one_second(steps: Callable[[int], T], *, attempts: int = 5) -> T:
    """``steps(attempt)`` run just after a whole second, again (with the next attempt
    number, for fresh paths) while a loaded machine spreads it over two: a copy is
    kept until the clock's next whole second. The last attempt's result."""
    for attempt in range(attempts):
        second = next_second()
        result = steps(attempt)
        if int(time.time()) == second:
            break
    return result


def test_an_anonymous_page_is_kept_and_served_from_the_copy(nginx, upstream):
    def twice(attempt: int) -> tuple[str, list]:
        path = f"/news/page-{attempt}/"
        return path, [get(nginx, path)[:2], get(nginx, path)[:2]]

    path, answers = in_one_second(twice)
    assert answers == [(200, "MISS"), (200, "HIT")]
    assert upstream.count("GET", path) == 1


def test_a_burst_on_a_stale_page_reaches_the_application_once(nginx, upstream):
    path = "/companies/kamaz/"
    # nginx's handling of a stale copy is the same for the portal's one second and for
    # thirty: the wide window lets the crowd come in whenever its threads get started.
    upstream.stale_seconds = 30
    answers: list[tuple[int, str, str]] = []
    barrier = threading.Barrier(BURST + 1)

    def visit():
        barrier.wait()
        answers.append(get(nginx, path))

    threads = [threading.Thread(target=visit) for _ in range(BURST)]
    for thread in threads:
        thread.start()
    get(nginx, path)  # kept until the clock's next whole second
    next_second()
    time.sleep(0.2)  # now stale
    upstream.render_seconds = 0.5  # a page slower than the burst's arrival
    before = upstream.count("GET", path)
    barrier.wait()
    for thread in threads:
        thread.join()
    assert len(answers) == BURST
    assert {status for status, _verdict, _text in answers} == {200}
    assert {verdict for _status, verdict, _text in answers} <= {"STALE", "UPDATING", "HIT"}
    assert settle(upstream, path) - before == 1


def test_a_session_cookie_always_reaches_the_application(nginx, upstream):
    path = "/news/some-story/"
    get(nginx, path)
    for _ in range(5):
        status, verdict, text = get(nginx, path, cookie="sessionid=editor")
        assert (status, verdict, text) == (200, "BYPASS", f"personal {path}")
    assert upstream.count("GET", path) == 6
    # What the editor got was never kept for anyone else.
    assert get(nginx, path)[2].startswith(f"page {path} ")


def test_the_admin_is_never_kept(nginx, upstream):
    for _ in range(3):
        assert get(nginx, "/admin/articles/")[2] == "personal /admin/articles/"
    assert upstream.count("GET", "/admin/articles/") == 3


def test_posts_always_reach_the_application(nginx, upstream):
    for _ in range(3):
        assert get(nginx, "/search/", method="POST")[0] == 200
    assert upstream.count("POST", "/search/") == 3


def test_answers_the_application_does_not_mark_are_not_kept(nginx, upstream):
    for _ in range(3):
        assert get(nginx, "/redirect/old/")[0] == 200
    assert upstream.count("GET", "/redirect/old/") == 3


def test_vary_cookie_keeps_a_copy_per_cookie(nginx, upstream):
    def each_cookie_twice(attempt: int) -> tuple[str, list]:
        path = f"/tags/avtobusy-{attempt}/"
        themes = ["theme=dark", "theme=light"] * 2
        return path, [get(nginx, path, cookie=theme) for theme in themes]

    path, (dark, light, dark_again, light_again) = in_one_second(each_cookie_twice)
    assert dark[2].endswith("cookie theme=dark") and light[2].endswith("cookie theme=light")
    assert dark_again == (200, "HIT", dark[2])
    assert light_again == (200, "HIT", light[2])
    assert upstream.count("GET", path) == 2


def test_a_publication_shows_within_two_seconds(nginx, upstream):
    path = "/"
    polls: list[tuple[float, str]] = []
    stop_polling = threading.Event()

    def poll():
        while not stop_polling.is_set():
            polls.append((time.monotonic(), get(nginx, path)[2]))
            time.sleep(0.05)

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        time.sleep(1.5)  # a copy is kept and served
        published = time.monotonic()
        upstream.edition = 2
        deadline = published + PUBLICATION_DELAY + MARGIN + 5
        while time.monotonic() < deadline and "edition 2" not in polls[-1][1]:
            time.sleep(0.05)
    finally:
        stop_polling.set()
        poller.join()
    shown = next(at for at, text in polls if "edition 2" in text)
    assert shown - published <= PUBLICATION_DELAY + MARGIN
    # In between, the copy was what everyone got: far fewer renders than polls.
    assert upstream.count("GET", path) < len(polls) / 4


def test_after_a_quiet_spell_no_one_gets_the_old_copy(nginx, upstream):
    # A stale copy is given only within a second of going stale: later, the
    # visitor waits for the new one.
    path = "/countries/kyrgyzstan/"
    assert "edition 1" in get(nginx, path)[2]
    upstream.edition = 2
    time.sleep(PUBLICATION_DELAY)
    assert "edition 2" in get(nginx, path)[2]
