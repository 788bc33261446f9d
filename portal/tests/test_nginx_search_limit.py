"""nginx limits search per client address, with the Russian 429 page; other pages
and other addresses are not limited.

Debian's nginx (``/usr/sbin/nginx``; ``.ci/run`` installs it) runs the shipped
site, ``deploy/nginx-portal.conf``, with the substitutions an installation makes
(the install folder, gunicorn's address, the ports) and without TLS, on loopback
ports, in front of a stand-in for gunicorn that answers every request with 200.
Marked ``nginx``: deselect with ``-m "not nginx"`` on a machine without it.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx-portal.conf"
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
BURST = 10  # limit_req's burst in the shipped file
FRIENDLY = "Слишком много поисковых запросов"
SEARCHES = [
    "/search/?" + urlencode({"q": "камаз"}),
    "/search?" + urlencode({"q": "завод"}),
    "/search/?" + urlencode({"q": "автобус", "page": 2}),
]

pytestmark = [pytest.mark.nginx, pytest.mark.once]

MAIN_CONF = """\
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{
    worker_connections 1024;  # a crowd of 200 and their upstream connections
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    access_log {folder}/access.log;
    include {folder}/site.conf;
}}
"""


class StandIn(BaseHTTPRequestHandler):
    """gunicorn's stand-in: 200 and the path, for any GET."""

    def do_GET(self):
        body = f"page {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def local_site(text: str, *, folder: Path, upstream: str) -> tuple[str, dict[str, int]]:
    """The shipped site as an installation writes it, on loopback ports without TLS;
    and the port of each server by its scheme."""
    text = text.replace("/srv/portal", str(folder)).replace("127.0.0.1:8000", upstream)
    text = text.replace("/var/www/letsencrypt", str(folder))
    ports: dict[str, int] = {}
    lines, depth, listening = [], 0, False
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        if depth == 0 and re.match(r"\s*server\s*\{", code):
            listening = False
        if re.match(r"\s*listen\s", code):
            if not listening:  # one address per server; the [::] ones go
                scheme = "https" if " ssl" in code else "http"
                ports[scheme] = free_port()
                lines.append(f"    listen 127.0.0.1:{ports[scheme]};")
                listening = True
            continue
        if re.match(r"\s*(ssl_\w+|http2)\s", code):
            continue  # TLS: the certificate belongs to the installation
        lines.append(line)
        depth += code.count("{") - code.count("}")
    return "\n".join(lines) + "\n", ports


def worker_user() -> str:
    """As root, nginx's workers run as nobody (Debian has no group "nobody")."""
    return "user nobody nogroup;" if os.geteuid() == 0 else ""


@pytest.fixture
def stand_in():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def nginx(stand_in):
    """The shipped site in Debian's nginx; the HTTPS server's port (served as HTTP)."""
    if not os.access(NGINX, os.X_OK):
        pytest.fail(
            f"nginx not found at {NGINX}: apt-get install nginx (.ci/run does), set "
            "NGINX_PATH, or deselect these tests with -m 'not nginx'.",
            pytrace=False,
        )
    # Readable by the workers (nobody when run as root), unlike pytest's 0700 folders.
    folder = Path(tempfile.mkdtemp(prefix="portal-nginx-"))
    folder.chmod(0o755)
    try:
        (folder / "deploy").mkdir(mode=0o755)
        (folder / "tmp").mkdir(mode=0o755)  # nginx makes its folders in it, for the workers
        (folder / "var").mkdir(mode=0o755)  # and the micro-cache's (the install's var/)
        shutil.copy(ROOT / "deploy" / "429.html", folder / "deploy" / "429.html")
        (folder / "deploy" / "429.html").chmod(0o644)
        (folder / "nginx.conf").write_text(MAIN_CONF.format(folder=folder, user=worker_user()))
        process, port = start_nginx(folder, stand_in)
        try:
            yield port
        finally:
            stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def start_nginx(folder: Path, stand_in: str) -> tuple[subprocess.Popen, int]:
    """nginx serving the site, and the HTTPS server's port. A free port can be taken
    by another program before nginx binds it: then nginx exits and is started again
    on other ports."""
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")]
    for _attempt in range(3):
        site, ports = local_site(SITE.read_text(), folder=folder, upstream=stand_in)
        (folder / "site.conf").write_text(site)
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, f"nginx refuses the shipped site:\n{checked.stderr}"
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        if serving(process, ports["https"]):
            return process, ports["https"]
        stop(process)
    pytest.fail(f"nginx did not start:\n{(folder / 'error.log').read_text()}", pytrace=False)


def serving(process: subprocess.Popen, port: int) -> bool:
    """Whether ``process`` came to answer on ``port`` through the stand-in."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            # Only this nginx proxies to this stand-in.
            if fetch(port, "/") == (200, "text/plain; charset=utf-8", "page /"):
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGQUIT)  # graceful
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def fetch(port: int, path: str, *, source: str = "127.0.0.1") -> tuple[int, str, str]:
    """Status, Content-Type and text of ``path`` asked from address ``source``."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": "news.example.org"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode()
    finally:
        connection.close()


def burst(port: int, *, deadline_seconds: float = 60) -> list[tuple[str, int, str, str]]:
    """Searches from 8 threads at once, until every kind of search address has met
    a 429 (or the deadline passes): (path, status, content type, text) of each."""
    answers: list[tuple[str, int, str, str]] = []
    refused: set[str] = set()
    failures: list[Exception] = []
    lock, deadline = threading.Lock(), time.monotonic() + deadline_seconds

    def search(offset: int):
        number = offset
        while time.monotonic() < deadline and len(refused) < len(SEARCHES) and not failures:
            path = SEARCHES[number % len(SEARCHES)]
            number += 1
            try:
                answer = (path, *fetch(port, path))
            except OSError as error:
                failures.append(error)
                return
            with lock:
                answers.append(answer)
                if answer[1] == 429:
                    refused.add(path)

    threads = [threading.Thread(target=search, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[0]
    return answers


def test_a_burst_of_searches_gets_the_friendly_429_page(nginx):
    answers = burst(nginx)
    statuses = [status for _path, status, _type, _text in answers]
    assert set(statuses) == {200, 429}
    # nodelay: the first burst and one more pass whatever the timing.
    assert statuses.count(200) >= BURST + 1
    assert {path for path, status, _type, _text in answers if status == 429} == set(SEARCHES)
    refused = next(answer for answer in answers if answer[1] == 429)
    _path, _status, content_type, text = refused
    assert content_type == "text/html; charset=utf-8"
    assert FRIENDLY in text
    assert '<html lang="ru">' in text


def test_other_pages_and_other_addresses_are_not_limited(nginx):
    burst(nginx)
    pages = ["/", "/news/", "/companies/tulpar-motors/", "/news/?page=2"]
    assert {fetch(nginx, page)[0] for page in pages * 10} == {200}
    # Another client address (all of 127.0.0.0/8 is this machine) searches freely.
    assert fetch(nginx, SEARCHES[0], source="127.0.0.2")[0] == 200


def test_the_429_page_is_not_reachable_as_a_page(nginx):
    assert fetch(nginx, "/429.html")[0] == 404
