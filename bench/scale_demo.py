"""Scale-out on one machine: two instances behind nginx, a streaming replica, Redis.

    .venv/bin/python bench/scale_demo.py            # full form: 30 s of load, about 3 min
    .venv/bin/python bench/scale_demo.py --short    # CI form: 8 s of load, about 2 min
    make scale-demo

Everything listens on 127.0.0.1 only and is started and stopped by the script, in
a temporary folder removed afterwards (run as root, the servers run as the
unprivileged user ``pgtest``, nginx's workers as ``nobody``):

- PostgreSQL: a primary (``initdb``) and a streaming replica of it
  (``pg_basebackup -R``), each on a Unix socket of its own; the corpus
  (``bench/generate_corpus.py``) is written to the primary after the replica started, so it
  reaches the replica by streaming replication;
- Redis (Debian's ``redis-server``) on a free port, without persistence;
- two gunicorn instances, A and B, each with two workers, the production settings
  and ``DATABASE_URL`` (primary), ``DATABASE_REPLICA_URL`` (replica), ``REDIS_URL``;
- two job workers (``manage.py qcluster``, django-q2), one beside each instance, on
  the primary's queue;
- nginx (Debian's) in front: one port balancing over A and B, another with A alone
  (for the throughput comparison), a third over A and B with the deployment's
  micro-cache (the directives read from ``deploy/nginx-portal.conf``, ``bench/edge.py``).
  Its access logs name the instance that served each request.

Phases, each a check with a verdict:

load        wrk through nginx (64 connections, 30 s; 8 s short) over a page mix:
            zero errors, both instances served a fair share.
scaling     the same load through nginx with A alone, then with A and B: the
            throughput of each (on two cores a second instance gains little: they
            share the same CPUs; the point is that it is correct).
publish     an editor signs in to A's admin (session, CSRF) and publishes a draft;
            the article is on B's home page within a second (the shared cache's
            version changed; B reads from the replica only once it has replayed the
            commit, else from the primary).
edge        through the micro-cache: anonymous reads of the home page against the
            limit /ok (target ten times it); a burst of 200 visitors on the home page
            just gone stale reaches the instances once; a request with a session
            cookie always reaches them; a publication shows within 2 s.
jobs        40 short jobs queued: the two workers share them (each runs some), every
            job runs once, none is lost.
redis       Redis stopped: pages still answer 200 under load, uncached, no 5xx;
            Redis started again: the cache works again (X-Cache: HIT).
failover    instance A killed (SIGKILL, master and workers) during load: nginx sends
            everything to B; no request fails beyond those in flight on A.
replica     with the job workers stopped (their schedules' writes would send renders
            to the primary until replayed), pages rendered for visitors read from the
            replica (its row counters grow); replica stopped: the same pages answer
            200 from the primary.

The figures are printed and written as JSON to var/bench/results/scale-demo.json (or
--json PATH). The exit status is 1 when a check fails, 2 on a setup problem.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import edge
from bench.common import (
    BENCH_DIR,
    GUNICORN,
    ROOT,
    BenchError,
    check_virtualenv,
    ensure_wrk,
    free_port,
    generate_corpus,
    machine_summary,
    pg_tool,
    run_wrk,
    script_main,
    stop_server,
)
from bench.reliability import (
    EDITOR,
    EDITOR_PASSWORD,
    PATHS_SCRIPT,
    Cluster,
    Editor,
    Outcome,
    Site,
    Wrk,
    chosen_phases,
    finish,
    get,
    manage,
    page_mix,
    phase_arguments,
    portal_env,
    settings_module,
    shell,
)

RESULTS = BENCH_DIR / "results" / "scale-demo.json"
PHASES = ("load", "scaling", "publish", "jobs", "edge", "redis", "failover", "replica")
CONNECTIONS = 64
WORKERS = 2  # per instance
PUBLISH_TARGET = 1.0  # seconds from the editor's save to the article on B's home page
EDGE_PUBLISH_TARGET = 2.0  # the same through the micro-cache
EDGE_READS_TARGET = 10.0  # anonymous reads through the micro-cache, in limits (/ok)
BURST = 200
NGINX_USER = "nobody"
# A server process publishes its statistics when idle, at the latest 10 s later.
STATS_FLUSH = 11.0


@dataclass(frozen=True)
class Durations:
    articles: int
    warmup: int
    load: int
    scaling: int  # each of the two runs
    redis_down: int
    failover: int
    renders: int  # uncached pages rendered to watch the replica

    @classmethod
    def full(cls) -> Durations:
        return cls(1000, 5, 30, 15, 10, 20, 40)

    @classmethod
    def short(cls) -> Durations:
        return cls(300, 2, 8, 5, 5, 8, 20)


# --- Debian packages ---------------------------------------------------------------


def ensure_command(command: str, package: str) -> str:
    """``command``'s path; installs ``package`` with apt-get when missing and root."""
    if found := shutil.which(command) or shutil.which(command, path="/usr/sbin:/sbin"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"== installing {package} (apt-get update, apt-get install -y {package})")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, env=env)
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
        subprocess.run(install, capture_output=True, env=env)
        if found := shutil.which(command) or shutil.which(command, path="/usr/sbin:/sbin"):
            return found
    raise BenchError(f"{command} not found: install it with 'apt-get install {package}' (as root)")


