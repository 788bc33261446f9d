"""The documented first install, done by deploy/install.sh into a folder, then used
through nginx as a visitor and as an editor.

As root (CI is): a throwaway PostgreSQL 15 (password logins on 127.0.0.1, as
Debian's), Debian's nginx with its own nginx.conf on high loopback ports, the
shipped site file with only the substitutions it documents, gunicorn started as
the installed unit says (its user, folder, environment file, command). systemctl and
certbot are stand-ins: the first starts and reloads that nginx, the second fetches
its challenge through nginx's port 80 and writes a self-signed certificate. The
install runs twice: the second time with the environment file given (nothing is
asked) and a database password that needs percent-encoding. Last, README's
"Backups" as an operator follows it: make backup, a fresh database and an empty
media folder, make restore, the site started on it (15 to 30 s of the whole). Two to
three minutes on the 2-core machine, most of it pip installing requirements.lock into
the new virtualenv; scripts/test runs it once, in the SQLite pass (marker "deploy").
"""

import io
import os
import pwd
import re
import shutil
import stat
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from portal.tests.install_operator import MAIN_TABLES, Operator, archive_members
from portal.tests.install_stack import (
    ROOT,
    Machine,
    Postgres,
    UnitService,
    copy_code,
    read_env_file,
    run,
    unit_settings,
    wait_for,
)
from portal.tests.install_visitor import Answer, Editor, Front

pytestmark = pytest.mark.deploy

SITE = "news.example.test"
SERVICE_USER = "portalci"  # a throwaway system user, removed afterwards
EDITOR, EDITOR_PASSWORD = "redaktor", "Kz7-vagon-Tulpar-93"
# A password with the characters that break a URL unless percent-encoded.
AWKWARD_PASSWORD = "p@ss#w/rd:%"


@dataclass
class Installed:
    machine: Machine
    postgres: Postgres
    service: UnitService  # systemctl start/stop portal
    front: Front
    env: dict[str, str]  # the install's variables
    first_env_file: dict[str, str]
    outputs: list[str]

    @property
    def code(self) -> Path:
        return self.machine.path("srv/portal")

    @property
    def env_file(self) -> dict[str, str]:
        return read_env_file(Path(self.env["ENV_FILE"]))

    def manage(self, *args: str, **extra: str) -> str:
        env = {**os.environ, "ENV_FILE": self.env["ENV_FILE"], "PORTAL_USER": SERVICE_USER}
        return run([self.code / "deploy" / "manage", *args], env=env | extra)


def install(env: dict[str, str]) -> str:
    return run(
        ["bash", env["PORTAL_ROOT"] + "/deploy/install.sh"], env=env, stdin=subprocess.DEVNULL
    )


def use_awkward_password(installed_env: dict[str, str]) -> None:
    """The operator's own password in the environment file, percent-encoded."""
    env_file = Path(installed_env["ENV_FILE"])
    url = urllib.parse.urlsplit(read_env_file(env_file)["DATABASE_URL"])
    encoded = urllib.parse.quote(AWKWARD_PASSWORD, safe="")
    netloc = f"{url.username}:{encoded}@{url.hostname}:{url.port}"
    text = re.sub(
        r"^DATABASE_URL=.*$",
        lambda _: "DATABASE_URL=" + url._replace(netloc=netloc).geturl(),
        env_file.read_text(),
        flags=re.M,
    )
    env_file.write_text(text)


def remove_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return
    subprocess.run(["userdel", name], capture_output=True, check=False)


