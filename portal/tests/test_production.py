"""Production settings, gunicorn's configuration, logs, and errors without tracebacks."""

import json
import logging
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from portal.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
FRIENDLY_500 = "Что-то пошло не так"
SECRET_DETAIL = "секретная-деталь-ошибки"
# What the environment of the test run may carry that would change the settings.
SETTINGS_ENV = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "ADMIN_PATH",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "LOG_FORMAT",
    "PAGE_CACHE",
    "REDIS_URL",
    "WEB_CONCURRENCY",
    "GUNICORN_BIND",
    # Set while the browser tests' Playwright runs; check --deploy rightly refuses it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "STATIC_ROOT",
}
# Filled once per module by collected_static: production serves the manifest's files.
STATIC = {}


def boom(request):
    raise ZeroDivisionError(SECRET_DETAIL)


# Used by the tests marked urls("portal.tests.test_production") and by the subprocess below.
urlpatterns = [path("boom/", boom)]


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.org,testserver,127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        # An empty database here: the page cache's version row does not exist.
        "PAGE_CACHE": "0",
        **STATIC,
        **extra,
    }


@pytest.fixture(scope="module", autouse=True)
def collected_static(tmp_path_factory):
    """Production pages name their files through whitenoise's manifest, which only
    collectstatic writes: collected once, into a folder of this module's own."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(tmp_path_factory.mktemp("collect"), STATIC_ROOT=str(root))
    result = run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    assert result.returncode == 0, result.stderr
    STATIC["STATIC_ROOT"] = str(root)
    yield
    STATIC.clear()


def run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120, **kwargs
    )


def setting(tmp_path: Path, expression: str, **env: str) -> subprocess.CompletedProcess:
    code = f"from portal.settings import production as s; print({expression})"
    return run([sys.executable, "-c", code], production_env(tmp_path, **env))


# --- check --deploy and the settings ----------------------------------------------


def test_check_deploy_reports_nothing(tmp_path):
    env = production_env(tmp_path, DATABASE_URL="postgres://portal@127.0.0.1:5432/portal")
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_needs_hosts_and_database_by_name(tmp_path, missing):
    env = production_env(tmp_path)
    del env[missing]
    result = run([sys.executable, "-c", "import portal.settings.production"], env)
    assert result.returncode != 0
    assert f"Production settings need {missing}" in result.stderr


def test_production_needs_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run([sys.executable, "-c", "import portal.settings.production"], env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_stays_off_whatever_the_environment_says(tmp_path):
    assert setting(tmp_path, "s.DEBUG", DEBUG="1").stdout.strip() == "False"


def test_https_settings(tmp_path):
    expression = (
        "(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    assert setting(tmp_path, expression).stdout.strip() == (
        "(True, 31536000, True, True, True, True)"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "None"),
        ("X-Forwarded-Proto", "('HTTP_X_FORWARDED_PROTO', 'https')"),
        ("X-Forwarded-Ssl=on", "('HTTP_X_FORWARDED_SSL', 'on')"),
    ],
)
def test_proxy_ssl_header_from_the_environment(tmp_path, value, expected):
    result = setting(tmp_path, "s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER=value)
    assert result.stdout.strip() == expected


def test_a_malformed_proxy_ssl_header_is_refused_by_name(tmp_path):
    result = setting(tmp_path, "s.SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="X Proto")
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER='X Proto'" in result.stderr


# --- Requests under the production settings ----------------------------------------

REQUESTS = """
import json, sys
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings

client = Client(raise_request_exception=False)
out = {}
response = client.get("/ok", HTTP_HOST="news.example.org")
out["plain"] = [response.status_code, response.get("Location")]
response = client.get("/ok", HTTP_HOST="news.example.org", HTTP_X_FORWARDED_PROTO="https")
out["proxied"] = [response.status_code, dict(response.items())]
out["healthz"] = client.get("/healthz").status_code
response = client.get("/admin/login/", secure=True)
out["cookies"] = {name: bool(morsel["secure"]) for name, morsel in response.cookies.items()}
with override_settings(ROOT_URLCONF="portal.tests.test_production"):
    response = client.get("/boom/", secure=True)
    out["boom"] = [response.status_code, response.content.decode()]