# --- PostgreSQL: primary and streaming replica -----------------------------------


class Replica(Cluster):
    """A hot standby of ``primary``, made with pg_basebackup -R (streaming replication)."""

    def __init__(self, primary: Cluster) -> None:
        super().__init__()
        self.primary = primary

    def create(self) -> None:
        self.data.mkdir(mode=0o700)
        self.sock.mkdir(mode=0o755)
        self.log.touch()
        if self.user:
            for path in (self.data, self.sock, self.log):
                shutil.chown(path, self.user)
        # -R writes standby.signal and primary_conninfo: it starts as a streaming replica.
        backup = [pg_tool("pg_basebackup"), "-D", self.data, "-h", self.primary.sock]
        backup += ["-p", str(self.PORT), "-U", "postgres", "-R", "-X", "stream", "-c", "fast"]
        self._as_server(*backup, "--no-sync")
        self.start()

    def replayed(self) -> str:
        return self.psql("SELECT pg_last_wal_replay_lsn()").strip()


def wait_for_replay(primary: Cluster, replica: Replica, timeout: float = 60) -> float:
    """Seconds until the replica has replayed everything the primary has written."""
    started = time.monotonic()
    target = primary.psql("SELECT pg_current_wal_insert_lsn()").strip()
    while time.monotonic() - started < timeout:
        done = replica.psql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn").strip()
        if done == "t":
            return time.monotonic() - started
        time.sleep(0.1)
    raise BenchError(f"the replica did not replay up to {target} within {timeout:.0f} s")


def table_scans(cluster: Cluster) -> int:
    """Scans of the portal's tables on ``cluster`` so far (each query makes one or more).

    Counted per server: a replica counts the queries it answers itself. Unlike rows
    read, neither autovacuum nor these statistics queries add to it.
    """
    # Statistics are flushed at most once a second; a fresh snapshot each time.
    sql = (
        "SELECT pg_stat_clear_snapshot(); "
        "SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0) FROM pg_stat_user_tables"
    )
    return int(cluster.psql(sql).split()[-1])


# --- Redis -----------------------------------------------------------------------------


class Redis:
    """Debian's redis-server on a free port, no persistence, a config of its own."""

    def __init__(self, folder: Path) -> None:
        self.binary = ensure_command("redis-server", "redis-server")
        self.folder = folder
        self.port = free_port()
        self.config = folder / "redis.conf"
        self.log = folder / "redis.log"
        self.process: subprocess.Popen | None = None
        settings = (ROOT / "deploy" / "redis.conf").read_text()
        # The deployment's settings, then what this run needs (later lines win).
        self.config.write_text(
            settings
            + textwrap.dedent(
                f"""
                # --- this run
                bind 127.0.0.1
                port {self.port}
                dir {folder}
                logfile {self.log}
                pidfile {folder / "redis.pid"}
                daemonize no
                supervised no
                maxmemory 128mb
                """
            )
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, str(self.config)], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"redis-server exited:\n{self.log.read_text()}")
            if self.ping():
                return
            time.sleep(0.1)
        raise BenchError(f"redis-server did not answer on port {self.port} within 20 s")

    def ping(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock,
        ):
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- gunicorn instances ----------------------------------------------------------------


