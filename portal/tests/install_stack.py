"""The parts test_install.py installs the portal with: a throwaway PostgreSQL server,
stand-ins for systemctl and certbot, Debian's nginx configuration pointed into a
folder, and gunicorn started as the installed unit says.

Everything lives in one folder under /tmp (readable by the service user and by
nginx's workers, as /srv/portal would be) and is removed afterwards.
"""

import contextlib
import os
import pwd
import random
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_USER = "pgtest"  # the unprivileged user scripts/with-postgres runs PostgreSQL as
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")


def run(cmd: list, **kwargs) -> str:
    """Run a command; on failure raise with everything it printed."""
    result = subprocess.run(
        [str(part) for part in cmd], capture_output=True, text=True, timeout=600, **kwargs
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{shlex.join(str(p) for p in cmd)} exited {result.returncode}:\n"
            f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
        )
    return result.stdout


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768+), where the kernel would hand
    it to an outgoing connection (pip's, PostgreSQL's) in the minute before it is used."""
    while True:
        port = random.randrange(20000, 32000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def ensure_system_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        run(["useradd", "--system", "-M", "-s", "/usr/sbin/nologin", name])


@dataclass
class Postgres:
    """PostgreSQL 15 as Debian's would answer the portal: password logins over TCP on
    127.0.0.1, the superuser through the socket without one."""

    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def socket_dir(self) -> Path:
        return self.folder / "sock"

    def _as_server(self, *cmd) -> str:
        return run(["runuser", "-u", PG_USER, "--", *cmd], cwd=self.folder)

    def start(self) -> None:
        ensure_system_user(PG_USER)
        data = self.folder / "data"
        for path in (self.folder, data, self.socket_dir):
            path.mkdir(mode=0o700, exist_ok=True)
            shutil.chown(path, PG_USER)
        self._as_server(
            PG_BIN / "initdb", "-D", data, "-U", "postgres", "--auth-local=trust",
            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c fsync=off "
            f"-c unix_socket_directories='{self.socket_dir}'"
        )
        self._as_server(
            PG_BIN / "pg_ctl", "-D", data, "-l", self.folder / "server.log", "-w", "-t", "60",
            "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        data = self.folder / "data"
        if (data / "postmaster.pid").exists():
            with contextlib.suppress(AssertionError):
                self._as_server(PG_BIN / "pg_ctl", "-D", data, "-m", "immediate", "stop")

    def psql_env(self) -> dict[str, str]:
        """What install.sh's psql needs to find this server as its superuser."""
        return {"PGHOST": str(self.socket_dir), "PGPORT": str(self.port), "PGUSER": "postgres"}


FAKE_SYSTEMCTL = """#!{python}
# systemctl for the test: records its calls; starts or reloads the test's nginx.
import os, shutil, subprocess, sys
with open({log!r}, "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
if sys.argv[1:] and sys.argv[-1] == "nginx" and sys.argv[1] in {{"reload", "reload-or-restart"}}:
    # Each configuration nginx is given, kept for the test to read.
    kept = len(os.listdir({sites!r}))
    shutil.copy({site!r}, os.path.join({sites!r}, f"{{kept}}.conf"))
    nginx = {nginx!r}
    try:
        pid = int(open({pid!r}).read())
        os.kill(pid, 0)
    except (OSError, ValueError):
        sys.exit(subprocess.call(nginx))
    sys.exit(subprocess.call([*nginx, "-s", "reload"]))
"""

FAKE_CERTBOT = """#!{python}
# certbot for the test: serves a challenge through nginx on port 80 as Let's Encrypt
# would fetch it, then writes a self-signed certificate where certbot would.
import secrets, subprocess, sys, urllib.request
from pathlib import Path
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(" ".join(args) + "\\n")
webroot, domain = Path(args[args.index("-w") + 1]), args[args.index("-d") + 1]
token = secrets.token_hex(16)
challenge = webroot / ".well-known" / "acme-challenge" / token
challenge.parent.mkdir(parents=True, exist_ok=True)
challenge.write_text(token)
request = urllib.request.Request(
    "http://127.0.0.1:{http_port}/.well-known/acme-challenge/" + token, headers={{"Host": domain}}
)
answer = urllib.request.urlopen(request, timeout=10).read().decode()
challenge.unlink()
if answer != token:
    sys.exit(f"challenge answered {{answer!r}}")
live = Path({live!r})
live.mkdir(parents=True, exist_ok=True)
subprocess.run(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
     "-subj", "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain,
     "-keyout", live / "privkey.pem", "-out", live / "fullchain.pem"],
    check=True, capture_output=True,
)
"""


