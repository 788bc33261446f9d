"""The page cache cannot be busted: parameters a page does not read and session
cookies that are no staff session change nothing, while staff still get fresh pages."""

import datetime as dt
import secrets

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test.signals import template_rendered

from articles.models import Article
from articles.roles import AUTHOR, setup_roles
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory
from portal.middleware import PageCacheMiddleware

# The page cache on for every test here (the cache_on fixture, conftest.py).
pytestmark = pytest.mark.usefixtures("cache_on")


@pytest.fixture
def story(db, django_capture_on_commit_callbacks):
    """A published article mentioning a company, with a tag (committed, so the
    content version does not change under the test)."""
    with django_capture_on_commit_callbacks(execute=True):
        company = CompanyFactory(name="Тулпар Моторс", slug="tulpar-motors")
        article = ArticleFactory(title="Камаз выпустил автобус", tags=["Автобусы"])
        article.companies.add(company)
    return article


@pytest.fixture
def renders():
    """How many public pages were rendered (a page from the cache renders none)."""
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template)

    template_rendered.connect(count)
    yield rendered
    template_rendered.disconnect(count)


def public_pages(article) -> list[str]:
    return [
        "/",
        "/news/",
        article.get_absolute_url(),
        article.companies.get().get_absolute_url(),
        "/companies/",
        article.tags.get().get_absolute_url(),
        "/search/?q=автобус",
        "/feeds/news.xml",
        "/sitemap.xml",
        "/sitemap-articles.xml",
    ]


