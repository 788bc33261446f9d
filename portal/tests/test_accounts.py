"""Editors' accounts: sign-in lockout (django-axes), passwords, sessions, the admin's path."""

import datetime as dt
import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import clear_url_caches
from django.utils import timezone

from portal.accounts import client_ip

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Тулпар-Моторс-2025-сборка"
LOGIN = "/admin/login/"
ADDRESS = "203.0.113.7"


@pytest.fixture
def editor(db):
    return User.objects.create_user("redaktor", password=PASSWORD, is_staff=True)


def sign_in(password: str, *, username: str = "redaktor", address: str = ADDRESS, **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})
    return client, response


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(times: int, *, username: str = "redaktor", address: str = ADDRESS, **headers) -> list[int]:
    """Sign in ``times`` times with a wrong password; the status codes answered."""
    statuses = []
    for _ in range(times):
        client, response = sign_in("не-тот-пароль", username=username, address=address, **headers)
        assert not signed_in(client)
        statuses.append(response.status_code)
    return statuses


# --- Lockout ------------------------------------------------------------------


def test_the_right_password_signs_in(editor):
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(editor, settings):
    limit = settings.AXES_FAILURE_LIMIT
    # The form comes back after each failure; the last one allowed answers "Too Many Requests".
    assert fail(limit) == [200] * (limit - 1) + [429]
    client, response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lockout_page_explains_itself_in_russian(editor, settings):
    fail(settings.AXES_FAILURE_LIMIT)
    _, response = sign_in(PASSWORD)
    assert response.status_code == 429
    content = response.content.decode()
    assert "Вход временно закрыт" in content
    assert f"неверно {settings.AXES_FAILURE_LIMIT} раз подряд" in content
    assert PASSWORD not in content