@dataclass
class Machine:
    """The folders of a Debian machine inside ``root``, and the commands install.sh
    runs pointed at them."""

    root: Path
    site_host: str
    http_port: int = field(default_factory=free_port)
    https_port: int = field(default_factory=free_port)
    gunicorn_port: int = field(default_factory=free_port)

    def path(self, name: str) -> Path:
        return self.root / name.lstrip("/")

    @property
    def nginx(self) -> list[str]:
        prefix = self.path("nginx")
        return ["nginx", "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf")]

    @property
    def live(self) -> Path:
        return self.path(f"etc/letsencrypt/live/{self.site_host}")

    def write_fakes(self) -> None:
        bin_dir = self.path("fakebin")
        bin_dir.mkdir()
        values = {
            "python": sys.executable,
            "log": str(self.path("systemctl.log")),
            "nginx": self.nginx,
            "pid": str(self.path("nginx/nginx.pid")),
            "site": str(self.path("etc/nginx/sites-available/portal")),
            "sites": str(self.path("nginx-sites")),
        }
        self.path("nginx-sites").mkdir()
        (bin_dir / "systemctl").write_text(FAKE_SYSTEMCTL.format(**values))
        values = {"python": sys.executable, "log": str(self.path("certbot.log"))}
        values |= {"http_port": self.http_port, "live": str(self.live)}
        (bin_dir / "certbot").write_text(FAKE_CERTBOT.format(**values))
        for fake in bin_dir.iterdir():
            fake.chmod(0o755)

    def write_nginx_conf(self) -> None:
        """Debian's own nginx.conf, its pid, logs and sites folder moved into ``root``."""
        prefix = self.path("nginx")
        for name in ("", "tmp"):
            (prefix / name).mkdir(exist_ok=True)
        text = DEBIAN_NGINX_CONF.read_text()
        sites = self.path("etc/nginx/sites-enabled")
        moves = {
            "pid /run/nginx.pid;": f"pid {prefix}/nginx.pid;",
            "/var/log/nginx/": f"{prefix}/",
            "include /etc/nginx/sites-enabled/*;": f"include {sites}/*;",
            "http {": f"http {{\n\tclient_body_temp_path {prefix}/tmp/body;\n"
            f"\tproxy_temp_path {prefix}/tmp/proxy;\n",
        }
        for old, new in moves.items():
            assert old in text, f"{DEBIAN_NGINX_CONF} has no {old!r}: is it Debian's?"
            text = text.replace(old, new)
        (prefix / "nginx.conf").write_text(text)

    def install_environment(self, postgres: Postgres, service_user: str) -> dict[str, str]:
        """The variables that point deploy/install.sh into this machine."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO"))}
        env |= postgres.psql_env() | {
            "PATH": f"{self.path('fakebin')}:{os.environ['PATH']}",
            "SITE_HOST": self.site_host,
            "PORTAL_ROOT": str(self.path("srv/portal")),
            "PORTAL_USER": service_user,
            "ENV_FILE": str(self.path("etc/portal/portal.env")),
            "SYSTEMD_DIR": str(self.path("etc/systemd/system")),
            "NGINX_DIR": str(self.path("etc/nginx")),
            "ACME_ROOT": str(self.path("var/www/letsencrypt")),
            "TLS_CERT": str(self.live / "fullchain.pem"),
            "TLS_KEY": str(self.live / "privkey.pem"),
            "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
            "LISTEN_IPV6": "no",
            "DB_PORT": str(postgres.port),
            "GUNICORN_BIND": f"127.0.0.1:{self.gunicorn_port}",
            "PG_OS_USER": PG_USER,
            "INSTALL_PACKAGES": "no",
            "NGINX": shlex.join(self.nginx),
        }
        return env

    def stop_nginx(self) -> None:
        """Stop nginx (fast shutdown) and wait until its master has gone."""
        try:
            pid = int(self.path("nginx/nginx.pid").read_text())
            os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            return
        with contextlib.suppress(AssertionError):
            wait_for(lambda: not process_alive(pid), seconds=20, what="nginx stopped")


def process_alive(pid: int) -> bool:
    """Running, not a zombie (a daemon's parent is init, which may reap it late)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def copy_code(destination: Path) -> None:
    """The project's files as a clone has them (what is committed or about to be)."""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if name.startswith((".venv", "var/", "staticfiles/")) or not source.is_file():
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def read_env_file(path: Path) -> dict[str, str]:
    pairs = (
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    )
    return {name.strip(): value.strip() for name, value in pairs}


def unit_settings(path: Path) -> dict[str, str]:
    """The [Service] settings of a unit file (the last of each name)."""
    return {
        name: value
        for name, _, value in (line.partition("=") for line in path.read_text().splitlines())
        if value and not name.startswith("#")
    }


class UnitService:
    """The unit's ExecStart as its User, in its WorkingDirectory, with its
    EnvironmentFile: what systemd would start (less the sandboxing). start() and
    stop() stand in for ``systemctl start portal`` and ``systemctl stop portal``."""

    def __init__(self, unit: Path):
        self.settings = unit_settings(unit)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        settings = self.settings
        environment = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
        # Read at each start, as systemd does: a changed file counts after a restart.
        environment |= read_env_file(Path(settings["EnvironmentFile"]))
        command = ["runuser", "-u", settings["User"], "--", *shlex.split(settings["ExecStart"])]
        log = Path(settings["WorkingDirectory"]) / "var" / "service.log"
        with open(log, "a") as stderr:
            self.process = subprocess.Popen(
                command,
                cwd=settings["WorkingDirectory"],
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
            )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(check, *, seconds: float = 60, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return
        time.sleep(0.3)
    raise AssertionError(f"{what} within {seconds:.0f} s")
