"""Load and faults: the portal under wrk while the database stops, workers die and editors write.

    .venv/bin/python bench/reliability.py                 # full form: 60 s of load, about 3 min
    .venv/bin/python bench/reliability.py --short         # CI form: 30 s of load, about 2 min
    .venv/bin/python bench/reliability.py --only load,outage --json var/out.json

Everything runs on 127.0.0.1 against throwaway servers started for the run and
removed afterwards:

- a PostgreSQL 15 cluster of its own (Unix socket only; run as the user ``pgtest``
  when started as root), so the outage can stop it without touching any other
  server such as the test suite's;
- ``bench/generate_corpus.py --articles 1000`` in it (synthetic articles, the real
  catalog, links and tags), and a staff account for the editor;
- gunicorn with the production settings (``portal.settings.production`` when that
  module exists, else ``portal.settings`` with DEBUG off), ``deploy/gunicorn.conf.py``
  when it exists, persistent connections with health checks (``CONN_MAX_AGE=600``),
  the page cache on as in production;
- wrk (one thread, 64 connections, a request unanswered after 30 s, gunicorn's
  worker timeout, counts as an error) over a mix of pages: the home page, 40 articles,
  company, model, official and country pages, the archive and searches. Requests
  carry ``X-Forwarded-Proto: https``, as nginx would send them.

Phases, each with its own wrk run (statuses counted by a Lua script):

load      64 connections for 60 s (30 s short) after a warm-up: zero errors (socket
          errors, timeouts, statuses other than 2xx/3xx); throughput and p99 latency.
editor    a staff user signs in to the admin (session, CSRF) and saves articles
          through the change form again and again while wrk reads; every save
          answers with the admin's redirect, and each article's final text holds
          every edit made to it, in order.
crash     kill -9 one gunicorn worker, then another, during the load: the master
          starts new ones; at most the request each worker was serving fails.
outage    ``pg_ctl stop -m fast`` during the load: pages answer the friendly 503
          (never 500, no traceback), /healthz answers 503; after ``pg_ctl start``
          every page answers 200 again within 5 s, with the same gunicorn.

The figures are printed, and written as JSON to var/bench/results/reliability.json
(or --json PATH). The exit status is 1 when a phase misses its target, 2 on a setup
problem.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import html.parser
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (
    BENCH_DIR,
    GUNICORN,
    PYTHON,
    ROOT,
    SECRET_KEY,
    BenchError,
    check_virtualenv,
    ensure_wrk,
    free_port,
    generate_corpus,
    machine_summary,
    pg_tool,
    quote_path,
    run,
    script_main,
    stop_server,
)

RESULTS = BENCH_DIR / "results" / "reliability.json"
LOG_DIR = BENCH_DIR / "run"
PHASES = ("load", "editor", "crash", "outage")
CONNECTIONS = 64
ARTICLES = 1000
RECOVERY_TARGET = 5.0  # seconds from PostgreSQL's return to every page answering 200
FRIENDLY_503 = "Сайт временно недоступен"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SERVER_USER = "pgtest"
EDITOR = "reliability-editor"
EDITOR_PASSWORD = "Reliability-editor-password-7"


@dataclass(frozen=True)
class Durations:
    warmup: int
    load: int
    editor: int
    crash: int
    outage_before: int  # load before PostgreSQL stops
    outage_down: int  # seconds PostgreSQL stays down
    outage_after: int  # load after it is back
    edits: int

    @classmethod
    def full(cls) -> Durations:
        return cls(5, 60, 30, 20, 5, 5, 10, 45)

    @classmethod
    def short(cls) -> Durations:
        return cls(3, 30, 12, 10, 3, 6, 6, 15)


# --- PostgreSQL: a cluster of our own ------------------------------------------


class Cluster:
    """A throwaway PostgreSQL cluster on a Unix socket, which this script may stop."""

    PORT = 5433  # names the socket file only: there is no TCP listener

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="portal-reliability-", dir="/tmp"))
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.sock = self.folder / "sock"
        self.log = self.folder / "server.log"
        self.user = SERVER_USER if os.geteuid() == 0 else None
        for tool in ("initdb", "pg_ctl", "createdb"):
            pg_tool(tool)

    @property
    def url(self) -> str:
        host = urllib.parse.quote(str(self.sock), safe="")
        return f"postgres://postgres@{host}:{self.PORT}/portal"

    def _as_server(self, *cmd: str | Path) -> str:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return run([*prefix, *cmd], quiet=True)

    def create(self) -> None:
        self.data.mkdir(mode=0o700)
        self.sock.mkdir(mode=0o755)
        self.log.touch()
        if self.user:
            self._ensure_user()
            for path in (self.data, self.sock, self.log):
                shutil.chown(path, self.user)
        initdb = [pg_tool("initdb"), "-D", self.data, "--auth=trust", "-E", "UTF8"]
        self._as_server(*initdb, "-U", "postgres", "--no-sync", "--locale=C.UTF-8")
        self.start()
        run([pg_tool("createdb"), "-h", self.sock, "-p", str(self.PORT), "-U", "postgres",
             "portal"], quiet=True)  # fmt: skip

    def _ensure_user(self) -> None:
        try:
            pwd.getpwnam(self.user)
        except KeyError:
            run(["useradd", "--system", "-M", "-s", "/usr/sbin/nologin", self.user], quiet=True)

    def psql(self, sql: str) -> str:
        return run([pg_tool("psql"), "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", sql])

    def start(self) -> None:
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{self.sock}' "
            f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -p {self.PORT}"
        )
        pg_ctl = [pg_tool("pg_ctl"), "-D", self.data, "-l", self.log, "-w", "-t", "60"]
        self._as_server(*pg_ctl, "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._as_server(pg_tool("pg_ctl"), "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(BenchError):
                self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the portal ----------------------------------------------------------------


def settings_module() -> str:
    """The production settings when they exist, else the base settings (DEBUG off)."""
    if (ROOT / "portal" / "settings" / "production.py").exists():
        return "portal.settings.production"
    return "portal.settings"


def portal_env(database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PAGE_CACHE"}
        and not key.startswith("TEST_POSTGRES")
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings_module(),
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        # Production requires a mail server; these runs queue no readers' mail.
        EMAIL_URL="smtp://127.0.0.1:25",
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        PYTHONHASHSEED="0",
        # As behind nginx, which says whether the visitor came over HTTPS.
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    return run([PYTHON, "manage.py", *args], env=env)


def shell(env: dict[str, str], code: str) -> str:
    """The last line ``code`` prints, run by ``manage.py shell``."""
    return manage(env, "shell", "--verbosity", "0", "-c", code).strip().splitlines()[-1]


# Run in the portal's environment: the paths wrk loads and the articles the editor edits.
PATHS_SCRIPT = textwrap.dedent(
    """
    import json
    from articles.models import Article
    from companies.kinds import KINDS
    from companies.queries import by_mentions

    articles = list(Article.objects.published().order_by("-published_at", "-id")[:40])
    entities = []
    for kind in KINDS:
        entities += [entity.get_absolute_url() for entity in by_mentions(kind)[:3]]
    print(json.dumps({
        "articles": [a.get_absolute_url() for a in articles],
        "article_ids": [a.pk for a in articles],
        "entities": entities,
    }))
    """
)

# A member of the newsroom's editor role (manage.py setup_roles), not a superuser.
EDITOR_SCRIPT = textwrap.dedent(
    f"""
    from django.contrib.auth.models import Group, User
    from articles.roles import EDITOR as EDITOR_ROLE
    user = User.objects.create_user({EDITOR!r}, password={EDITOR_PASSWORD!r}, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR_ROLE))
    print(user.pk)
    """
)

BODIES_SCRIPT = textwrap.dedent(
    """
    import json
    from articles.models import Article
    ids = {ids}
    print(json.dumps({{str(a.pk): a.body for a in Article.objects.filter(pk__in=ids)}}))
    """
)


@dataclass
class Site:
    base: str
    env: dict[str, str]
    server: subprocess.Popen
    log: Path
    mix: list[str]  # paths wrk loads, in order
    checks: dict[str, str]  # a page of each kind: what must answer 200 / 503
    edited: list[int]  # article ids the editor edits
    edited_paths: list[str]

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children")
        with contextlib.suppress(OSError):
            return [int(pid) for pid in children.read_text().split()]
        return []


def page_mix(found: dict) -> tuple[list[str], dict[str, str]]:
    searches = ["/search/?q=" + urllib.parse.quote(q) for q in ("завод", "автобус", "экспорт")]
    articles, entities = found["articles"], found["entities"]
    if not articles or not entities:
        raise BenchError("the corpus has no published articles or entities to load")
    # Weighted like a news site: mostly articles, then the home page and entities.
    mix: list[str] = []
    for i, article in enumerate(articles):
        mix.append(article)
        if i % 4 == 0:
            mix.append("/")
        if i % 3 == 0:
            mix.append(entities[(i // 3) % len(entities)])
        if i % 10 == 0:
            mix.append(searches[(i // 10) % len(searches)])
        if i % 20 == 0:
            mix.append("/news/")
    checks = {
        "home": "/",
        "article": articles[0],
        "article (old)": articles[-1],
        "archive": "/news/",
        "search": searches[0],
        **{f"entity {path.split('/')[1]}": path for path in entities[::3]},
    }
    return mix, checks


@contextlib.contextmanager
def portal(cluster: Cluster, *, workers: int | None, edits_on: int = 3):
    env = portal_env(cluster.url)
    print(f"== portal: {settings_module()}, generate_corpus --articles {ARTICLES}")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    generate_corpus("--articles", str(ARTICLES), "--seed", "1", env=env)
    # Fresh tables have no statistics yet: without them the planner picks slow plans.
    cluster.psql("VACUUM ANALYZE")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "setup_roles", "--verbosity", "0")
    shell(env, EDITOR_SCRIPT)
    found = json.loads(shell(env, PATHS_SCRIPT))
    mix, checks = page_mix(found)

    port = free_port()
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = LOG_DIR / f"reliability-gunicorn-{port}.log"
    cmd: list[str | Path] = [GUNICORN, "portal.wsgi"]
    config = ROOT / "deploy" / "gunicorn.conf.py"
    if config.exists():
        cmd += ["--config", config]
    else:
        cmd += ["--worker-class", "sync", "--workers", str(workers or 2)]
    if workers:
        cmd += ["--workers", str(workers)]
    # No access log: wrk sends thousands of requests a second.
    cmd += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null"]
    cmd += ["--error-logfile", "-", "--log-level", "warning"]
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(c) for c in cmd], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    site = Site(
        base=f"http://127.0.0.1:{port}",
        env=env,
        server=server,
        log=log,
        mix=mix,
        checks=checks,
        edited=found["article_ids"][:edits_on],
        edited_paths=found["articles"][:edits_on],
    )
    try:
        wait_until_up(site)
        print(f"   gunicorn at {site.base}: {len(site.workers())} workers, "
              f"{len(set(mix))} pages in the mix")  # fmt: skip
        yield site
    finally:
        stop_server(server)


def wait_until_up(site: Site) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if site.server.poll() is not None:
            raise BenchError(f"gunicorn exited ({site.server.returncode}):\n{site.log.read_text()}")
        with contextlib.suppress(OSError):
            if get(site.base, "/healthz").status == 200:
                break
        time.sleep(0.2)
    else:
        raise BenchError(f"gunicorn did not answer {site.base}/healthz within 60 s")
    for name, path in site.checks.items():
        answer = get(site.base, path)
        if answer.status != 200:
            raise BenchError(f"{name} {path} answered {answer.status}:\n{answer.text[:500]}")


# --- HTTP --------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str
    cookies: dict[str, str] = field(default_factory=dict)


def request(
    base: str,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Answer:
    """One request, no redirects followed; the proxy's headers added."""
    parts = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        return Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            data.decode("utf-8", errors="replace"),
            cookies,
        )
    finally:
        conn.close()


