import logging
import time

import pytest
from django.db import connection
from django.test import Client


def test_healthz_is_ok_when_the_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_healthz_is_never_cached(db, client):
    assert client.get("/healthz")["Cache-Control"] == "no-store"


def test_healthz_answers_head_requests(db, client):
    assert client.head("/healthz").status_code == 200


def test_healthz_runs_one_query_and_leaves_the_session_alone(
    db, client, settings, django_assert_num_queries
):
    # A session cookie would cost a session lookup if the check touched the session.
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert "Cookie" not in response.get("Vary", "")
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_healthz_is_503_when_the_database_fails(broken_database, client, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.views"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    assert "database" in caplog.text


def test_favicon_redirects_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


def test_healthz_sets_no_cookie_even_for_a_signed_in_editor(
    db, client, django_user_model, django_assert_num_queries
):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    with django_assert_num_queries(1):  # SELECT 1: no session or user lookup
        response = client.get("/healthz")
    assert response.status_code == 200
    assert not response.cookies
    assert "Vary" not in response
    assert "Set-Cookie" not in response


def test_healthz_answers_its_own_503_under_the_outage_middleware(broken_database, settings):
    assert "portal.outage.DatabaseOutageMiddleware" in settings.MIDDLEWARE
    response = Client(raise_request_exception=False).get("/healthz")
    # Plain text for the load balancer, not the visitors' page.
    assert response.status_code == 503
    assert response.content == b"database unavailable"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_fast_when_postgresql_is_unreachable(client):
    """The driver's own error: the connection points at a socket folder with no server."""
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"]
    connection.close()
    settings_dict["HOST"] = "/nonexistent-postgresql-socket-folder"
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
    finally:
        connection.close()
        settings_dict["HOST"] = host
    assert response.status_code == 503
    assert elapsed < 1.0
    # Back as soon as the database is: the next check reconnects.
    assert client.get("/healthz").status_code == 200
