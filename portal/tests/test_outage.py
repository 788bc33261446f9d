"""The friendly 503 page while the database is down (portal/outage.py)."""

import importlib
import os

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory
from portal.outage import DatabaseOutageMiddleware, is_database_outage, outage_response

MIDDLEWARE = "portal.outage.DatabaseOutageMiddleware"
FRIENDLY = "Сайт временно недоступен"


def raise_operational(request):
    raise OperationalError('connection to server on socket "/tmp/x/.s.PGSQL.5432" failed')


def raise_interface(request):
    raise InterfaceError("connection already closed")


def raise_wrapped(request):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as error:
        raise RuntimeError("while rendering") from error


def raise_programming(request):
    raise DatabaseError("syntax error at or near SELEC")


def raise_value(request):
    raise ValueError("a bug, not an outage")


# Used by the tests marked urls("portal.tests.test_outage").
urlpatterns = [
    path("operational/", raise_operational),
    path("interface/", raise_interface),
    path("wrapped/", raise_wrapped),
    path("programming/", raise_programming),
    path("bug/", raise_value),
    path("fine/", lambda request: HttpResponse("fine")),
]


@pytest.fixture(autouse=True)
def outage_middleware(settings):
    """The middleware in place, right after the security middleware, as in production."""
    middleware = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    middleware.insert(
        middleware.index("django.middleware.security.SecurityMiddleware") + 1, MIDDLEWARE
    )
    settings.MIDDLEWARE = middleware


@pytest.fixture
def visitor():
    # Answers, not re-raised exceptions: what a visitor would get.
    return Client(raise_request_exception=False)


def assert_friendly_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = response.content.decode()
    assert FRIENDLY in body
    assert '<html lang="ru">' in body
    assert '<meta name="robots" content="noindex">' in body
    for leak in ("Traceback", "OperationalError", "InterfaceError", "connection", ".s.PGSQL"):
        assert leak not in body


def test_the_middleware_is_installed_before_anything_that_reads_the_database():
    # The settings module itself: the fixture above overrides what django.conf shows.
    middleware = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"]).MIDDLEWARE
    assert MIDDLEWARE in middleware
    position = middleware.index(MIDDLEWARE)
    assert middleware.index("django.middleware.security.SecurityMiddleware") < position
    # The page cache comes first and turns its own database errors into an
    # uncached page (test_every_kind_of_page_answers_503_while_the_database_is_down
    # runs with it on).
    for reader in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    ):
        assert position < middleware.index(reader), reader


@pytest.mark.urls("portal.tests.test_outage")
@pytest.mark.parametrize("url", ["/operational/", "/interface/", "/wrapped/"])
def test_database_outage_errors_answer_503(visitor, url):
    assert_friendly_503(visitor.get(url))


@pytest.mark.urls("portal.tests.test_outage")
@pytest.mark.parametrize("url", ["/programming/", "/bug/"])
def test_other_errors_stay_server_errors(visitor, url):
    response = visitor.get(url)
    assert response.status_code == 500
    assert FRIENDLY not in response.content.decode()
    assert "Retry-After" not in response


@pytest.mark.urls("portal.tests.test_outage")
def test_pages_that_work_are_left_alone(visitor):
    response = visitor.get("/fine/")
    assert response.status_code == 200
    assert response.content == b"fine"


@pytest.mark.urls("portal.tests.test_outage")
def test_head_gets_the_status_without_a_body(visitor):
    response = visitor.head("/operational/")
    assert response.status_code == 503
    assert response.content == b""


@pytest.mark.urls("portal.tests.test_outage")
def test_security_headers_reach_the_503_page(visitor):
    response = visitor.get("/operational/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == django_settings.X_FRAME_OPTIONS


@pytest.mark.parametrize("page", ["home", "article", "company", "search", "archive", "companies"])
def test_every_kind_of_page_answers_503_while_the_database_is_down(db, visitor, page):
    article = ArticleFactory()
    company = CompanyFactory()
    url = {
        "home": "/",
        "article": article.get_absolute_url(),
        "company": company.get_absolute_url(),
        "search": "/search/?q=завод",
        "archive": "/news/",
        "companies": "/companies/",
    }[page]
    with pytest.MonkeyPatch.context() as patch:

        def cursor(*args, **kwargs):
            raise OperationalError("connection refused")

        patch.setattr(connections["default"], "cursor", cursor)
        assert_friendly_503(visitor.get(url))
    # The database is back: the same page answers again, nothing to restart.
    assert visitor.get(url).status_code == 200


def test_a_signed_in_editor_gets_the_503_page_too(broken_database, visitor, settings):
    visitor.cookies[settings.SESSION_COOKIE_NAME] = "some-session-key"
    assert_friendly_503(visitor.get("/"))


def test_with_the_page_cache_on_every_page_answers_503_while_the_database_is_down(
    broken_database, visitor, settings
):
    settings.PAGE_CACHE = True
    for url in ("/", "/news/", "/companies/", "/search/?q=завод"):
        assert_friendly_503(visitor.get(url))


def test_the_page_cache_does_not_keep_the_503_page(db, visitor, settings):
    settings.PAGE_CACHE = True
    with pytest.MonkeyPatch.context() as patch:

        def cursor(*args, **kwargs):
            raise OperationalError("connection refused")

        patch.setattr(connections["default"], "cursor", cursor)
        assert_friendly_503(visitor.get("/"))
    response = visitor.get("/")
    assert response.status_code == 200
    assert FRIENDLY not in response.content.decode()


def test_the_503_page_needs_no_database(broken_database, rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = outage_response(rf.get("/"))
    assert_friendly_503(response)


def test_is_database_outage():
    assert is_database_outage(OperationalError("x"))
    assert is_database_outage(InterfaceError("x"))
    assert not is_database_outage(DatabaseError("x"))
    assert not is_database_outage(ValueError("x"))
    assert not is_database_outage(None)
    try:
        try:
            raise InterfaceError("closed")
        except InterfaceError:
            raise KeyError("during handling") from None
    except KeyError as error:
        # "from None" hides the context from tracebacks, not from __context__:
        # the database error is still what went wrong.
        assert is_database_outage(error)


def test_the_middleware_passes_responses_through(rf):
    response = HttpResponse("x", status=500)
    middleware = DatabaseOutageMiddleware(lambda request: response)
    assert middleware(rf.get("/")) is response


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_unreachable_postgresql_answers_503_then_recovers(visitor):
    """The driver's own error: the connection points at a socket folder with no server."""
    article = ArticleFactory()
    url = article.get_absolute_url()
    assert visitor.get(url).status_code == 200
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"]
    connection.close()
    settings_dict["HOST"] = "/nonexistent-postgresql-socket-folder"
    try:
        assert_friendly_503(visitor.get(url))
        assert_friendly_503(visitor.get("/"))
        assert visitor.get("/healthz").status_code == 503
    finally:
        connection.close()
        settings_dict["HOST"] = host
    assert visitor.get(url).status_code == 200
    assert visitor.get("/healthz").status_code == 200