def get(base: str, path: str, **kwargs) -> Answer:
    return request(base, path, **kwargs)


# --- wrk ---------------------------------------------------------------------

# The mix in order, round robin over the connections; every status counted.
WRK_LUA = """
local paths = {%(paths)s}
local headers = {["X-Forwarded-Proto"] = "https"}
local n = 0
statuses = {}
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], headers)
end
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local counted = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      counted[#counted + 1] = string.format('"%%d": %%d', status, count)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RELIABILITY_JSON {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "statuses": {%%s}}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, table.concat(counted, ", ")))
end
"""


@dataclass
class WrkRun:
    requests: int
    seconds: float
    socket_errors: int  # connect, read, write errors and timeouts
    bad_statuses: int  # answers other than 2xx/3xx
    statuses: dict[str, int]
    p50_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.socket_errors + self.bad_statuses

    def line(self) -> str:
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{self.requests} requests in {self.seconds:.1f} s = {self.rps:.0f} req/s, "
            f"p50 {self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms; statuses {{{statuses}}}, "
            f"socket errors {self.socket_errors}"
        )


class Wrk:
    """wrk over the page mix in the background; ``result()`` waits for its report."""

    def __init__(self, site: Site, seconds: float, connections: int = CONNECTIONS) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            paths = ", ".join(json.dumps(quote_path(p), ensure_ascii=True) for p in site.mix)
            script.write(WRK_LUA % {"paths": paths})
        self.script = script.name
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "--timeout=30s"]
        self.process = subprocess.Popen(
            [*cmd, "-s", self.script, site.base],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def result(self) -> WrkRun:
        try:
            output, _ = self.process.communicate(timeout=600)
        finally:
            os.unlink(self.script)
        line = next((x for x in output.splitlines() if x.startswith("RELIABILITY_JSON ")), None)
        if self.process.returncode != 0 or line is None:
            raise BenchError(f"wrk failed ({self.process.returncode}):\n{output}")
        data = json.loads(line.removeprefix("RELIABILITY_JSON "))
        return WrkRun(
            requests=data["requests"],
            seconds=data["duration_us"] / 1e6,
            socket_errors=sum(data[k] for k in ("connect", "read", "write", "timeout")),
            bad_statuses=data["status"],
            statuses=data["statuses"],
            p50_ms=data["p50_us"] / 1000,
            p99_ms=data["p99_us"] / 1000,
            max_ms=data["max_us"] / 1000,
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.unlink(self.script)


# --- phases --------------------------------------------------------------------


@dataclass
class Outcome:
    phase: str
    ok: bool
    summary: str
    figures: dict


def phase_load(site: Site, durations: Durations) -> Outcome:
    print(f"== load: {CONNECTIONS} connections for {durations.load} s (warm-up "
          f"{durations.warmup} s)")  # fmt: skip
    Wrk(site, durations.warmup).result()
    result = Wrk(site, durations.load).result()
    print(f"   {result.line()}")
    ok = result.errors == 0 and result.requests > 0
    summary = (
        f"{result.rps:.0f} req/s, p50 {result.p50_ms:.0f} ms, p99 {result.p99_ms:.0f} ms, "
        f"{result.errors} errors in {result.requests} requests"
    )
    return Outcome("load", ok, summary, asdict(result) | {"rps": result.rps})


class FormFields(html.parser.HTMLParser):
    """What a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._multiple = False
        self._option: tuple[str, bool] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields.append((name, a.get("value") or "on"))
                return
            self.fields.append((name, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options, self._multiple = name, [], "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._text = []
            if self._option[0] is not None:
                self._options.append((self._option[0], self._option[1]))
                self._option = None

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline right after <textarea>, Django writes one.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            self._options.append(("".join(self._text).strip(), self._option[1]))
            self._option = None
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not self._multiple and self._options:
                chosen = [self._options[0][0]]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None


class Editor:
    """A staff user in the admin over HTTP: a real session, CSRF tokens, the change form."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.cookies: dict[str, str] = {}
        self.origin = "https://" + urllib.parse.urlsplit(site.base).netloc
        self.admin = "/" + site.env.get("ADMIN_PATH", "admin").strip("/") + "/"

    def _headers(self, referer: str) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "Origin": self.origin, "Referer": self.origin + referer}

    def _call(self, path: str, fields: list[tuple[str, str]] | None = None) -> Answer:
        if fields is None:
            answer = request(self.site.base, path, headers=self._headers(path))
        else:
            body = urllib.parse.urlencode(fields).encode()
            headers = self._headers(path) | {"Content-Type": "application/x-www-form-urlencoded"}
            answer = request(self.site.base, path, method="POST", body=body, headers=headers)
        self.cookies.update(answer.cookies)
        return answer

    def _form(self, path: str, form_id: str) -> list[tuple[str, str]]:
        answer = self._call(path)
        if answer.status != 200:
            raise BenchError(f"GET {path} answered {answer.status}")
        parser = FormFields(form_id)
        parser.feed(answer.text)
        if not parser.fields:
            raise BenchError(f"no form #{form_id} on {path}")
        return parser.fields

    def sign_in(self) -> None:
        path = self.admin + "login/?next=" + self.admin
        fields = self._form(path, "login-form")
        fields = [(k, v) for k, v in fields if k not in {"username", "password"}]
        fields += [("username", EDITOR), ("password", EDITOR_PASSWORD)]
        answer = self._call(path, fields)
        if answer.status != 302:
            raise BenchError(f"the editor could not sign in ({answer.status})")

    def edit(self, article_id: int, marker: str) -> tuple[int, str]:
        """Append ``marker`` to the article's body through the change form."""
        path = f"{self.admin}articles/article/{article_id}/change/"
        fields = self._form(path, "article_form")
        fields = [(k, v + f"\n\n{marker}" if k == "body" else v) for k, v in fields]
        answer = self._call(path, [*fields, ("_save", "Сохранить")])
        problem = ""
        if answer.status != 302:
            notes = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.text, re.S)
            problem = re.sub(r"<[^>]+>", " ", " ".join(notes))[:300] or answer.text[:300]
        return answer.status, problem