@pytest.fixture(scope="module")
def installed():
    assert os.geteuid() == 0, "the install test runs as root (scripts/test deselects it otherwise)"
    root = Path(tempfile.mkdtemp(prefix="portal-install-", dir="/tmp"))
    root.chmod(0o755)
    remove_user(SERVICE_USER)  # left by an interrupted run
    machine = Machine(root, SITE)
    postgres = Postgres(root / "pg")
    service = None
    try:
        postgres.start()
        machine.write_fakes()
        machine.write_nginx_conf()
        copy_code(machine.path("srv/portal"))
        env = machine.install_environment(postgres, SERVICE_USER)
        outputs = [install(env)]
        first_env_file = read_env_file(Path(env["ENV_FILE"]))
        use_awkward_password(env)
        # The host name now comes from the environment file: nothing to ask or pass.
        outputs.append(install({k: v for k, v in env.items() if k != "SITE_HOST"}))
        front = Front(
            SITE, machine.http_port, machine.https_port, str(machine.live / "fullchain.pem")
        )
        service = UnitService(machine.path("etc/systemd/system/portal.service"))
        service.start()
        wait_for(lambda: front.get("/healthz").status == 200, what="/healthz through nginx")
        yield Installed(machine, postgres, service, front, env, first_env_file, outputs)
    finally:
        if service:
            service.stop()
        machine.stop_nginx()
        postgres.stop()
        remove_user(SERVICE_USER)
        shutil.rmtree(root, ignore_errors=True)


# --- what the install made ---------------------------------------------------------


def test_the_service_user_owns_only_the_folders_it_writes(installed):
    user = pwd.getpwnam(SERVICE_USER)
    assert user.pw_shell == "/usr/sbin/nologin"
    assert user.pw_uid < 1000  # a system user
    for folder in ("var", "var/media"):
        assert (installed.code / folder).stat().st_uid == user.pw_uid
    assert (installed.code / "manage.py").stat().st_uid == 0


def test_the_environment_file_is_secret_and_its_key_generated(installed):
    env_file = Path(installed.env["ENV_FILE"])
    mode = env_file.stat()
    assert (mode.st_uid, stat.S_IMODE(mode.st_mode)) == (0, 0o600)
    key = installed.env_file["SECRET_KEY"]
    assert len(key) >= 50
    assert "change-me" not in key
    assert installed.env_file["ALLOWED_HOSTS"] == SITE


def test_the_virtualenv_holds_the_runtime_lock_only(installed):
    venv = installed.code / ".venv"
    frozen = run([venv / "bin/python", "-m", "pip", "freeze", "--all"]).lower()
    assert "gunicorn==" in frozen and "django==" in frozen
    for tool in ("pytest", "playwright", "hypothesis", "ruff"):
        assert f"\n{tool}==" not in "\n" + frozen
    # ProtectHome hides /root and /home from the service.
    assert not (venv / "bin/python").resolve().is_relative_to("/root")


def test_a_second_run_asks_nothing_and_keeps_the_secrets(installed):
    assert installed.env_file["SECRET_KEY"] == installed.first_env_file["SECRET_KEY"]
    certbot = installed.machine.path("certbot.log").read_text().splitlines()
    assert len(certbot) == 1, "a certificate was asked for again"
    assert certbot[0].startswith("certonly --webroot -w ")
    calls = installed.machine.path("systemctl.log").read_text().splitlines()
    # An environment change needs a restart: a reload keeps the old environment.
    assert calls.count("restart portal") == 2
    assert "reload portal" not in calls
    # The job worker beside it, enabled and restarted on every install.
    assert calls.count("enable portal-worker") == calls.count("restart portal-worker") == 2