@dataclass
class Instance:
    name: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        cmd: list[str | Path] = [
            GUNICORN,
            "portal.wsgi",
            "--config",
            ROOT / "deploy" / "gunicorn.conf.py",
        ]
        cmd += ["--workers", str(WORKERS), "--bind", self.address]
        # nginx's access log counts the requests; gunicorn's warnings go to a file.
        cmd += ["--access-logfile", "/dev/null", "--error-logfile", "-", "--log-level", "warning"]
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [str(c) for c in cmd], cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT,
                # A group of its own: killing the instance kills master and workers at once.
                start_new_session=True,
            )  # fmt: skip

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise BenchError(f"instance {self.name} exited:\n{self.log.read_text()}")
            with contextlib.suppress(OSError):
                if get(self.base, "/healthz").status == 200:
                    return
            time.sleep(0.2)
        raise BenchError(f"instance {self.name} did not answer {self.base}/healthz within 90 s")

    def kill(self) -> None:
        """The instance crashes: master and workers die at once."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process:
            stop_server(self.process)


@dataclass
class JobWorker:
    """A job worker (django-q2's cluster), as deploy/portal-worker.service runs it."""

    name: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"], cwd=ROOT, env=self.env,
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def processes(self) -> set[int]:
        """The cluster's processes: its master and every process under it."""
        found, todo = set(), [self.process.pid] if self.process else []
        while todo:
            pid = todo.pop()
            found.add(pid)
            for thread in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo += [int(child) for child in thread.read_text().split()]
        return found

    def stop(self) -> None:
        if self.process:
            stop_server(self.process)


# --- nginx -----------------------------------------------------------------------------

NGINX_CONF = """\
# The scale-out demo's nginx (bench/scale_demo.py); deploy/nginx-upstream.conf is
# the deployment's version of the same upstream.
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
{user}
events {{
    worker_connections 1024;
}}
http {{
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    # Which instances each request was sent to: "A, B" when A failed and B answered.
    log_format upstreams '$status $upstream_addr';
    access_log {folder}/access.log upstreams;
    server_tokens off;
    {edge_log_format}
{edge_http}

    upstream portal_both {{
{both}
        keepalive 16;
    }}
    upstream portal_one {{
{one}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{both_port};
        location / {{
            proxy_pass http://portal_both;
{proxy}
        }}
    }}
    server {{
        listen 127.0.0.1:{one_port};
        location / {{
            proxy_pass http://portal_one;
{proxy}
        }}
    }}
    server {{
        listen 127.0.0.1:{edge_port};
        access_log {folder}/edge.log edge;
        log_subrequest on;  # background refreshes are renders too
        location / {{
            proxy_pass http://portal_both;
{proxy}
{edge_location}
        }}
    }}
}}
"""

PROXY_DIRECTIVES = """\
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            # Here nginx stands for the TLS server: it says the visitor came over HTTPS.
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Real-IP $remote_addr;
            # A refused or broken connection is retried on the other instance
            # (safe methods only: nginx never resends a POST).
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 2s;
            proxy_read_timeout 35s;"""


class Nginx:
    def __init__(self, folder: Path, both: list[Instance], one: Instance) -> None:
        self.binary = ensure_command("nginx", "nginx")
        self.folder = folder
        self.both_port, self.one_port, self.edge_port = free_port(), free_port(), free_port()
        self.access_log = folder / "access.log"
        self.edge_log = folder / "edge.log"
        self.process: subprocess.Popen | None = None
        (folder / "tmp").mkdir(parents=True)
        user = ""
        if os.geteuid() == 0:
            # The master (root) opens the ports and logs; workers run unprivileged.
            user = f"user {NGINX_USER} {nogroup()};"
            for sub in ("tmp",):
                shutil.chown(folder / sub, NGINX_USER)

        def servers(instances: list[Instance]) -> str:
            # One failure takes an instance out for 5 s, then it is tried again.
            return "\n".join(
                f"        server {i.address} max_fails=1 fail_timeout=5s;" for i in instances
            )

        # In tmp/, which the workers own: the master makes the folder for them.
        edge_http, edge_location = edge.micro_cache(folder / "tmp" / "edge-cache")
        self.config = folder / "nginx.conf"
        self.config.write_text(
            NGINX_CONF.format(
                folder=folder,
                user=user,
                both=servers(both),
                one=servers([one]),
                both_port=self.both_port,
                one_port=self.one_port,
                edge_port=self.edge_port,
                proxy=PROXY_DIRECTIVES,
                edge_log_format=edge.LOG_FORMAT,
                edge_http=textwrap.indent(edge_http, "    "),
                edge_location=textwrap.indent(edge_location, "            "),
            )
        )

    def start(self) -> None:
        cmd = [self.binary, "-p", str(self.folder), "-c", str(self.config)]
        test = subprocess.run([*cmd, "-t"], capture_output=True, text=True)
        if test.returncode != 0:
            raise BenchError(f"nginx refuses its configuration:\n{test.stderr}")
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"nginx exited:\n{(self.folder / 'error.log').read_text()}")
            with contextlib.suppress(OSError):
                get(f"http://127.0.0.1:{self.both_port}", "/ok")
                return
            time.sleep(0.1)
        raise BenchError("nginx did not answer within 20 s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_position(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def served_since(self, position: int) -> Counter:
        """Requests per instance that answered them, logged after ``position``; those
        that first went to another instance and were retried also count as "retried"."""
        counts: Counter = Counter()
        with self.access_log.open("rb") as log:
            log.seek(position)
            for line in log:
                _status, _, upstreams = line.decode().strip().partition(" ")
                tried = [u.strip() for u in upstreams.split(",")]
                counts[tried[-1]] += 1
                if len(tried) > 1:
                    counts["retried"] += 1
        return counts


def nogroup() -> str:
    import grp

    for name in ("nogroup", "nobody"):
        with contextlib.suppress(KeyError):
            return grp.getgrnam(name).gr_name
    raise BenchError("no group 'nogroup' or 'nobody' for nginx's workers")


# --- the setup ------------------------------------------------------------------------

DRAFT_SCRIPT = textwrap.dedent(
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from articles.models import Article

    article = Article.objects.create(
        title={title!r},
        slug={slug!r},
        lead="Заметка для проверки: статья, опубликованная на одном экземпляре, видна на другом.",
        body="Текст заметки.",
        status=Article.Status.DRAFT,
        published_at=timezone.now(),
        author=get_user_model().objects.get(username={editor!r}),
    )
    # The id, and the status value the editor's form sends to publish it.
    print(article.pk, Article.Status.PUBLISHED.value)
    """
)


@dataclass
class Stack:
    folder: Path
    primary: Cluster
    replica: Replica
    redis: Redis
    a: Instance
    b: Instance
    workers: list[JobWorker]
    nginx: Nginx
    env: dict[str, str]
    mix: list[str]
    checks: dict[str, str]

    def site(self, base: str) -> Site:
        """What bench/reliability's wrk runner and editor need to know of a server."""
        return Site(base, self.env, None, self.folder, self.mix, self.checks, [], [])  # type: ignore[arg-type]

    @property
    def front(self) -> Site:
        return self.site(f"http://127.0.0.1:{self.nginx.both_port}")

    @property
    def front_one(self) -> Site:
        return self.site(f"http://127.0.0.1:{self.nginx.one_port}")

    @property
    def edge(self) -> str:
        return f"http://127.0.0.1:{self.nginx.edge_port}"


@contextlib.contextmanager
def stack(durations: Durations):
    folder = Path(tempfile.mkdtemp(prefix="portal-scale-", dir="/tmp"))
    folder.chmod(0o755)
    primary = Cluster()
    replica = Replica(primary)
    started: list = []
    try:
        print("== PostgreSQL: primary (initdb) and streaming replica (pg_basebackup -R)")
        primary.create()
        started.append(primary)
        replica.create()
        started.append(replica)
        deadline = time.monotonic() + 30
        while (state := primary.psql("SELECT state FROM pg_stat_replication").strip()) != (
            "streaming"
        ):
            if time.monotonic() > deadline:
                raise BenchError(f"the replica is not streaming (pg_stat_replication: {state!r})")
            time.sleep(0.1)
        print(f"   replica streaming from the primary (user {replica.user or 'current'})")

        redis = Redis(folder)
        redis.start()
        started.append(redis)
        print(f"== Redis at {redis.url}")

        env = portal_env(primary.url)
        env.update(DATABASE_REPLICA_URL=replica.url, REDIS_URL=redis.url)
        print(f"== corpus: generate_corpus --articles {durations.articles} on the primary")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        generate_corpus("--articles", str(durations.articles), "--seed", "1", env=env)
        primary.psql("VACUUM ANALYZE")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        user_env = {**env, "DJANGO_SUPERUSER_PASSWORD": EDITOR_PASSWORD}
        manage(user_env, "createsuperuser", "--noinput", "--username", EDITOR, "--email",
               "editor@example.org")  # fmt: skip
        found = json.loads(shell(env, PATHS_SCRIPT))
        mix, checks = page_mix(found)
        lag = wait_for_replay(primary, replica)
        print(f"   the replica replayed it all {lag:.1f} s after the last write")

        a = Instance("A", free_port(), env, folder / "gunicorn-a.log")
        b = Instance("B", free_port(), env, folder / "gunicorn-b.log")
        for instance in (a, b):
            instance.start()
            started.append(instance)
        for instance in (a, b):
            instance.wait_until_up()
        print(f"== gunicorn: A at {a.base}, B at {b.base}, {WORKERS} workers each, "
              f"{settings_module()}")  # fmt: skip
        workers = [JobWorker(name, env, folder / f"worker-{name}.log") for name in "AB"]
        for worker in workers:
            worker.start()
            started.append(worker)
        print("== job workers: manage.py qcluster beside A and beside B")

        nginx = Nginx(folder, [a, b], a)
        nginx.start()
        started.append(nginx)
        print(f"== nginx: 127.0.0.1:{nginx.both_port} over A and B, "
              f"127.0.0.1:{nginx.one_port} over A alone")  # fmt: skip
        result = Stack(folder, primary, replica, redis, a, b, workers, nginx, env, mix, checks)
        for name, path in checks.items():
            answer = get(result.front.base, path)
            if answer.status != 200:
                raise BenchError(f"{name} {path} answered {answer.status} through nginx")
        yield result
    finally:
        for server in reversed(started):
            if not isinstance(server, Cluster):
                with contextlib.suppress(Exception):
                    server.stop()
        replica.remove()
        primary.remove()
        shutil.rmtree(folder, ignore_errors=True)


# --- phases ----------------------------------------------------------------------------


def phase_load(s: Stack, d: Durations) -> Outcome:
    print(f"== load: {CONNECTIONS} connections through nginx for {d.load} s")
    Wrk(s.front, d.warmup).result()
    position = s.nginx.log_position()
    result = Wrk(s.front, d.load).result()
    served = s.nginx.served_since(position)
    share = {i.name: served.get(i.address, 0) for i in (s.a, s.b)}
    total = sum(served.values())
    print(f"   {result.line()}")
    print(f"   served by A {share['A']}, by B {share['B']} (nginx's access log)")
    fair = total > 0 and all(n >= 0.2 * total for n in share.values())
    ok = result.errors == 0 and result.requests > 0 and fair
    summary = (
        f"{result.rps:.0f} req/s, p99 {result.p99_ms:.0f} ms, {result.errors} errors; "
        f"A served {share['A']}, B {share['B']}"
    )
    return Outcome("load", ok, summary, {"wrk": asdict(result), "served": share})


def phase_scaling(s: Stack, d: Durations) -> Outcome:
    print(f"== scaling: {d.scaling} s through nginx with A alone, then with A and B")
    Wrk(s.front_one, d.warmup).result()
    one = Wrk(s.front_one, d.scaling).result()
    time.sleep(1)
    two = Wrk(s.front, d.scaling).result()
    print(f"   one instance:  {one.line()}")
    print(f"   two instances: {two.line()}")
    gain = two.rps / one.rps if one.rps else 0.0
    ok = one.errors == 0 and two.errors == 0 and one.requests > 0 and two.requests > 0
    summary = (
        f"one instance {one.rps:.0f} req/s (p99 {one.p99_ms:.0f} ms), two {two.rps:.0f} req/s "
        f"(p99 {two.p99_ms:.0f} ms): x{gain:.2f} on {os.cpu_count()} cores"
    )
    figures = {"one": asdict(one), "two": asdict(two), "gain": gain, "cores": os.cpu_count()}
    return Outcome("scaling", ok, summary, figures)


def new_draft(s: Stack) -> tuple[str, str, str]:
    """A draft written on the primary: its title, id and the status that publishes it."""
    token = f"{int(time.time() * 1000) % 10**8}"
    title = f"Масштабирование: статья номер {token}"
    article_id, publish_status = shell(s.env, DRAFT_SCRIPT.format(
        title=title, slug=f"scale-demo-{token}", editor=EDITOR
    )).split()  # fmt: skip
    return title, article_id, publish_status


def publish(s: Stack, article_id: str, publish_status: str) -> tuple[int, float]:
    """An editor publishes the draft in A's admin: the answer's status, and when."""
    editor = Editor(s.site(s.a.base))
    editor.sign_in()
    path = f"{editor.admin}articles/article/{article_id}/change/"
    fields = editor._form(path, "article_form")
    fields = [(k, publish_status if k == "status" else v) for k, v in fields]
    answer = editor._call(path, [*fields, ("_save", "Сохранить")])
    return answer.status, time.monotonic()


def phase_publish(s: Stack, d: Durations) -> Outcome:
    print("== publish: an editor publishes a draft on A; B's home page shows it")
    title, article_id, publish_status = new_draft(s)
    # Both instances have the home page cached before the change.
    for instance in (s.a, s.b):
        for _ in range(3):
            get(instance.base, "/")
    before = [title in get(i.base, "/").text for i in (s.a, s.b)]
    status, saved = publish(s, article_id, publish_status)
    seen_after = None
    polls = []
    while time.monotonic() - saved < 5:
        page = get(s.b.base, "/")
        polls.append((round(time.monotonic() - saved, 3), page.headers.get("x-cache", "")))
        if page.status == 200 and title in page.text:
            seen_after = time.monotonic() - saved
            break
        time.sleep(0.02)
    front = get(s.front.base, "/")
    on_front = title in front.text
    print(f"   save answered {status}; on B's home page after "
          f"{'never' if seen_after is None else f'{seen_after:.3f} s'} (polls {polls[:5]}); "
          f"through nginx: {on_front}")  # fmt: skip
    ok = (
        status == 302
        and not any(before)
        and seen_after is not None
        and seen_after <= PUBLISH_TARGET
        and on_front
    )
    summary = (
        f"published on A (answer {status}); on B's home page after "
        f"{'never' if seen_after is None else f'{seen_after * 1000:.0f} ms'}"
    )
    figures = {
        "save_status": status,
        "seen_before": before,
        "seen_after_s": seen_after,
        "polls": polls,
        "through_nginx": on_front,
    }
    return Outcome("publish", ok, summary, figures)


JOBS = 40
QUEUE_JOBS = f"""
from django_q.tasks import async_task
for n in range({JOBS}):
    async_task("bench.jobs_probe.sleep_and_tell", 0.2, group="scale-demo", task_name=f"d-{{n}}")
print("queued")
"""
JOBS_DONE = (
    "from django_q.models import Task; print(Task.objects.filter(group='scale-demo').count())"
)
# The process that ran each job (its result), as a JSON list.
JOBS_RAN_BY = (
    "import json; from django_q.models import Task; "
    "print(json.dumps([t.result for t in Task.objects.filter(group='scale-demo')]))"
)


def phase_jobs(s: Stack, d: Durations) -> Outcome:
    print(f"== jobs: {JOBS} short jobs for the two workers on the primary's queue")
    shell(s.env, QUEUE_JOBS)
    deadline, done = time.monotonic() + 120, 0
    while time.monotonic() < deadline and (done := int(shell(s.env, JOBS_DONE))) < JOBS:
        time.sleep(1)
    ran_by = json.loads(shell(s.env, JOBS_RAN_BY))
    runs = [sum(pid in worker.processes() for pid in ran_by) for worker in s.workers]
    ok = done == JOBS and sum(runs) == JOBS and all(runs)
    summary = f"{done} of {JOBS} jobs done, by worker A {runs[0]}, by worker B {runs[1]}"
    print(f"   {summary}: {'ok' if ok else 'FAILED'}")
    return Outcome("jobs", ok, summary, {"jobs": JOBS, "done": done, "per_worker": runs})


def phase_edge(s: Stack, d: Durations) -> Outcome:
    print(f"== edge: the micro-cache; home page and /ok for {d.scaling} s each, a burst of "
          f"{BURST}, a session, a publication")  # fmt: skip
    # /ok is never kept (the application does not mark it): the limit through nginx,
    # with two connections per worker (more only queue); the copies with 64.
    run_wrk(f"{s.edge}/", duration=f"{d.warmup}s", connections=CONNECTIONS)
    limit = run_wrk(f"{s.edge}/ok", duration=f"{d.scaling}s", connections=2 * 2 * WORKERS)
    reads = run_wrk(f"{s.edge}/", duration=f"{d.scaling}s", connections=CONNECTIONS)
    ratio = reads.rps / limit.rps if limit.rps else 0.0
    print(f"   /ok {limit.rps:.0f} req/s; home page {reads.rps:.0f} req/s = {ratio:.1f} x /ok")
    verdicts, burst_renders = edge.burst_on_stale(s.edge, "/", BURST, s.nginx.edge_log)
    print(f"   a burst of {BURST} on the home page gone stale: {dict(verdicts)}; "
          f"{burst_renders} render(s)")  # fmt: skip
    session, session_renders = edge.with_session(s.edge, "/", 5, s.nginx.edge_log)
    title, article_id, publish_status = new_draft(s)
    with edge.kept_hot(s.edge, "/"):
        status, saved = publish(s, article_id, publish_status)
        shown = edge.seconds_until_shown(s.edge, "/", title, since=saved, limit=10)
    print(f"   with a session cookie: {session}, {session_renders} renders; published "
          f"(answer {status}), through the micro-cache after "
          f"{'never' if shown is None else f'{shown:.2f} s'}")  # fmt: skip
    ok = (
        limit.errors == 0
        and reads.errors == 0
        and ratio >= EDGE_READS_TARGET
        and sum(verdicts.values()) == BURST
        and set(verdicts) <= {"STALE", "UPDATING", "HIT"}
        and burst_renders == 1
        and session_renders == len(session)
        and status == 302
        and shown is not None
        and shown <= EDGE_PUBLISH_TARGET
    )
    summary = (
        f"home page {reads.rps:.0f} req/s, {ratio:.1f} x /ok ({limit.rps:.0f} req/s); "
        f"a burst of {BURST} on a stale page: {burst_renders} render(s); a publication "
        f"shown after {'never' if shown is None else f'{shown:.2f} s'}"
    )
    figures = {
        "limit": asdict(limit),
        "reads": asdict(reads),
        "ratio": ratio,
        "burst": BURST,
        "burst_verdicts": dict(verdicts),
        "burst_renders": burst_renders,
        "session_verdicts": session,
        "session_renders": session_renders,
        "save_status": status,
        "shown_after_s": shown,
    }
    return Outcome("edge", ok, summary, figures)


def until_hit(base: str, path: str, timeout: float) -> tuple[float | None, list[str]]:
    """Seconds until ``path`` comes from the page cache (X-Cache: HIT), and what came."""
    started, seen = time.monotonic(), []
    while time.monotonic() - started < timeout:
        answer = get(base, path)
        seen.append(f"{answer.status} {answer.headers.get('x-cache', '-')}")
        if answer.status == 200 and answer.headers.get("x-cache") == "HIT":
            return time.monotonic() - started, seen
        time.sleep(0.1)
    return None, seen


def phase_redis(s: Stack, d: Durations) -> Outcome:
    print(f"== redis: stopped for {d.redis_down} s under load, then started again")
    hit_before, _ = until_hit(s.front.base, "/", 10)
    s.redis.stop()
    connections = 16  # pages are rendered every time now: fewer, slower requests
    wrk = Wrk(s.front, d.redis_down, connections)
    time.sleep(d.redis_down / 2)
    probe = get(s.front.base, "/")
    result = wrk.result()
    statuses = result.statuses
    server_errors = sum(n for code, n in statuses.items() if code.startswith("5"))
    s.redis.start()
    back = time.monotonic()
    hit_after, seen = until_hit(s.front.base, "/", 30)
    recovered = None if hit_after is None else time.monotonic() - back
    print(f"   Redis down: {result.line()}; a probe answered {probe.status} "
          f"X-Cache {probe.headers.get('x-cache', '-')}")  # fmt: skip
    after = "never" if recovered is None else f"{recovered:.1f} s"
    print(f"   Redis back: X-Cache HIT after {after} ({len(seen)} requests)")
    ok = (
        hit_before is not None
        and result.requests > 0
        and result.errors == 0
        and server_errors == 0
        and set(statuses) <= {"200"}
        and probe.status == 200
        and "x-cache" not in probe.headers
        and recovered is not None
    )
    summary = (
        f"Redis down: {result.requests} requests, {result.rps:.0f} req/s uncached, statuses "
        f"{dict(statuses)}, {result.socket_errors} socket errors; cached again "
        f"{'never' if recovered is None else f'{recovered:.1f} s'} after its return"
    )
    figures = {
        "wrk": asdict(result),
        "server_errors": server_errors,
        "probe_status": probe.status,
        "probe_cache": probe.headers.get("x-cache", ""),
        "hit_after_restart_s": recovered,
        "answers_after_restart": seen[-10:],
    }
    return Outcome("redis", ok, summary, figures)


KILL_SETTLE = 0.5  # seconds between killing A and counting what was served after


def phase_failover(s: Stack, d: Durations) -> Outcome:
    print(f"== failover: A killed (SIGKILL, master and workers) during {d.failover} s of load")
    position = s.nginx.log_position()
    wrk = Wrk(s.front, d.failover)
    time.sleep(d.failover / 3)
    s.a.kill()
    # nginx logs a request when it ends: A's last answers, sent just before the kill,
    # are logged by now, so every later line was served after A was gone.
    time.sleep(KILL_SETTLE)
    killed_at_position = s.nginx.log_position()
    result = wrk.result()
    after = s.nginx.served_since(killed_at_position)
    during = s.nginx.served_since(position)
    errors_log = (s.nginx.folder / "error.log").read_text(errors="replace")
    refused = errors_log.count("Connection refused")
    print(f"   {result.line()}")
    print(f"   after the kill: {dict(after)} (retried: sent to A first, answered by B); "
          f"nginx logged {refused} refused connections")  # fmt: skip
    # Sync workers: at most one request in flight per worker of A.
    ok = (
        result.requests > 0
        and result.errors <= WORKERS
        and after.get(s.b.address, 0) > 0
        and during.get(s.a.address, 0) > 0
    )
    summary = (
        f"{result.requests} requests, {result.errors} failed (at most {WORKERS} in flight on "
        f"A may), B served {after.get(s.b.address, 0)} after the kill, "
        f"{after.get('retried', 0)} of them retried after A failed them"
    )
    figures = {
        "wrk": asdict(result),
        "served_after_kill": dict(after),
        "served": dict(during),
        "refused_logged": refused,
        "allowed_errors": WORKERS,
    }
    return Outcome("failover", ok, summary, figures)


# Published articles past the newest 40 (PATHS_SCRIPT's, which the load phases visit): pages
# no phase has asked for, so each request renders. A random query parameter would not do:
# the page cache keys only the parameters a page reads.
UNVISITED_SCRIPT = """
import json
from articles.models import Article

newest_first = Article.objects.published().order_by("-published_at", "-id")
print(json.dumps([a.get_absolute_url() for a in newest_first[40 : 40 + %d]]))
"""


def render_pages(base: str, paths: list[str]) -> list[int]:
    """Statuses of pages nobody asked for before: each is rendered, not cached."""
    return [get(base, path).status for path in paths]


def phase_replica(s: Stack, d: Durations) -> Outcome:
    print(f"== replica: {d.renders} uncached pages with the replica up, then stopped")
    lag = s.primary.psql("SELECT coalesce(replay_lag::text, '0') FROM pg_stat_replication")
    paths = json.loads(shell(s.env, UNVISITED_SCRIPT % (2 * d.renders)))
    if len(paths) < 2 * d.renders:
        raise BenchError(f"the corpus has {len(paths)} unvisited articles, {2 * d.renders} needed")
    # The job workers' minute schedules write to the primary, and a render that begins
    # before the replica has replayed a write reads from the primary (reading one's
    # own writes, by design). Their phase is over: stopped, they leave the primary
    # quiet while this one measures where renders read.
    for worker in s.workers:
        worker.stop()
    wait_for_replay(s.primary, s.replica)
    before = (table_scans(s.replica), table_scans(s.primary))
    up = render_pages(s.front.base, paths[: d.renders])
    time.sleep(STATS_FLUSH)
    after_up = (table_scans(s.replica), table_scans(s.primary))
    s.replica.stop("fast")
    down = render_pages(s.front.base, paths[d.renders :])
    time.sleep(STATS_FLUSH)
    primary_after = table_scans(s.primary)
    replica_scans = after_up[0] - before[0]
    primary_scans_up = after_up[1] - before[1]
    primary_scans_down = primary_after - after_up[1]
    logs = "".join(i.log.read_text(errors="replace") for i in (s.a, s.b))
    warned = "Replica unreachable" in logs
    print(f"   replay lag {lag.strip()}; replica up: statuses {dict(Counter(up))}; table "
          f"scans on the replica {replica_scans}, on the primary {primary_scans_up}")  # fmt: skip
    print(f"   replica stopped: statuses {dict(Counter(down))}; table scans on the primary "
          f"{primary_scans_down}; the instances logged the fallback: {warned}")  # fmt: skip
    ok = (
        set(up) == {200}
        and set(down) == {200}
        # Every page rendered read from the replica (the primary answers the rest:
        # the router's position check, the page cache's expiry, raw SQL).
        and replica_scans >= len(up)
        and primary_scans_down > 0
        and warned
    )
    summary = (
        f"replica up: {len(up)} pages rendered, {replica_scans} table scans on the replica "
        f"and {primary_scans_up} on the primary; replica stopped: {Counter(down)[200]} of "
        f"{len(down)} answered 200, read from the primary ({primary_scans_down} table scans)"
    )
    figures = {
        "replay_lag": lag.strip(),
        "statuses_up": dict(Counter(up)),
        "statuses_down": dict(Counter(down)),
        "replica_scans_up": replica_scans,
        "primary_scans_up": primary_scans_up,
        "primary_scans_down": primary_scans_down,
        "fallback_logged": warned,
    }
    return Outcome("replica", ok, summary, figures)


# --- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    description = __doc__.split("\n\n")[0]
    parser = phase_arguments(description, PHASES, short="8 s of load", results=RESULTS)
    args = parser.parse_args(argv)
    chosen_phases(parser, args, PHASES)
    return args


def main() -> int:
    args = parse_args()
    check_virtualenv()
    ensure_wrk()
    durations = Durations.short() if args.short else Durations.full()
    machine = machine_summary(with_postgres=False)
    print(f"== {machine}")
    outcomes: list[Outcome] = []
    phases = {
        "load": phase_load,
        "scaling": phase_scaling,
        "publish": phase_publish,
        "jobs": phase_jobs,
        "edge": phase_edge,
        "redis": phase_redis,
        "failover": phase_failover,
        "replica": phase_replica,
    }
    with stack(durations) as s:
        # In this order: the failover leaves B alone, the last phase stops the replica.
        for name in PHASES:
            if name in args.phases:
                outcomes.append(phases[name](s, durations))
    return finish(
        outcomes,
        args.json,
        machine=machine,
        form="short" if args.short else "full",
        settings=settings_module(),
        workers_per_instance=WORKERS,
        connections=CONNECTIONS,
        durations=asdict(durations),
    )


if __name__ == "__main__":
    script_main(main)