def phase_editor(site: Site, durations: Durations) -> Outcome:
    print(f"== editor: {durations.edits} saves through the admin while wrk reads")
    editor = Editor(site)
    editor.sign_in()
    wrk = Wrk(site, durations.editor)
    made: dict[int, list[str]] = {pk: [] for pk in site.edited}
    failures: list[str] = []
    seconds: list[float] = []
    try:
        time.sleep(1)
        for n in range(1, durations.edits + 1):
            pk = site.edited[n % len(site.edited)]
            marker = f"Правка номер {n} редактора."
            started = time.monotonic()
            status, problem = editor.edit(pk, marker)
            seconds.append(time.monotonic() - started)
            if status == 302:
                made[pk].append(marker)
            else:
                failures.append(f"edit {n} of article {pk}: {status} {problem}")
    finally:
        result = wrk.result()
    bodies = json.loads(shell(site.env, BODIES_SCRIPT.format(ids=site.edited)))
    lost = []
    for pk, markers in made.items():
        body = bodies[str(pk)]
        found = [m for m in re.findall(r"Правка номер \d+ редактора\.", body)]
        if found != markers:
            lost.append(f"article {pk}: saved {markers}, body holds {found}")
    # Visitors see the last edit at once (the page cache is dropped on save).
    stale = []
    for pk, path in zip(site.edited, site.edited_paths, strict=True):
        if made[pk] and made[pk][-1] not in get(site.base, path).text:
            stale.append(path)
    print(f"   {result.line()}")
    saves = sum(len(m) for m in made.values())
    print(f"   {saves} saves, slowest {max(seconds, default=0):.2f} s; failures {failures}; "
          f"lost {lost}; stale pages {stale}")  # fmt: skip
    ok = not failures and not lost and not stale and result.errors == 0 and saves > 0
    summary = (
        f"{saves} admin saves during {result.rps:.0f} req/s of reading: "
        f"{len(failures)} failed, {len(lost)} articles lost an edit, "
        f"{result.errors} reader errors"
    )
    figures = {
        "saves": saves,
        "failures": failures,
        "lost": lost,
        "stale_pages": stale,
        "slowest_save_s": max(seconds, default=0),
        "readers": asdict(result),
    }
    return Outcome("editor", ok, summary, figures)