def test_without_a_host_name_or_environment_file_it_says_what_to_set(installed):
    env = {k: v for k, v in installed.env.items() if k != "SITE_HOST"}
    env["ENV_FILE"] = str(installed.machine.path("etc/portal/absent.env"))
    script = installed.code / "deploy/install.sh"
    result = subprocess.run(
        ["bash", script], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "set SITE_HOST=" in result.stderr
    assert not Path(env["ENV_FILE"]).exists()


def test_the_database_password_is_read_percent_decoded(installed):
    assert urllib.parse.quote(AWKWARD_PASSWORD, safe="") in installed.env_file["DATABASE_URL"]
    # The service started after the second run connects with it.
    assert installed.front.get("/healthz").status == 200


def directives(config: str) -> str:
    return "\n".join(line for line in config.splitlines() if not line.lstrip().startswith("#"))


def test_tls_starts_on_http_then_the_whole_site(installed):
    kept = sorted(installed.machine.path("nginx-sites").iterdir(), key=lambda p: int(p.stem))
    first, last = (directives(path.read_text()) for path in (kept[0], kept[-1]))
    assert "ssl_certificate" not in first and "acme-challenge" in first
    assert "ssl_certificate" in last and "acme-challenge" in last


def test_the_site_file_differs_from_the_shipped_one_only_where_documented(installed):
    documented = ("news.example.org", "/srv/portal", "127.0.0.1:8000", "listen ", "ssl_certificate")
    documented += ("/var/www/letsencrypt",)
    shipped = (ROOT / "deploy/nginx-portal.conf").read_text().splitlines()
    site = installed.machine.path("etc/nginx/sites-available/portal").read_text().splitlines()
    changed = [line for line in shipped if line not in site]
    assert changed and all(any(token in line for token in documented) for line in changed)
    assert len(site) == len(shipped) - 2  # the two [::] listen lines, no IPv6 here
    run([*installed.machine.nginx, "-t", "-q"])


@pytest.mark.parametrize("name", ["portal", "portal-worker"])
def test_the_units_pass_systemd_analyze_verify(installed, name):
    unit = installed.machine.path(f"etc/systemd/system/{name}.service")
    settings = unit_settings(unit)
    for folder in settings["ReadWritePaths"].split():
        assert Path(folder).is_dir(), f"ReadWritePaths={folder} does not exist"
    assert not settings["ExecStart"].startswith(("/root", "/home"))
    if shutil.which("systemd-analyze") or os.environ.get("CI") == "true":
        run(["systemd-analyze", "verify", unit], cwd=installed.code)


def test_the_installed_worker_runs_the_schedule_on_the_database(installed):
    worker = UnitService(installed.machine.path("etc/systemd/system/portal-worker.service"))
    ran = (
        "from django_q.models import Success; "
        "print(Success.objects.filter(func='inbox.jobs.enqueue_due_sources').count())"
    )
    worker.start()
    try:
        wait_for(
            lambda: int(installed.manage("shell", "--verbosity", "0", "-c", ran).split()[-1]) > 0,
            seconds=90,
            what="the minute schedule run by the installed worker",
        )
    finally:
        worker.stop()


# --- through nginx -----------------------------------------------------------------

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_secure(answer: Answer, *, https: bool = True) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.header(name) == value, name
    assert answer.header("Content-Security-Policy")
    assert answer.header("Server") in {None, "nginx"}  # no version
    if https:
        assert answer.header("Strict-Transport-Security").startswith("max-age=31536000")


def home_links(front: Front) -> tuple[list[str], list[str]]:
    home = front.get("/").text
    links = sorted(set(re.findall(r'href="(/[^"]*)"', home)))
    pages = [link for link in links if not link.startswith(("/static/", "/media/"))]
    static = sorted(set(re.findall(r'"(/static/[^"]+)"', home)))
    return pages[:12], static


def test_visitors_read_pages_over_https(installed):
    pages, _ = home_links(installed.front)
    assert len(pages) >= 5
    for path in ["/", *pages]:
        answer = installed.front.get(path)
        assert answer.status == 200, path
        assert_secure(answer)


def test_plain_http_redirects_except_health_and_challenges(installed):
    front = installed.front
    answer = front.get("/novosti/?page=2", scheme="http")
    assert answer.status == 301
    assert answer.header("Location") == f"https://{SITE}/novosti/?page=2"
    assert_secure(answer, https=False)
    for scheme in ("http", "https"):
        health = front.get("/healthz", scheme=scheme)
        assert health.status == 200, scheme
        assert health.header("Server") == "nginx"


def test_static_files_hashed_names_kept_for_good_others_an_hour(installed):
    front = installed.front
    _, static = home_links(front)
    hashed = [path for path in static if re.search(r"\.[0-9a-f]{12}\.css$", path)]
    assert hashed, static
    answer = front.get(hashed[0], headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.header("Cache-Control") == "public, max-age=31536000, immutable"
    assert answer.header("Content-Encoding") == "gzip"  # whitenoise's .gz copy
    assert_secure(answer)
    plain = re.sub(r"\.[0-9a-f]{12}(\.css)$", r"\1", hashed[0])
    answer = front.get(plain)
    assert answer.status == 200
    assert answer.header("Cache-Control") == "public, max-age=3600"
    assert_secure(answer)
    missing = front.get("/static/nothing-here.css")
    assert missing.status == 404
    assert_secure(missing)


def jpeg(width: int = 1200, height: int = 675) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, "JPEG", quality=85)
    return out.getvalue()


@dataclass
class LeadImage:
    editor: Editor  # signed in
    url: str  # /media/...
    stored: Path  # the file under MEDIA_ROOT
    saved: Answer  # the admin's answer to the upload


@pytest.fixture(scope="module")
def lead_image(installed) -> LeadImage:
    """An editor, made as README says, uploads a lead image in the admin through nginx."""
    installed.manage(
        "createsuperuser", "--noinput", "--username", EDITOR, "--email", "r@example.test",
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
    )  # fmt: skip
    admin = "/" + installed.env_file.get("ADMIN_PATH", "admin/").strip("/") + "/"
    editor = Editor(installed.front, admin)
    editor.sign_in(EDITOR, EDITOR_PASSWORD)
    article = editor.first_article()
    saved = editor.upload_lead_image(article, jpeg())
    assert saved.status == 302, saved.text[:2000]
    page = editor.call("GET", f"{admin}articles/article/{article}/change/").text
    media = re.findall(r'"(/media/[^"]+\.(?:jpe?g|webp))"', page)
    assert media, "the change form shows no uploaded image"
    stored = installed.code / "var" / urllib.parse.unquote(media[0].removeprefix("/"))
    return LeadImage(editor, media[0], stored, saved)


def test_an_editor_uploads_a_lead_image_served_by_nginx(installed, lead_image):
    answer = installed.front.get(lead_image.url)
    assert answer.status == 200
    assert answer.header("Content-Type").startswith("image/")
    assert answer.body == lead_image.stored.read_bytes()
    assert_secure(answer)
    assert lead_image.stored.stat().st_uid == pwd.getpwnam(SERVICE_USER).pw_uid


def test_django_redirects_carry_the_headers_too(installed):
    answer = installed.front.get("/admin/")
    assert answer.status in {301, 302}
    assert_secure(answer)


# --- README, "Backups": a backup restored into a fresh database -------------------


def test_a_backup_restores_into_a_fresh_database_the_site_then_runs_on(installed, lead_image):
    """Root in the install folder, with the environment file, as README says; the
    fresh database is a new machine's after install.sh (its seeded one dropped)."""
    operator = Operator(installed.code, Path(installed.env["ENV_FILE"]), installed.postgres)
    venv_before = operator.venv_contents()
    counts = operator.row_counts()
    assert all(counts[table] for table in MAIN_TABLES), counts
    image = lead_image.stored.read_bytes()
    media_name = lead_image.stored.relative_to(installed.code / "var/media").as_posix()

    backup = installed.machine.path("srv/backups/portal.tar")
    assert "backed up to" in operator.make("backup", f"FILE={backup}")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    members = archive_members(backup)
    assert members.keys() >= {"database.pgdump", f"media/{media_name}"}
    assert members[f"media/{media_name}"] == image

    installed.service.stop()  # systemctl stop portal
    role, name = operator.database()
    operator.as_postgres("dropdb", name)
    operator.as_postgres("createdb", "--owner", role, name)
    for entry in (installed.code / "var/media").iterdir():  # install.sh's empty folder
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    restored = operator.make("restore", f"FILE={backup}")
    assert "warning" not in restored.lower(), restored
    installed.service.start()  # systemctl start portal
    wait_for(lambda: installed.front.get("/healthz").status == 200, what="/healthz after restore")

    assert operator.row_counts() == counts
    assert lead_image.stored.read_bytes() == image
    assert lead_image.stored.stat().st_uid == pwd.getpwnam(SERVICE_USER).pw_uid
    assert installed.front.get("/").status == 200
    answer = installed.front.get(lead_image.url)
    assert (answer.status, answer.body) == (200, image)
    # The editor's session was in the backup too.
    assert lead_image.editor.call("GET", lead_image.editor.admin).status == 200
    # Neither target installed anything into the site's virtualenv.
    assert operator.venv_contents() == venv_before
    python = installed.code / ".venv/bin/python"
    assert subprocess.run([python, "-c", "import pytest"], capture_output=True).returncode == 1
