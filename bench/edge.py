"""nginx's micro-cache in the benchmarks: the deployment's directives, bursts, renders.

``bench/scale_demo.py`` puts a third nginx server in front of its instances with
the micro-cache exactly as ``deploy/nginx-portal.conf`` writes it (the directives
are read from that file, so the demo cannot drift from the deployment), and
measures through it: anonymous reads against the limit ``/ok`` (which the
application never lets nginx keep), a burst of visitors on a page just gone
stale, and how soon a publication shows.

Renders are counted in the edge server's access log: every request nginx sent to
an instance, background refreshes included (``log_subrequest on``), names that
instance; answers from the copy name none ("-").
"""

from __future__ import annotations

import contextlib
import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

from bench.common import ROOT, BenchError

DEPLOY_SITE = ROOT / "deploy" / "nginx-portal.conf"
LOG_FORMAT = "log_format edge '$upstream_cache_status $upstream_addr $uri';"
# Where a burst comes in: kept until the next whole second, a copy is stale during
# the one after, and still given to whoever asks while one request refreshes it.
BURST_AT = 1.4
# nginx writes a request's line once it has ended, a moment after its answer.
LOGGED_WITHIN = 2.0


def micro_cache(cache_folder: Path) -> tuple[str, str]:
    """The deployment's micro-cache directives: those of the http context (with
    ``cache_folder`` for the folder) and those of its ``location /``."""
    text = re.sub(r"(?m)^\s*#.*\n", "", DEPLOY_SITE.read_text())
    found = re.search(r"^proxy_cache_path\s+\S+([^;]*;)", text, re.M)
    marker = re.search(r"^map \$upstream_http_x_accel_expires\b.*?^\}", text, re.M | re.S)
    location = [
        line.strip()
        for line in re.findall(
            r"^\s*(?:proxy_cache\w*|proxy_no_cache|add_header X-Edge-Cache)\s[^;]*;", text, re.M
        )
        if not line.strip().startswith("proxy_cache_path")
    ]
    if found is None or marker is None or not location:
        raise BenchError(f"{DEPLOY_SITE} has no micro-cache (proxy_cache_path, map, proxy_cache)")
    http_part = f"proxy_cache_path {cache_folder}{found[1]}\n{marker[0]}"
    return http_part, "\n".join(location)


def log_position(log: Path) -> int:
    return log.stat().st_size if log.exists() else 0


def renders_since(log: Path, position: int, path: str) -> int:
    """Requests for ``path`` nginx sent on to an instance, logged after ``position``."""
    count = 0
    with log.open("rb") as lines:
        lines.seek(position)
        for line in lines:
            _status, upstream, uri = [*line.decode().strip().split(" ", 2), "", ""][:3]
            if uri == path and upstream not in {"", "-"}:
                count += 1
    return count


def visit(base: str, path: str, cookie: str = "") -> tuple[int, str, str]:
    """Status, X-Edge-Cache and text of ``path`` through the edge server."""
    parts = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        return response.status, response.getheader("X-Edge-Cache", ""), text
    finally:
        connection.close()


def next_second() -> int:
    """Waits for the clock's next whole second (nginx counts in those); returns it."""
    second = int(time.time()) + 1
    time.sleep(max(0.0, second - time.time()))
    return second


def burst_on_stale(base: str, path: str, visitors: int, log: Path) -> tuple[Counter, int]:
    """``visitors`` requests at once on ``path`` just gone stale: their verdicts
    (X-Edge-Cache, or the status when it is not 200), and the renders they caused."""
    second = next_second()
    visit(base, path)
    time.sleep(max(0.0, second + BURST_AT - time.time()))
    position = log_position(log)
    verdicts: Counter = Counter()
    lock, barrier = threading.Lock(), threading.Barrier(visitors)

    def one():
        barrier.wait()
        try:
            status, verdict, _text = visit(base, path)
        except OSError as error:
            status, verdict = 0, type(error).__name__
        with lock:
            verdicts[verdict if status == 200 else f"status {status}"] += 1

    threads = [threading.Thread(target=one) for _ in range(visitors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(LOGGED_WITHIN)  # a background refresh is logged when it ends
    return verdicts, renders_since(log, position, path)


def with_session(base: str, path: str, visits: int, log: Path) -> tuple[list[str], int]:
    """``visits`` requests with a session cookie: their verdicts, and the renders."""
    position = log_position(log)
    verdicts = [visit(base, path, cookie="sessionid=made-up")[1] for _ in range(visits)]
    time.sleep(LOGGED_WITHIN)
    return verdicts, renders_since(log, position, path)


def seconds_until_shown(
    base: str, path: str, text: str, *, since: float, limit: float
) -> float | None:
    """Polls ``path`` every 50 ms: seconds from ``since`` (monotonic) until it shows ``text``."""
    while time.monotonic() - since < limit:
        if text in visit(base, path)[2]:
            return time.monotonic() - since
        time.sleep(0.05)
    return None


@contextlib.contextmanager
def kept_hot(base: str, path: str, every: float = 0.05):
    """Visitors on ``path`` all along (one every ``every`` seconds), so the copy is
    always a fresh one: what a publication on a busy page has to get past."""
    done = threading.Event()

    def visitors():
        while not done.is_set():
            with contextlib.suppress(OSError):
                visit(base, path)
            done.wait(every)

    thread = threading.Thread(target=visitors, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