def phase_crash(site: Site, durations: Durations) -> Outcome:
    print(f"== crash: kill -9 two gunicorn workers during {durations.crash} s of load")
    wrk = Wrk(site, durations.crash)
    killed: list[int] = []
    replaced = True
    try:
        for _ in range(2):
            time.sleep(durations.crash / 3)
            before = site.workers()
            if not before:
                raise BenchError("gunicorn has no workers to kill")
            os.kill(before[0], signal.SIGKILL)
            killed.append(before[0])
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                now = site.workers()
                if len(now) >= len(before) and before[0] not in now:
                    break
                time.sleep(0.1)
            else:
                replaced = False
    finally:
        result = wrk.result()
    print(f"   killed {killed}; {result.line()}")
    # A sync worker serves one request at a time: only that one may fail.
    ok = replaced and result.errors <= len(killed) and result.requests > 0
    summary = (
        f"{len(killed)} workers killed: {result.errors} failed requests of {result.requests} "
        f"({result.rps:.0f} req/s), workers replaced: {'yes' if replaced else 'NO'}"
    )
    return Outcome("crash", ok, summary, asdict(result) | {"killed": killed, "replaced": replaced})


@dataclass
class Probe:
    name: str
    path: str
    sent: float  # time.monotonic() when sent
    seconds: float  # until the answer came
    status: int  # 0: no answer (socket error)
    friendly: bool  # the 503 page's text
    retry_after: bool
    leaks: bool  # a traceback or the database error's words
    cache: str = ""  # X-Cache: whether the page cache was asked and knew the page