def test_failures_below_the_limit_do_not_lock_out(editor, settings):
    fail(settings.AXES_FAILURE_LIMIT - 1)
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_limit_is_five_failures(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_a_lockout_holds_only_for_that_user_from_that_address(editor, settings):
    User.objects.create_user("vypuskayushchiy", password=PASSWORD, is_staff=True)
    fail(settings.AXES_FAILURE_LIMIT)
    assert signed_in(sign_in(PASSWORD, address="198.51.100.20")[0]), "same user, other address"
    assert signed_in(sign_in(PASSWORD, username="vypuskayushchiy")[0]), "other user, same address"
    assert not signed_in(sign_in(PASSWORD)[0])


def test_axes_reset_lifts_the_lockout(editor, settings):
    fail(settings.AXES_FAILURE_LIMIT)
    assert sign_in(PASSWORD)[1].status_code == 429
    call_command("axes_reset", verbosity=0)
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_axes_reset_username_lifts_one_lockout(editor, settings):
    fail(settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", "redaktor", verbosity=0)
    assert signed_in(sign_in(PASSWORD)[0])


def test_a_lockout_ends_after_the_cool_off(editor, settings):
    fail(settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert signed_in(sign_in(PASSWORD)[0])


def test_staff_see_the_failed_attempts_in_the_admin(editor, settings, admin_client):
    fail(settings.AXES_FAILURE_LIMIT)
    response = admin_client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "redaktor" in content
    assert ADDRESS in content


def test_behind_a_proxy_each_visitor_address_counts_apart(editor, settings):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    proxy = "127.0.0.1"
    fail(settings.AXES_FAILURE_LIMIT, address=proxy, HTTP_X_REAL_IP=ADDRESS)
    assert not signed_in(sign_in(PASSWORD, address=proxy, HTTP_X_REAL_IP=ADDRESS)[0])
    other = sign_in(PASSWORD, address=proxy, HTTP_X_REAL_IP="198.51.100.20")[0]
    assert signed_in(other)


# --- Lockout of one address trying many user names -----------------------------


def fail_as_many_users(count: int, *, address: str = ADDRESS) -> list[int]:
    """One wrong password for each of ``count`` different user names from ``address``."""
    return [fail(1, username=f"guess-{n}", address=address)[0] for n in range(count)]


def test_the_address_limit_is_twenty_failures(settings):
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20
    assert settings.AXES_HANDLER == "portal.lockout.AddressLimitHandler"


def test_one_address_trying_many_user_names_is_locked_out(editor, settings):
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    # No single name reaches its own limit of 5; the address reaches its limit of 20.
    assert fail_as_many_users(limit) == [200] * (limit - 1) + [429]
    client, response = sign_in(PASSWORD)
    assert response.status_code == 429, "every name is locked at that address, the right one too"
    assert not signed_in(client)


def test_the_address_lockout_holds_only_for_that_address(editor, settings):
    fail_as_many_users(settings.AXES_ADDRESS_FAILURE_LIMIT)
    assert signed_in(sign_in(PASSWORD, address="198.51.100.20")[0])


def test_below_the_address_limit_an_editor_still_signs_in(editor, settings):
    fail_as_many_users(settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert signed_in(sign_in(PASSWORD)[0])


def test_an_attackers_own_sign_in_does_not_clear_the_address(editor, settings):
    # A successful sign-in clears that user's failures only, not the other names'.
    fail_as_many_users(settings.AXES_ADDRESS_FAILURE_LIMIT - 1)
    assert signed_in(sign_in(PASSWORD)[0])
    assert fail(1, username="guess-last") == [429]


def test_the_address_lockout_page_says_why(editor, settings):
    fail_as_many_users(settings.AXES_ADDRESS_FAILURE_LIMIT)
    _, response = sign_in(PASSWORD)
    content = response.content.decode()
    assert "Вход временно закрыт" in content
    assert "С вашего адреса слишком много неудачных попыток входа под разными" in content
    assert "раз подряд" not in content


def test_an_address_limit_not_above_the_pair_limit_is_refused_by_name():
    result = settings_value("s.AXES_ADDRESS_FAILURE_LIMIT", AXES_ADDRESS_FAILURE_LIMIT="5")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "AXES_ADDRESS_FAILURE_LIMIT=5 must be higher than AXES_FAILURE_LIMIT=5" in last


def test_client_ip_reads_only_the_named_header(rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=ADDRESS)
    settings.CLIENT_IP_HEADER = ""
    assert client_ip(request) == "127.0.0.1"
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client_ip(request) == ADDRESS
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


# --- Passwords -------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Korotkiy1!",  # under 12 characters
        "1q2w3e4r5t6y",  # 12 characters, but a common password
        "839201746519",  # digits only
        "redaktor2025!",  # close to the user name
    ],
)
def test_weak_passwords_are_refused(editor, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=editor)


def test_a_long_uncommon_password_is_accepted(editor):
    validate_password("сборка автобусов в Бишкеке", user=editor)


def test_the_minimum_length_is_twelve(editor):
    validate_password("zvx-7Qpw-kLm", user=editor)
    with pytest.raises(ValidationError) as error:
        validate_password("zvx-7Qpw-kL", user=editor)
    assert error.value.error_list[0].code == "password_too_short"


# --- Sessions --------------------------------------------------------------------


def test_the_session_cookie_ends_with_the_browser(editor):
    _, response = sign_in(PASSWORD)
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"]
    assert not cookie["expires"]
    assert cookie["httponly"]


def test_a_session_lasts_eight_hours_on_the_server(editor, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    client, _ = sign_in(PASSWORD)
    session = Session.objects.get(session_key=client.session.session_key)
    left = session.expire_date - timezone.now()
    assert dt.timedelta(hours=7, minutes=59) < left <= dt.timedelta(hours=8)


def test_an_expired_session_signs_the_editor_out(editor):
    client, _ = sign_in(PASSWORD)
    assert client.get("/admin/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- The admin's path ------------------------------------------------------------


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"ADMIN_PATH", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", f"import portal.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "admin/"), ("office-7f3c", "office-7f3c/"), ("/redaktsiya/vhod/", "redaktsiya/vhod/")],
)
def test_admin_path_comes_from_the_environment(value, expected):
    env = {"ADMIN_PATH": value} if value else {}
    assert settings_value("s.ADMIN_PATH", **env).stdout.strip() == expected


@pytest.mark.parametrize("value", ["/", "admin?x", "ад мин", "../etc"])
def test_a_bad_admin_path_is_refused_by_name(value):
    result = settings_value("s.ADMIN_PATH", ADMIN_PATH=value)
    assert result.returncode != 0
    assert "ADMIN_PATH=" in result.stderr


@pytest.fixture
def admin_moved(settings):
    """The URLs built again with the admin at another path, restored afterwards."""
    import portal.urls

    settings.ADMIN_PATH = "office-7f3c/"
    clear_url_caches()
    importlib.reload(portal.urls)
    yield
    settings.ADMIN_PATH = "admin/"
    importlib.reload(portal.urls)
    clear_url_caches()


def test_the_admin_answers_at_admin_path_only(editor, admin_moved):
    client = Client()
    response = client.get("/office-7f3c/")
    assert response.status_code == 302
    assert response["Location"].startswith("/office-7f3c/login/")
    assert client.get("/admin/").status_code == 404
    response = client.post(
        "/office-7f3c/login/", {"username": "redaktor", "password": PASSWORD}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 302
    assert signed_in(client)
