import logging

import pytest
from django.db import OperationalError, connections


@pytest.fixture
def broken_database(db):
    def cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    # Its own patch, not the monkeypatch fixture: that one is undone only after the
    # test database's teardown, which needs a working cursor to roll back.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connections["default"], "cursor", cursor)
        yield


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