def probe(site: Site, name: str, path: str) -> Probe:
    sent = time.monotonic()
    try:
        answer = get(site.base, path, timeout=30)
    except OSError:
        return Probe(name, path, sent, time.monotonic() - sent, 0, False, False, False)
    text = answer.text
    return Probe(
        name,
        path,
        sent,
        time.monotonic() - sent,
        answer.status,
        FRIENDLY_503 in text,
        "retry-after" in answer.headers,
        any(leak in text for leak in ("Traceback", "OperationalError", "psycopg", ".s.PGSQL")),
        answer.headers.get("x-cache", ""),
    )


class Prober:
    """A request every ``interval`` seconds, round robin over the pages, without waiting
    for answers: under load an answer takes as long as the queue ahead of it."""

    def __init__(self, site: Site, pages: dict[str, str], interval: float = 0.05) -> None:
        self.site, self.pages, self.interval = site, list(pages.items()), interval
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=128)
        self.jobs: list[concurrent.futures.Future] = []
        self.running = True
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self) -> None:
        n = 0
        while self.running:
            name, path = self.pages[n % len(self.pages)]
            self.jobs.append(self.pool.submit(probe, self.site, name, path))
            n += 1
            time.sleep(self.interval)

    def stop(self) -> list[Probe]:
        self.running = False
        self.thread.join()
        self.pool.shutdown(wait=True)
        return sorted((job.result() for job in self.jobs), key=lambda p: p.sent)


