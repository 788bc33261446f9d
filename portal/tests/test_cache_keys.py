"""Every page declares the query parameters it reads (``portal.cachekeys``): a page
that read one it did not declare would be served from another query's copy."""

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.http import QueryDict
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from articles.tests.factories import ArticleFactory
from companies.kinds import KINDS
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)
from following.models import Reader
from following.tokens import confirm_token, manage_token
from portal.cachekeys import NO_QUERY, QueryKey, as_written, declared_query, reads_query

# Every parameter a page of this site might read, and some no page reads.
PROBE_QUERY = "page=2&q=завод&p=2&x=1&utm_source=mail"
# Addresses that are not pages of the site.
NOT_PAGES = {"admin", "favicon"}


class RecordingQueryDict(QueryDict):
    """A query string that notes which parameters were read from it."""

    reads: set[str] = set()  # what building it reads is not the view's reading

    def __init__(self, query_string: str, reads: set[str]) -> None:
        super().__init__(query_string)
        self.reads = reads

    def __getitem__(self, key):
        self.reads.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.reads.add(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self.reads.add(key)
        return super().getlist(key, default)

    def __iter__(self):
        self.reads.add("*every parameter*")
        return super().__iter__()

    def items(self):
        self.reads.add("*every parameter*")
        return super().items()

    def lists(self):
        self.reads.add("*every parameter*")
        return super().lists()


@pytest.fixture
def reads(monkeypatch):
    """The parameters the views read from ``request.GET``, per request."""
    read: set[str] = set()

    def recording_get(request):
        if "_recording_get" not in request.__dict__:
            query = request.META.get("QUERY_STRING", "")
            request.__dict__["_recording_get"] = RecordingQueryDict(query, read)
        return request.__dict__["_recording_get"]

    monkeypatch.setattr(WSGIRequest, "GET", property(recording_get))
    return read


@pytest.fixture
def site(db):
    article = ArticleFactory(tags=["Автобусы"])
    entities = [CompanyFactory(), VehicleModelFactory(), OfficialFactory(), CountryFactory()]
    for kind in KINDS:
        getattr(article, kind.key).add(*(e for e in entities if isinstance(e, kind.model)))
    tag = article.tags.get().get_absolute_url()
    entity_pages = [entity.get_absolute_url() for entity in entities]
    reader = Reader.objects.create(email="probe@example.org")
    reader_pages = [
        reverse("following:follow", args=["companies", entities[0].slug]),
        reverse("following:confirm", args=[confirm_token(reader)]),
        reverse("following:manage", args=[manage_token(reader)]),
        reverse("following:unsubscribe", args=[manage_token(reader)]),
    ]
    return [
        "/",
        "/news/",
        article.get_absolute_url(),
        article.get_absolute_url().rstrip("/") + ".json",
        tag,
        tag + "feed/",
        "/search/",
        "/feeds/news.xml",
        *entity_pages,
        *(page + "feed/" for page in entity_pages),
        *(f"/{kind.path}/" for kind in KINDS),
        "/robots.txt",
        "/healthz",
        "/ok",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        *reader_pages,
    ]


def url_names(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace != "admin":
                names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_page_of_the_site_is_checked(site):
    checked = {resolve(url).view_name for url in site}
    assert url_names(get_resolver().url_patterns) - checked - NOT_PAGES == set()


def test_every_page_declares_what_it_reads(site, client, reads):
    undeclared = {}
    for url in site:
        reads.clear()
        client.get(f"{url}?{PROBE_QUERY}")
        declared = set(declared_query(resolve(url).func).parameters)
        if reads - declared:
            undeclared[url] = sorted(reads - declared)
    assert undeclared == {}


def test_pages_declare_only_what_they_read():
    assert set(declared_query(resolve("/").func).parameters) == set()
    assert set(declared_query(resolve("/news/").func).parameters) == {"page"}
    assert set(declared_query(resolve("/search/").func).parameters) == {"page", "q"}


def test_a_key_holds_the_declared_parameters_in_name_order_with_their_last_value():
    key = QueryKey(page=as_written, q=as_written)
    assert key.key_part(QueryDict("x=1&q=b&page=2&q=a")) == "page=2&q=a"
    assert key.key_part(QueryDict("x=1")) == ""


def test_a_normaliser_saying_none_counts_as_absent():
    key = QueryKey(page=lambda value: value.strip() or None)
    assert key.key_part(QueryDict("page=%20")) == key.key_part(QueryDict("")) == ""


def test_a_view_that_declares_nothing_reads_nothing():
    assert declared_query(lambda request: None) is NO_QUERY


def test_a_declared_function_view_still_answers():
    @reads_query(q=as_written)
    def view(request):
        return "answer"

    assert view(None) == "answer"
    assert list(view.cache_query.parameters) == ["q"]
