"""Every paginated page is its own canonical, and a page that does not exist is 404.

The rule is the same on every list (the archive, tag pages, entity timelines,
entity lists, search): ``?page=N`` stays in the canonical for N ≥ 2 and nothing
else of the query does; a page past the end, or a ``page`` that is not a page
number written plainly (``abc``, ``0``, ``02``), answers 404; no ``page`` or an
empty one is the first page.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from articles.linking import add_link
from articles.models import Tag
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)
from companies.views import EntityListView

PER_PAGE = 20
ARTICLES = PER_PAGE + 5  # two pages
NOT_PAGES = ["abc", "0", "-1", "02", " 2 ", "1.5", "٢", "9" * 40]


@pytest.fixture
def timelines(db) -> list[str]:
    """Two pages of articles on every article list: the archive, a tag, an
    entity of each kind. Returns the lists' addresses."""
    entities = [CompanyFactory(), VehicleModelFactory(), OfficialFactory(), CountryFactory()]
    now = timezone.now()
    for n in range(ARTICLES):
        article = ArticleFactory(
            published_at=now - dt.timedelta(hours=n + 1), tags=["Грузовики", "Сборка"]
        )
        for entity in entities:
            add_link(article=article, entity=entity)
    tag = Tag.objects.get(name="Грузовики")
    return ["/news/", tag.get_absolute_url(), *(e.get_absolute_url() for e in entities)]


def head_links(content: str) -> tuple[str, str]:
    canonical = re.search(r'<link rel="canonical" href="([^"]*)">', content)[1]
    og_url = re.search(r'<meta property="og:url" content="([^"]*)">', content)[1]
    return canonical, og_url


def test_every_page_of_an_article_list_is_its_own_canonical(timelines, client):
    for path in timelines:
        first = client.get(path, {"page": "1"}).content.decode()
        second = client.get(path, {"page": "2", "utm_source": "x", "q": "y"}).content.decode()
        assert head_links(first) == (f"http://testserver{path}",) * 2, path
        assert head_links(second) == (f"http://testserver{path}?page=2",) * 2, path


def test_the_previous_page_of_page_two_is_the_first_pages_address(timelines, client):
    for path in timelines:
        content = client.get(path, {"page": "2"}).content.decode()
        assert f'<a rel="prev" href="{path}">' in content, path


def test_pages_past_the_end_of_an_article_list_are_not_found(timelines, client):
    for path in timelines:
        assert client.get(path, {"page": "2"}).status_code == 200, path
        assert client.get(path, {"page": "3"}).status_code == 404, path
        assert client.get(path, {"page": "999"}).status_code == 404, path


@pytest.mark.parametrize("value", NOT_PAGES)
def test_values_that_are_no_page_number_are_not_found(timelines, client, value):
    for path in timelines:
        assert client.get(path, {"page": value}).status_code == 404, path


def test_no_page_or_an_empty_one_is_the_first_page(timelines, client):
    for path in timelines:
        first = client.get(path).context["page_obj"]
        assert client.get(path, {"page": ""}).context["page_obj"].number == first.number == 1


def test_an_empty_list_still_has_its_first_page(db, client):
    response = client.get("/news/")
    assert response.status_code == 200
    assert client.get("/news/", {"page": "2"}).status_code == 404


def test_entity_lists_follow_the_same_rule(db, client, monkeypatch):
    monkeypatch.setattr(EntityListView, "paginate_by", 2)
    CompanyFactory.create_batch(3)
    second = client.get("/companies/", {"page": "2", "sort": "x"}).content.decode()
    assert head_links(second) == ("http://testserver/companies/?page=2",) * 2
    assert client.get("/companies/", {"page": "3"}).status_code == 404
    assert client.get("/companies/", {"page": "abc"}).status_code == 404
    assert client.get("/models/").status_code == 200  # empty: the first page exists


# Search -------------------------------------------------------------------------


@pytest.fixture
def conveyor_news(db):
    for n in range(ARTICLES):
        ArticleFactory(title=f"Конвейер {n}", published_at=timezone.now() - dt.timedelta(hours=n))


def test_search_pages_are_their_own_canonical_with_the_query(conveyor_news, client):
    first = client.get("/search/", {"q": "конвейер", "page": "1"}).content.decode()
    second = client.get("/search/", {"q": "конвейер", "page": "2", "x": "1"}).content.decode()
    query = "q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%B9%D0%B5%D1%80"
    assert head_links(first) == (f"http://testserver/search/?{query}",) * 2
    assert head_links(second) == (f"http://testserver/search/?{query}&amp;page=2",) * 2
    assert f'<a rel="prev" href="?{query}">' in second


@pytest.mark.parametrize("value", ["3", "999", *NOT_PAGES])
def test_search_pages_that_do_not_exist_are_not_found(conveyor_news, client, value):
    assert client.get("/search/", {"q": "конвейер", "page": value}).status_code == 404


def test_search_without_results_has_only_its_first_page(db, client):
    assert client.get("/search/", {"q": "конвейер"}).status_code == 200
    assert client.get("/search/", {"q": "конвейер", "page": "2"}).status_code == 404
    assert client.get("/search/", {"page": "2"}).status_code == 404


def test_later_pages_say_their_number_in_the_title(timelines, client):
    for path in timelines:
        content = client.get(path, {"page": "2"}).content.decode()
        assert re.search(r"<title>[^<]*, страница 2 — ", content), path