def phase_outage(site: Site, cluster: Cluster, durations: Durations) -> Outcome:
    print(f"== outage: pg_ctl stop -m fast under load, {durations.outage_down} s down, start")
    total = durations.outage_before + durations.outage_down + durations.outage_after + 3
    wrk = Wrk(site, total)
    prober = None
    try:
        time.sleep(durations.outage_before)
        prober = Prober(site, {**site.checks, "healthz": "/healthz"})
        time.sleep(1)
        began = time.monotonic()
        cluster.stop("fast")
        stopped = time.monotonic()
        print(f"   PostgreSQL stopped in {stopped - began:.2f} s")
        time.sleep(durations.outage_down)
        restarting = time.monotonic()
        cluster.start()
        back = time.monotonic()
        print(f"   PostgreSQL back {back - stopped:.1f} s after the stop")
        time.sleep(durations.outage_after)
    finally:
        probes = prober.stop() if prober else []
        result = wrk.result()
    # Sent once the server was down, answered before it was started again: the outage
    # proper (an answer after "pg_ctl start" began may come from the restarted server).
    down = [p for p in probes if p.sent >= stopped and p.sent + p.seconds <= restarting]
    pages_down = [p for p in down if p.name != "healthz"]
    health_down = [p for p in down if p.name == "healthz"]
    bad_pages = [p for p in pages_down if not (p.status == 503 and p.friendly and p.retry_after)]
    bad_health = [p for p in health_down if p.status != 503]
    leaks = [p for p in probes if p.leaks or p.status not in {200, 503}]
    # Recovery: from when on every request sent is answered 200, with the same gunicorn.
    after = [p for p in probes if p.sent >= back]
    failing = [p for p in after if p.status != 200]
    recovered_at = max((p.sent for p in failing), default=back)
    later = [p for p in after if p.sent > recovered_at]
    every_page = {p.name for p in later} >= {name for name in site.checks} | {"healthz"}
    recovery = recovered_at - back
    if not every_page:
        recovery = float("inf")
    first_200 = {}
    for p in after:
        if p.status == 200 and p.name not in first_200:
            first_200[p.name] = p.sent + p.seconds - back
    answered = max(first_200.values(), default=float("inf"))
    latency = sorted(p.seconds for p in later)
    p50 = latency[len(latency) // 2] if latency else float("nan")
    server_errors = sum(n for s, n in result.statuses.items() if s.startswith("5") and s != "503")
    others = {s: n for s, n in result.statuses.items() if s not in {"200", "503"}}
    print(
        f"   while down: {len(pages_down)} page requests, {len(bad_pages)} not the friendly "
        f"503; /healthz {sorted({p.status for p in health_down})}"
    )
    print(
        f"   back: every request sent {recovery:.2f} s after PostgreSQL's return or later "
        f"answered 200 ({len(later)} requests, p50 {p50:.2f} s under the load); each page's "
        f"first 200 arrived within {answered:.2f} s"
    )
    print(f"   {result.line()}")
    ok = (
        bool(pages_down)
        and bool(health_down)
        and not bad_pages
        and not bad_health
        and not leaks
        and recovery <= RECOVERY_TARGET
        and server_errors == 0
        and not others
        and result.socket_errors == 0
        and result.statuses.get("503", 0) > 0
    )
    summary = (
        f"while down {len(pages_down)} page requests got the friendly 503 "
        f"({len(bad_pages)} did not), /healthz 503, wrk saw {result.statuses.get('503', 0)} "
        f"503 and {server_errors} other 5xx; every page 200 for requests sent "
        f"{recovery:.2f} s after PostgreSQL was back (first answers within {answered:.2f} s "
        "under load), same gunicorn"
    )
    figures = {
        "recovery_seconds": recovery,
        "first_200_answered_seconds": first_200,
        "latency_p50_after_seconds": p50,
        "down_page_requests": len(pages_down),
        "down_healthz": sorted({p.status for p in health_down}),
        "not_friendly": [asdict(p) for p in bad_pages[:10]],
        "leaks": [asdict(p) for p in leaks[:10]],
        "server_errors": server_errors,
        "wrk": asdict(result),
    }
    return Outcome("outage", ok, summary, figures)


# --- main ----------------------------------------------------------------------


def phase_arguments(description: str, phases: Sequence[str], *, short: str, results: Path):
    """The options every fault script takes: --short, --only PHASES, --json PATH."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--short", action="store_true", help=f"the CI form: {short}")
    parser.add_argument("--only", default=",".join(phases), help="phases: " + ",".join(phases))
    parser.add_argument("--json", type=Path, default=results, help=f"default {results}")
    return parser


def chosen_phases(
    parser: argparse.ArgumentParser, args: argparse.Namespace, phases: Sequence[str]
) -> None:
    """``args.phases``, from --only, checked against ``phases``."""
    args.phases = [p.strip() for p in args.only.split(",") if p.strip()]
    if not args.phases or any(p not in phases for p in args.phases):
        parser.error(f"--only takes {','.join(phases)}, got {args.only!r}")


def finish(outcomes: list[Outcome], path: Path, **facts) -> int:
    """Print the summary and write ``facts`` with the outcomes as JSON to ``path``;
    the exit status: 0 when every phase met its target, else 1."""
    print("\n== summary")
    width = max((len(o.phase) for o in outcomes), default=0)
    for outcome in outcomes:
        print(f"{'ok  ' if outcome.ok else 'FAIL'} {outcome.phase:{width}} {outcome.summary}")
    report = {
        **facts,
        "outcomes": [asdict(o) for o in outcomes],
        "ok": bool(outcomes) and all(o.ok for o in outcomes),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0 if report["ok"] else 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    description = __doc__.split("\n\n")[0]
    parser = phase_arguments(description, PHASES, short="30 s of load", results=RESULTS)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: its config, or 2)")
    args = parser.parse_args(argv)
    chosen_phases(parser, args, PHASES)
    return args


def main() -> int:
    args = parse_args()
    check_virtualenv()
    ensure_wrk()
    durations = Durations.short() if args.short else Durations.full()
    cluster = Cluster()
    outcomes: list[Outcome] = []
    try:
        cluster.create()
        machine = machine_summary(with_postgres=False)
        print(f"== {machine}")
        with portal(cluster, workers=args.workers) as site:
            workers = len(site.workers())
            for phase in args.phases:
                if phase == "load":
                    outcomes.append(phase_load(site, durations))
                elif phase == "editor":
                    outcomes.append(phase_editor(site, durations))
                elif phase == "crash":
                    outcomes.append(phase_crash(site, durations))
                elif phase == "outage":
                    outcomes.append(phase_outage(site, cluster, durations))
    finally:
        cluster.remove()
    return finish(
        outcomes,
        args.json,
        machine=machine,
        form="short" if args.short else "full",
        settings=settings_module(),
        workers=workers,
        connections=CONNECTIONS,
        articles=ARTICLES,
        durations=asdict(durations),
    )


if __name__ == "__main__":
    script_main(main)