def with_query(url: str, query: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{query}"


def cache_of(response) -> str:
    return response.get("X-Cache", "none")


# Query parameters ----------------------------------------------------------------------


def test_parameters_a_page_does_not_read_share_its_cached_copy(story, client):
    for url in public_pages(story):
        client.get(url)
        busting = [with_query(url, f"x={secrets.token_hex(4)}") for _ in range(3)]
        busting.append(with_query(url, "utm_source=mail&fbclid=abc&q2=1"))
        assert [cache_of(client.get(busted)) for busted in busting] == ["HIT"] * 4, url


def test_random_parameters_on_search_render_it_once(story, client, renders):
    for _ in range(10):
        client.get("/search/", {"q": "автобус", "nocache": secrets.token_hex(8)})
    assert len(renders) == 1


def test_order_of_parameters_does_not_matter(story, client):
    client.get("/search/?q=автобус&page=1&x=1")
    assert cache_of(client.get("/search/?x=2&page=1&q=автобус")) == "HIT"


def test_a_repeated_parameter_counts_as_the_page_reads_it(story, client):
    # Django's QueryDict.get, which the views use, gives the last value.
    first = client.get("/search/?q=автобус")
    repeated = client.get("/search/?q=завод&q=автобус")
    assert cache_of(repeated) == "HIT"
    assert repeated.content == first.content


def test_the_first_page_has_one_copy_however_it_is_written(story, client):
    client.get("/news/")
    for url in ["/news/?page=1", "/news/?page=", "/news/?page=2&page=1"]:
        assert cache_of(client.get(url)) == "HIT", url


def test_parameters_a_page_reads_still_make_a_page_of_their_own(db, client, renders):
    ArticleFactory.create_batch(45)
    pages = [client.get(f"/news/?page={number}").content for number in (1, 2, 3)]
    assert len(set(pages)) == 3
    # The last value is the page shown: never page 2's copy for it.
    assert client.get("/news/?page=2&page=3").content == pages[2]
    assert cache_of(client.get("/search/?q=завод")) == "MISS"


def test_search_queries_the_search_reads_alike_share_a_page(story, client, renders):
    client.get("/search/", {"q": "Камаз автобус"})
    for same in ["  Камаз   автобус ", "Камаз\tавтобус", "Камаз\x00автобус"]:
        assert cache_of(client.get("/search/", {"q": same})) == "HIT", repr(same)
    assert len(renders) == 1


def test_search_queries_shown_differently_do_not_share_a_page(story, client):
    # The page repeats the query as written: «камаз» is searched like «Камаз» but
    # shown as typed, so the two are different pages.
    client.get("/search/", {"q": "Камаз"})
    lower = client.get("/search/", {"q": "камаз"})
    assert cache_of(lower) == "MISS"
    assert 'value="камаз"' in lower.content.decode()


def test_a_query_cut_to_length_is_not_the_query_it_was_cut_to(story, client):
    cut_to = "автобус " * 24 + "автобус"  # 199 characters, kept whole
    client.get("/search/", {"q": cut_to})
    assert cache_of(client.get("/search/", {"q": cut_to + " завод"})) == "MISS"


def test_the_sitemap_page_parameter_counts(story, client):
    client.get("/sitemap-articles.xml")
    assert cache_of(client.get("/sitemap-articles.xml?p=1")) == "HIT"
    assert client.get("/sitemap-articles.xml?p=2").status_code == 404


# Session cookies -----------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    setup_roles()
    user = django_user_model.objects.create_user(
        "avtor", password="a long enough password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=AUTHOR))
    return user


def session_of(client, user):
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize(
    "cookie",
    ["x", secrets.token_hex(16), "a" * 40, "b" * 5000, "<script>"],
    ids=["short", "well-formed", "40", "huge", "odd"],
)
def test_a_made_up_session_cookie_is_served_from_the_cache(story, client, cookie):
    client.get("/")
    client.cookies["sessionid"] = cookie
    response = client.get("/")
    assert cache_of(response) == "HIT"
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=1"


def test_a_made_up_session_cookie_fills_the_cache_as_anyone_would(story, client):
    client.cookies["sessionid"] = secrets.token_hex(16)
    assert cache_of(client.get("/news/")) == "MISS"
    client.cookies.clear()
    assert cache_of(client.get("/news/")) == "HIT"


def test_an_expired_staff_session_is_anonymous(story, client, staff):
    client.get("/")
    key = session_of(client, staff)
    Session.objects.filter(pk=key).update(expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert cache_of(client.get("/")) == "HIT"


def test_a_signed_out_session_is_anonymous(story, client, staff):
    client.get("/")
    session_of(client, staff)
    stale = client.cookies["sessionid"].value
    client.logout()
    client.cookies["sessionid"] = stale
    assert cache_of(client.get("/")) == "HIT"


def test_a_session_of_someone_who_is_not_staff_is_anonymous(story, client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="a long enough password")
    client.get("/")
    session_of(client, reader)
    assert cache_of(client.get("/")) == "HIT"


def test_a_staff_session_is_never_served_from_the_cache(story, client, staff):
    client.get("/")
    session_of(client, staff)
    response = client.get("/")
    assert cache_of(response) == "none"
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_a_staff_session_never_fills_the_cache(story, client, staff):
    session_of(client, staff)
    client.get("/news/")
    client.logout()
    assert cache_of(client.get("/news/")) == "MISS"


def test_a_staff_session_still_previews_drafts(story, client, staff):
    # Staff preview their own drafts (articles.access); the cache must not get in the way.
    draft = ArticleFactory(title="Черновик", status=Article.Status.DRAFT, author=staff)
    session_of(client, staff)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_a_made_up_session_cookie_sees_no_draft(story, client):
    draft = ArticleFactory(title="Черновик", status=Article.Status.DRAFT)
    client.cookies["sessionid"] = secrets.token_hex(16)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_a_made_up_cookie_costs_one_session_lookup_then_none(
    story, client, django_assert_num_queries
):
    client.get("/")
    client.cookies["sessionid"] = secrets.token_hex(16)
    with django_assert_num_queries(2):  # the session, the content version
        assert cache_of(client.get("/")) == "HIT"
    with django_assert_num_queries(1):  # the content version: the cookie is known
        assert cache_of(client.get("/")) == "HIT"


def test_an_authorization_header_changes_nothing(story, client):
    client.get("/")
    assert cache_of(client.get("/", HTTP_AUTHORIZATION="Basic eDp5")) == "HIT"


# Tokens ------------------------------------------------------------------------------


def page_with_a_form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@pytest.mark.parametrize("csrf_cookie", [None, "k" * 32], ids=["new visitor", "known visitor"])
def test_a_page_with_a_csrf_token_is_never_stored(db, rf, csrf_cookie):
    middleware = PageCacheMiddleware(CsrfViewMiddleware(page_with_a_form))
    tokens = set()
    for _ in range(2):
        request = rf.get("/form/")
        if csrf_cookie:
            request.COOKIES["csrftoken"] = csrf_cookie
        response = middleware(request)
        assert "X-Cache" not in response
        tokens.add(response.content)
    assert len(tokens) == 2
