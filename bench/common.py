"""What the benchmarks share: corpus databases, a production-like gunicorn, wrk, tables.

The benchmarks are scripts that print figures, not tests. They run the project's
own virtualenv (``.venv``) in child processes with production-like settings:
DEBUG off, a throwaway SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, persistent database
connections.

Corpus databases are built once per size with ``bench/generate_corpus.py
--articles N --seed 1`` and cached in ``var/bench/``: a SQLite file and a
PostgreSQL dump (``pg_dump -Fc``), each with a ``.json`` note of the fingerprint
of what built it (the generator and the seeds). With ``--reuse`` a cached database
whose fingerprint still matches is used instead of a new build. Every run works on
a copy (a file copy; a ``CREATE DATABASE … TEMPLATE``), migrated to the current
models, so the cache never sees a write.

PostgreSQL is the server ``TEST_POSTGRES_URL`` points at. Without it, a script
that needs PostgreSQL runs itself again under ``scripts/with-postgres``, which
starts a throwaway server for the run and removes it afterwards.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
RUN_DIR = BENCH_DIR / "run"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"
GUNICORN = VENV_BIN / "gunicorn"
WITH_POSTGRES = ROOT / "scripts" / "with-postgres"
GENERATE_CORPUS = ROOT / "bench" / "generate_corpus.py"

SEED = 1
WORKERS = 2
VENDORS = ("postgresql", "sqlite")
# What a corpus is built from: a change to any of these makes cached databases stale.
# Migrations are not among them: each run migrates its working copy instead, so a new
# migration costs seconds, not a new corpus. The exception is a migration that
# rewrites every article row (0008): on a cached corpus it would take minutes and
# leave half the table dead, so the corpus is built again with it instead.
CORPUS_SOURCES = (
    "bench/generate_corpus.py",
    "bench/corpus/*.py",
    "articles/migrations/0008_search_vector_inline.py",
    "seeds/*",
)
# One key per process: child processes must agree (signed cookies, cache keys).
SECRET_KEY = secrets.token_urlsafe(50)


class BenchError(Exception):
    """A setup problem the person running the benchmark can act on."""


# --- processes ----------------------------------------------------------------


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so ``finally`` blocks stop servers and clean up."""

    def _exit(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def run(
    cmd: Sequence[str | Path],
    *,
    env: dict | None = None,
    quiet: bool = False,
    live_stderr: bool = False,
) -> str:
    """Run a command from the project folder; its output, or BenchError with it.

    Its stderr is shown after it ends (unless ``quiet``), or as it comes with
    ``live_stderr`` (progress reports).
    """
    result = subprocess.run(
        [str(part) for part in cmd],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=None if live_stderr else subprocess.PIPE,
        text=True,
    )
    result.stderr = result.stderr or ""
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise BenchError(f"{' '.join(map(str, cmd))} failed ({result.returncode}):\n{output}")
    if not quiet and result.stderr.strip():
        print(result.stderr.strip(), file=sys.stderr)
    return result.stdout


def django_env(database_url: str, *, page_cache: bool = False) -> dict[str, str]:
    """The environment of a production-like portal process on ``database_url``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "PAGE_CACHE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        PAGE_CACHE="1" if page_cache else "0",
        PYTHONHASHSEED="0",
    )
    return env


def manage(*args: str, env: dict[str, str]) -> str:
    return run([PYTHON, "manage.py", *args], env=env)


def generate_corpus(*args: str, env: dict[str, str]) -> str:
    """Run ``bench/generate_corpus.py`` (the synthetic corpus) with ``args``."""
    return run([PYTHON, GENERATE_CORPUS, *args], env=env)


def collectstatic() -> None:
    # Whitenoise's manifest storage needs it with DEBUG off; the database is not used.
    manage("collectstatic", "--noinput", "--verbosity", "0", env=django_env("sqlite://:memory:"))


def check_virtualenv() -> None:
    if not PYTHON.exists() or not GUNICORN.exists():
        raise BenchError(f"{PYTHON} or {GUNICORN} missing: run 'make install' first")


# --- PostgreSQL ---------------------------------------------------------------


def ensure_postgres_server() -> None:
    """Run this very script again under scripts/with-postgres unless a server is set."""
    if os.environ.get("TEST_POSTGRES_URL"):
        return
    print("== no TEST_POSTGRES_URL: starting a throwaway PostgreSQL (scripts/with-postgres)")
    sys.stdout.flush()
    os.execv(WITH_POSTGRES, [str(WITH_POSTGRES), sys.executable, *sys.argv])


def postgres_url(database: str) -> str:
    base = os.environ.get("TEST_POSTGRES_URL")
    if not base:
        raise BenchError("TEST_POSTGRES_URL is not set")
    return urllib.parse.urlsplit(base)._replace(path="/" + database).geturl()


def pg_tool(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    if found := shutil.which(name):
        return found
    raise BenchError(f"{name} not found: install postgresql-15 (apt-get install postgresql-15)")


def psql(sql: str, *, database: str = "postgres") -> str:
    cmd = [pg_tool("psql"), "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", postgres_url(database)]
    return run([*cmd, "-c", sql], quiet=True).strip()  # quiet: NOTICEs of IF EXISTS


def postgres_version() -> str:
    return psql("SHOW server_version").split()[0]


def database_comment(database: str) -> str | None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if not exists:
        return None
    return psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                f"WHERE datname = '{database}'") or ""  # fmt: skip


def recreate_database(database: str, *, template: str | None = None) -> None:
    psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    suffix = f' TEMPLATE "{template}"' if template else ""
    psql(f'CREATE DATABASE "{database}"{suffix}')


# --- corpus databases ---------------------------------------------------------


@dataclass(frozen=True)
class CorpusDb:
    size: int
    vendor: str  # "postgresql" or "sqlite"
    url: str  # DATABASE_URL of this run's working copy

    @property
    def label(self) -> str:
        return f"{self.vendor} {self.size:,}"


def corpus_fingerprint(size: int) -> str:
    digest = hashlib.sha256(f"articles={size} seed={SEED}".encode())
    for pattern in CORPUS_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def generator_available() -> bool:
    return GENERATE_CORPUS.exists()


def prepare_corpus(size: int, vendor: str, *, reuse: bool) -> CorpusDb:
    """A working copy of the ``size``-article corpus on ``vendor``, built if need be."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    prepare = _prepare_postgres if vendor == "postgresql" else _prepare_sqlite
    db = CorpusDb(size, vendor, prepare(size, reuse=reuse))
    manage("migrate", "--noinput", "--verbosity", "0", env=django_env(db.url))
    return db


def _note_path(cached: Path) -> Path:
    return cached.with_name(cached.name + ".json")


def _is_fresh(cached: Path, fingerprint: str) -> bool:
    note = _note_path(cached)
    if not (cached.exists() and note.exists()):
        return False
    return json.loads(note.read_text()).get("fingerprint") == fingerprint


def _write_note(cached: Path, fingerprint: str, size: int, seconds: float) -> None:
    note = {"fingerprint": fingerprint, "articles": size, "seed": SEED, "build_seconds": seconds}
    _note_path(cached).write_text(json.dumps(note, indent=2) + "\n")


def _generate(size: int, database_url: str) -> float:
    """Migrate and fill an empty database; the seconds it took."""
    if not generator_available():
        raise BenchError(
            f"{GENERATE_CORPUS.relative_to(ROOT)} does not exist: no corpus can be built"
        )
    env = django_env(database_url)
    started = time.monotonic()
    manage("migrate", "--noinput", "--verbosity", "0", env=env)
    generate_corpus("--articles", str(size), "--seed", str(SEED), env=env)
    return time.monotonic() - started


def _prepare_sqlite(size: int, *, reuse: bool) -> str:
    cached = BENCH_DIR / f"corpus-{size}.sqlite3"
    fingerprint = corpus_fingerprint(size)
    if reuse and _is_fresh(cached, fingerprint):
        print(f"== sqlite {size:,}: cached {cached.relative_to(ROOT)}")
    else:
        print(f"== sqlite {size:,}: building {cached.relative_to(ROOT)} (generate_corpus)")
        building = cached.with_name(cached.name + ".building")
        _remove_sqlite(building)
        seconds = _generate(size, f"sqlite:///{building}")
        _checkpoint_sqlite(building)
        building.replace(cached)
        _write_note(cached, fingerprint, size, seconds)
        print(f"   built in {seconds:.0f} s")
    work = RUN_DIR / cached.name
    _remove_sqlite(work)
    shutil.copyfile(cached, work)
    return f"sqlite:///{work}"


def _checkpoint_sqlite(path: Path) -> None:
    # Fold the write-ahead log into the file, so the single file is the whole database.
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("PRAGMA journal_mode=DELETE")
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _prepare_postgres(size: int, *, reuse: bool) -> str:
    """The corpus lives on the server as database bench_corpus_N, commented with its
    fingerprint; its dump in var/bench/ restores it into a new server."""
    database = f"bench_corpus_{size}"
    dump = BENCH_DIR / f"corpus-{size}.pgdump"
    fingerprint = corpus_fingerprint(size)
    if reuse and database_comment(database) == fingerprint:
        print(f"== postgresql {size:,}: database {database} already on the server")
    elif reuse and _is_fresh(dump, fingerprint):
        print(f"== postgresql {size:,}: restoring {dump.relative_to(ROOT)}")
        started = time.monotonic()
        recreate_database(database)
        restore = [pg_tool("pg_restore"), "--no-owner", "--jobs", "2"]
        run([*restore, "--dbname", postgres_url(database), dump])
        # VACUUM too, as autovacuum would have done on a live server: a restored
        # table has no visibility map yet, and every index-only scan of the pages
        # would read the table as well.
        psql("VACUUM ANALYZE", database=database)
        psql(f"COMMENT ON DATABASE \"{database}\" IS '{fingerprint}'")
        print(f"   restored in {time.monotonic() - started:.0f} s")
    else:
        print(f"== postgresql {size:,}: building {database} (generate_corpus)")
        recreate_database(database)
        seconds = _generate(size, postgres_url(database))
        psql("VACUUM ANALYZE", database=database)
        partial = dump.with_name(dump.name + ".partial")
        run([pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", partial, postgres_url(database)])
        partial.replace(dump)
        _write_note(dump, fingerprint, size, seconds)
        psql(f"COMMENT ON DATABASE \"{database}\" IS '{fingerprint}'")
        print(f"   built in {seconds:.0f} s, dumped to {dump.relative_to(ROOT)}")
    work = f"bench_run_{size}"
    recreate_database(work, template=database)
    return postgres_url(work)


def drop_working_copies(databases: Sequence[CorpusDb]) -> None:
    """Remove this run's copies (the cached corpora stay)."""
    for db in databases:
        with contextlib.suppress(BenchError, OSError):
            if db.vendor == "sqlite":
                _remove_sqlite(Path(urllib.parse.urlsplit(db.url).path[1:]))
            else:
                psql(f'DROP DATABASE IF EXISTS "{urllib.parse.urlsplit(db.url).path[1:]}"')


# --- the probe: Django in a child process -------------------------------------


def probe(db: CorpusDb, *args: str, page_cache: bool = False) -> dict:
    """Run bench/probe.py against ``db`` and return its JSON answer."""
    env = django_env(db.url, page_cache=page_cache)
    output = run([PYTHON, ROOT / "bench" / "probe.py", *args], env=env)
    return json.loads(output)


# --- gunicorn -----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = WORKERS) -> Iterator[str]:
    """The portal served by ``workers`` sync workers on 127.0.0.1; yields its base URL."""
    port = free_port()
    log = RUN_DIR / f"gunicorn-{port}.log"
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [GUNICORN, "portal.wsgi", "--workers", str(workers), "--worker-class", "sync"]
    cmd += ["--bind", f"127.0.0.1:{port}", "--error-logfile", log, "--log-level", "warning"]
    server = subprocess.Popen(
        [str(part) for part in cmd], cwd=ROOT, env=env, stdin=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server, log)
        yield base
    finally:
        stop_server(server)
        log.unlink(missing_ok=True)


def _wait_until_up(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited ({server.returncode}):\n{log.read_text()}")
        with contextlib.suppress(OSError):
            if fetch(base + "/ok").status == 200:
                return
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {base}/ok within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    """Stop gunicorn (or another server) gracefully, killing it after 30 s."""
    if server.poll() is not None:
        return
    server.terminate()  # the master stops its workers gracefully
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    content_type: str


def fetch(url: str) -> Fetched:
    """GET ``url`` without following redirects or asking for compression."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=30) as response:
            return Fetched(response.status, response.read(), response.headers["Content-Type"])
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.read(), error.headers.get("Content-Type", ""))


def quote_path(path: str) -> str:
    """``path`` with non-ASCII characters percent-encoded (wrk sends bytes as is)."""
    return urllib.parse.quote(path, safe="/?=&%:")


def quote_url(base: str, path: str) -> str:
    return base + quote_path(path)


# --- wrk ----------------------------------------------------------------------

# wrk's latency percentiles and error counts as one JSON line.
WRK_REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class WrkResult:
    url: str
    requests: int
    seconds: float
    errors: int  # socket errors, timeouts and non-2xx/3xx answers
    p50_ms: float
    p90_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def settle(base: str, after: WrkResult, *, deadline: float = 120.0) -> None:
    """Wait until the server has worked off the requests wrk left behind.

    wrk stops with up to one request per connection in flight, and slow pages may
    have more queued in the listen backlog: gunicorn still serves them all. The
    next run would start against a busy server (a slow page's leftovers once cut
    /ok to 1 req/s). So wait out one slow request, then until /ok answers quickly
    three times in a row.
    """
    time.sleep(min(after.p99_ms / 1000, 30.0))
    started, quick = time.monotonic(), 0
    while quick < 3 and time.monotonic() - started < deadline:
        sent = time.monotonic()
        fetch(base + "/ok")
        quick = quick + 1 if time.monotonic() - sent < 0.05 else 0
        time.sleep(0.05)


def ensure_wrk() -> str:
    """wrk's path; installs the Debian package when missing and running as root."""
    if found := shutil.which("wrk"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("== installing wrk (apt-get install -y wrk)")
        install = ["apt-get", "install", "-y", "-q", "wrk"]
        if subprocess.run(install, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-q"], capture_output=True)
            subprocess.run(install, capture_output=True)
        if found := shutil.which("wrk"):
            return found
    raise BenchError("wrk not found: install it with 'apt-get install wrk' (as root)")


def run_wrk(url: str, *, duration: str, connections: int, timeout: str = "10s") -> WrkResult:
    """Load ``url`` with one wrk thread (the CPU it takes is the servers' loss)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT_LUA)
    try:
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}", f"--timeout={timeout}"]
        output = run([*cmd, "-s", script.name, url], quiet=True)
    finally:
        os.unlink(script.name)
    line = next((x for x in output.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk printed no report for {url}:\n{output}")
    data = json.loads(line.removeprefix("BENCH_JSON "))
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return WrkResult(
        url=url,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


# --- figures and tables -------------------------------------------------------


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, columns padded so it reads in a terminal too."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise BenchError(f"--articles wants numbers such as 1000,100000, got {text!r}") from error
    if not sizes or min(sizes) < 1:
        raise BenchError(f"--articles wants positive numbers, got {text!r}")
    return sizes


def parse_vendors(text: str) -> list[str]:
    vendors = [part.strip() for part in text.split(",") if part.strip()]
    if not vendors or any(v not in VENDORS for v in vendors):
        raise BenchError(f"--databases takes postgresql and/or sqlite, got {text!r}")
    return vendors


def machine_summary(*, with_postgres: bool) -> str:
    """One line naming the machine and the software versions the figures came from."""
    django_version = run([PYTHON, "-c", "import django; print(django.get_version())"]).strip()
    python_version = run([PYTHON, "-c", "import platform; print(platform.python_version())"])
    parts = [
        time.strftime("%Y-%m-%d %H:%M %Z"),
        f"{os.cpu_count()} cores ({_cpu_model()})",
        f"{_memory_gb():.0f} GB RAM",
        f"{platform.system()} {platform.release()}",
        f"Python {python_version.strip()}",
        f"Django {django_version}",
    ]
    if with_postgres:
        parts.append(f"PostgreSQL {postgres_version()}")
    return ", ".join(parts)


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _memory_gb() -> float:
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return float("nan")


def script_main(main) -> None:
    """Run ``main()``; a BenchError is a one-line message and exit status 2."""
    stop_on_sigterm()
    try:
        status = main()
    except BenchError as error:
        print(f"{Path(sys.argv[0]).name}: {error}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        status = 130
    sys.exit(status or 0)
