"""The files of deploy/ and README's by-hand install agree with each other, so the
steps an operator follows by hand are the ones deploy/install.sh runs (which
test_install.py runs for real). Plain file reads: both passes, no root needed."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def deployment_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("\n## Deployment") : readme.index("\n## Seed documents")]


def install_script() -> str:
    return (DEPLOY / "install.sh").read_text()


def test_the_example_environment_has_every_line_the_install_fills_in():
    example = (DEPLOY / "portal.env.example").read_text()
    filled = re.findall(r'-e "s\|\^(\w+)=\.\*\|', install_script())
    assert set(filled) == {
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "MEDIA_ROOT",
        "GUNICORN_BIND",
        "SITE_URL",
        "DEFAULT_FROM_EMAIL",
    }
    for name in filled:
        # sed leaves a file without the line as it is: the value would silently be missing.
        assert re.search(rf"^{name}=", example, re.M), name


def test_the_by_hand_steps_run_the_commands_the_script_runs():
    by_hand = set(re.findall(r"deploy/manage (\w+)", deployment_section()))
    scripted = set(re.findall(r"^\s+manage (\w+)", install_script(), re.M))
    assert scripted == {"migrate", "collectstatic", "load_seed", "setup_roles", "check"}
    assert scripted <= by_hand


def test_http_only_part_is_cut_at_the_same_line_by_hand_and_by_the_script():
    config = (DEPLOY / "nginx-portal.conf").read_text()
    assert len(re.findall(r"^# HTTPS -", config, re.M)) == 1
    http_part = config[: config.index("\n# HTTPS -")]
    assert "acme-challenge" in http_part and "location = /healthz" in http_part
    assert "ssl_certificate" not in re.sub(r"(?m)^\s*#.*$", "", http_part)
    assert "/^# HTTPS -/" in install_script()
    assert "/^# HTTPS -/,$d" in deployment_section()


def test_the_nginx_file_names_what_the_unit_and_environment_name():
    config = (DEPLOY / "nginx-portal.conf").read_text()
    unit = (DEPLOY / "portal.service").read_text()
    example = (DEPLOY / "portal.env.example").read_text()
    bind = re.search(r"^GUNICORN_BIND=(.+)$", example, re.M)[1]
    assert f"server {bind} " in config
    media_root = re.search(r"^MEDIA_ROOT=(.+)$", example, re.M)[1]
    assert f"alias {media_root}/;" in config
    assert f"ReadWritePaths={media_root}\n" in unit
    assert "WorkingDirectory=/srv/portal\n" in unit
    assert "EnvironmentFile=/etc/portal/portal.env\n" in unit


def test_nginx_directives_of_debian_12s_nginx_only():
    config = (DEPLOY / "nginx-portal.conf").read_text()
    directives = re.sub(r"(?m)^\s*#.*$", "", config)
    # `http2 on;` needs nginx 1.25.1; Debian 12 ships 1.22.
    assert not re.search(r"^\s*http2\s", directives, re.M)
    assert directives.count("server_tokens off;") == directives.count("server {")


def test_the_worker_unit_runs_as_the_site_does_with_the_same_hardening():
    def settings(name: str) -> dict[str, str]:
        lines = (DEPLOY / name).read_text().splitlines()
        pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
        return dict(pairs)

    site, worker = settings("portal.service"), settings("portal-worker.service")
    assert worker["ExecStart"] == "/srv/portal/.venv/bin/python manage.py qcluster"
    shared = ("User", "Group", "WorkingDirectory", "EnvironmentFile", "ReadWritePaths")
    hardening = [name for name in site if name.startswith(("Protect", "Restrict", "Private"))]
    hardening += ["NoNewPrivileges", "LockPersonality"]
    for name in (*shared, *hardening):
        assert worker.get(name) == site[name], name
    assert re.search(
        r'for unit in portal portal-worker; do\n\s+say "systemd unit', install_script()
    )