with open(sys.argv[1], "w") as file:
    json.dump(out, file)
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Answers of the production settings, and what they logged on standard output."""
    tmp_path = tmp_path_factory.mktemp("production")
    answers = tmp_path / "answers.json"
    env = production_env(tmp_path, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    result = run([sys.executable, "-c", REQUESTS, str(answers)], env)
    assert result.returncode == 0, result.stderr
    return json.loads(answers.read_text()), result.stdout


def test_plain_http_is_redirected_to_https(production):
    answers, _ = production
    assert answers["plain"] == [301, "https://news.example.org/ok"]


def test_https_behind_the_proxy_gets_hsts_and_the_security_headers(production):
    answers, _ = production
    status, headers = answers["proxied"]
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "upgrade-insecure-requests" in headers["Content-Security-Policy"]


def test_the_health_check_is_not_redirected(production):
    answers, _ = production
    assert answers["healthz"] == 200


def test_cookies_are_secure(production):
    answers, _ = production
    assert answers["cookies"] == {"csrftoken": True}


def test_a_server_error_shows_the_friendly_page_without_a_traceback(production):
    answers, _ = production
    status, body = answers["boom"]
    assert status == 500
    assert FRIENDLY_500 in body
    for leak in ("Traceback", "ZeroDivisionError", SECRET_DETAIL, "portal/tests"):
        assert leak not in body


def test_the_server_error_is_logged_as_json_with_its_traceback(production):
    _, stdout = production
    entries = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    (error,) = [entry for entry in entries if entry.get("path") == "/boom/"]
    assert error["level"] == "ERROR"
    assert error["logger"] == "django.request"
    assert error["status_code"] == 500
    assert error["method"] == "GET"
    assert "ZeroDivisionError: " + SECRET_DETAIL in error["exception"]
    assert error["exception"].startswith("Traceback")


@pytest.mark.urls("portal.tests.test_production")
def test_the_test_settings_also_hide_tracebacks(db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert FRIENDLY_500 in body
    assert "Traceback" not in body
    assert SECRET_DETAIL not in body


# --- Log format ----------------------------------------------------------------------


def test_json_formatter_writes_one_object_per_line_with_extras_and_traceback():
    try:
        raise ValueError("строка\nвторая")
    except ValueError:
        record = logging.LogRecord(
            "portal.test", logging.ERROR, __file__, 1, "Сбой %s", ("записи",), sys.exc_info()
        )
    record.status_code = 503
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Сбой записи"
    assert (entry["level"], entry["logger"], entry["status_code"]) == ("ERROR", "portal.test", 503)
    assert entry["exception"].endswith("ValueError: строка\nвторая")
    assert entry["time"].endswith("+00:00")


# --- gunicorn ------------------------------------------------------------------------


def gunicorn_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_ENV}
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({**clean, **env})
    try:
        return runpy.run_path(str(GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_gunicorn_workers_follow_the_cpu_count():
    assert gunicorn_settings()["workers"] == 2 * os.cpu_count() + 1
    assert gunicorn_settings(WEB_CONCURRENCY="3")["workers"] == 3


def test_gunicorn_listens_on_localhost_with_timeouts_by_default():
    conf = gunicorn_settings()
    assert conf["bind"] == "127.0.0.1:8000"
    assert (conf["timeout"], conf["graceful_timeout"]) == (30, 30)
    assert conf["accesslog"] == "-"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, **headers: str) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stderr.read()}")
        try:
            if get(url) == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer {url} within {seconds} s")


def test_gunicorn_serves_with_json_access_log_and_restarts_gracefully(tmp_path):
    port = free_port()
    env = production_env(tmp_path, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1")
    stdout, stderr = tmp_path / "stdout", tmp_path / "stderr"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", str(GUNICORN_CONF)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        try:
            healthz = f"http://127.0.0.1:{port}/healthz"
            wait_until_up(healthz, process)
            assert get(healthz, **{"User-Agent": 'probe "quoted" (a test)'}) == 200
            process.send_signal(signal.SIGHUP)
            # Requests keep being answered while the workers are replaced.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                assert get(healthz) == 200
                time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=40)
    access = [json.loads(line) for line in stdout.read_text().splitlines()]
    (probe,) = [entry for entry in access if entry["user_agent"] == 'probe "quoted" (a test)']
    assert (probe["method"], probe["path"], probe["status"]) == ("GET", "/healthz", 200)
    assert probe["remote_addr"] == "127.0.0.1"
    assert isinstance(probe["duration_ms"], float)
    messages = [json.loads(line)["message"] for line in stderr.read_text().splitlines()]
    assert "Handling signal: hup" in messages
    assert sum(message.startswith("Booting worker") for message in messages) >= 2
