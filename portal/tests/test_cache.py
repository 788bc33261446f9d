"""The page cache: hits are cheap, every change shows at once, staff always see fresh pages."""

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import http_date

from articles.models import Article, Tag
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory
from portal import cache as page_cache
from portal.cache import bump_content_version, content_version
from portal.middleware import PageCacheMiddleware, shareable
from portal.models import ContentVersion

ROOT = Path(__file__).resolve().parents[2]
CHANGELIST = "/admin/articles/article/"


# The page cache on for every test here (the cache_on fixture, conftest.py).
pytestmark = pytest.mark.usefixtures("cache_on")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks at its end, as a real commit would.

    Tests run inside a transaction that never commits, and the version changes
    only on commit.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def story(db, committed):
    """A published article mentioning a company, with a tag."""
    with committed():
        company = CompanyFactory(name="Тулпар Моторс", slug="tulpar-motors")
        article = ArticleFactory(title="Завод выпустил автобус", tags=["Автобусы"])
        article.companies.add(company)
    return article


def story_pages(article) -> list[str]:
    company = article.companies.get()
    tag = article.tags.get()
    return [
        "/",
        "/news/",
        article.get_absolute_url(),
        company.get_absolute_url(),
        tag.get_absolute_url(),
        "/feeds/news.xml",
        "/news-sitemap.xml",
    ]


def warm(client, urls: list[str]) -> None:
    """Visit every page twice, so each is stored and then served from the cache."""
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url


def showing(client, urls: list[str], text: str) -> list[str]:
    return [url for url in urls if text in client.get(url).content.decode()]


# Hits -----------------------------------------------------------------------------


def test_second_visit_is_served_from_the_cache(story, client):
    first = client.get("/")
    second = client.get("/")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_costs_one_query_for_the_version(story, client, django_assert_num_queries):
    # The version row in the database; no session, no view, no template.
    client.get("/")
    with django_assert_num_queries(1):
        assert client.get("/")["X-Cache"] == "HIT"


def test_with_a_shared_cache_a_hit_costs_no_query(
    story, client, monkeypatch, django_assert_num_queries
):
    # Redis keeps the version next to the pages; local memory stands in for it.
    monkeypatch.setattr(page_cache, "SHARED_BACKENDS", (LocMemCache,))
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/")["X-Cache"] == "HIT"


def test_every_public_page_is_cached(story, client):
    warm(client, [*story_pages(story), "/sitemap.xml", "/companies/", "/robots.txt"])


def test_pages_are_kept_per_host(story, client, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    client.get("/", HTTP_HOST="a.example")
    response = client.get("/", HTTP_HOST="b.example")
    assert response["X-Cache"] == "MISS"
    assert "http://b.example/" in response.content.decode()


def test_search_pages_are_kept_per_query(story, client):
    client.get("/search/", {"q": "автобус"})
    assert client.get("/search/", {"q": "автобус"})["X-Cache"] == "HIT"
    assert client.get("/search/", {"q": "завод"})["X-Cache"] == "MISS"


def test_head_is_answered_from_the_cached_page(story, client):
    client.get("/")
    response = client.head("/")
    assert response.status_code == 200
    assert response["X-Cache"] == "HIT"


@pytest.mark.parametrize("url", ["/ok", "/healthz", "/no-such-page/", "/admin/login/"])
def test_some_answers_are_never_cached(db, client, url):
    client.get(url)
    assert "X-Cache" not in client.get(url)


def test_head_requests_do_not_fill_the_cache(story, client):
    client.head("/")
    assert client.get("/")["X-Cache"] == "MISS"


def with_cookie(response):
    response.set_cookie("seen", "1")
    return response


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(status=201),
        with_cookie(HttpResponse()),
        HttpResponse(headers={"Cache-Control": "private"}),
        HttpResponse(headers={"Cache-Control": "no-store"}),
        HttpResponse(headers={"Vary": "Accept-Encoding"}),
        StreamingHttpResponse([b"file"]),
    ],
    ids=["status", "cookie", "private", "no-store", "vary", "streaming"],
)
def test_personal_or_odd_answers_are_not_shared(response):
    assert not shareable(response)


def test_plain_answers_are_shared():
    assert shareable(HttpResponse(headers={"Vary": "Cookie"}))


def test_off_switch(story, client, settings, django_assert_num_queries):
    settings.PAGE_CACHE = False
    client.get("/")
    with django_assert_num_queries(3):  # the home page's own queries, every time
        response = client.get("/")
    assert "X-Cache" not in response


# Changes show at once -----------------------------------------------------------------


def test_publishing_shows_everywhere_at_once(story, client, committed):
    story.status = Article.Status.DRAFT
    with committed():
        story.save()
    pages = story_pages(story)
    # The article's page, and its tag's while only the draft carries the tag, are 404s.
    not_yet = {story.get_absolute_url(), story.tags.get().get_absolute_url()}
    warm(client, [url for url in pages if url not in not_yet])
    with committed():
        story.status = Article.Status.PUBLISHED
        story.save()
    assert showing(client, pages, "Завод выпустил автобус") == pages


def test_editing_the_title_shows_everywhere_at_once(story, client, committed):
    pages = story_pages(story)
    warm(client, pages)
    with committed():
        story.title = "Завод выпустил троллейбус"
        story.save()
    assert showing(client, pages, "Завод выпустил троллейбус") == pages


def test_unpublishing_hides_it_everywhere_at_once(story, client, committed):
    pages = story_pages(story)
    warm(client, pages)
    with committed():
        story.status = Article.Status.DRAFT
        story.save()
    assert showing(client, pages, "Завод выпустил автобус") == []
    assert client.get(story.get_absolute_url()).status_code == 404


def test_the_sitemap_follows_publishing(story, client, committed):
    warm(client, ["/sitemap.xml"])
    with committed():
        story.status = Article.Status.DRAFT
        story.save()
    assert story.get_absolute_url() not in client.get("/sitemap.xml").content.decode()


def test_admin_publish_action_shows_at_once(story, client, admin_client, committed):
    with committed():
        story.status = Article.Status.DRAFT
        story.save()
    warm(client, ["/", "/news/"])
    with committed():
        admin_client.post(
            CHANGELIST, {"action": "publish_selected", "_selected_action": [story.pk]}
        )
    assert showing(client, ["/", "/news/"], "Завод выпустил автобус") == ["/", "/news/"]


def test_admin_unpublish_action_hides_at_once(story, client, admin_client, committed):
    pages = story_pages(story)
    warm(client, pages)
    with committed():
        admin_client.post(
            CHANGELIST, {"action": "unpublish_selected", "_selected_action": [story.pk]}
        )
    assert showing(client, pages, "Завод выпустил автобус") == []


def test_admin_edit_shows_at_once(story, client, admin_client, committed):
    pages = story_pages(story)
    warm(client, pages)
    change_url = f"/admin/articles/article/{story.pk}/change/"
    data = form_data(admin_client.get(change_url))
    data["title"] = "Завод выпустил троллейбус"
    with committed():
        assert admin_client.post(change_url, data).status_code == 302
    assert showing(client, pages, "Завод выпустил троллейбус") == pages


def test_renaming_an_entity_shows_at_once(story, client, committed):
    company = story.companies.get()
    pages = [company.get_absolute_url(), story.get_absolute_url()]
    warm(client, pages)
    with committed():
        company.name = "Тулпар Моторс Групп"
        company.save()
    assert showing(client, pages, "Тулпар Моторс Групп") == pages


def test_adding_a_tag_shows_at_once(story, client, committed):
    with committed():
        # Another published article carries it: the tag page exists already.
        ArticleFactory(title="Электробус на линии", tags=["Электромобили"])
        tag_page = Tag.objects.get(name="Электромобили").get_absolute_url()
    warm(client, [story.get_absolute_url(), tag_page])
    with committed():
        story.tags.add("Электромобили")
    assert showing(client, [story.get_absolute_url(), tag_page], "Электромобили") == [
        story.get_absolute_url(),
        tag_page,
    ]
    assert "Завод выпустил автобус" in client.get(tag_page).content.decode()


def test_linking_an_entity_shows_at_once(story, client, committed):
    with committed():
        company = CompanyFactory(name="Камаз", slug="kamaz")
    warm(client, [company.get_absolute_url()])
    with committed():
        story.companies.add(company)
    assert "Завод выпустил автобус" in client.get(company.get_absolute_url()).content.decode()


def test_a_change_made_by_another_process_shows_at_once(story, client):
    # Another gunicorn worker has a cache of its own; what they share is the version.
    warm(client, ["/"])
    Article.objects.filter(pk=story.pk).update(title="Изменено в другом процессе")
    ContentVersion.objects.filter(pk=1).update(token="another-process")
    assert "Изменено в другом процессе" in client.get("/").content.decode()


def test_a_scheduled_article_comes_out_on_time(story, client, committed, monkeypatch):
    # Due well within the pages' ten minutes in the cache, and nothing is saved then.
    coming_out = timezone.now() + dt.timedelta(minutes=2)
    with committed():
        ArticleFactory(title="Запланированная новость", published_at=coming_out)
    pages = ["/", "/news/", "/feeds/news.xml"]
    warm(client, pages)
    assert showing(client, pages, "Запланированная новость") == []
    monkeypatch.setattr(timezone, "now", lambda: coming_out + dt.timedelta(seconds=1))
    assert showing(client, pages, "Запланированная новость") == pages


def test_pages_are_kept_for_page_cache_seconds(story, client, settings, monkeypatch):
    settings.PAGE_CACHE_SECONDS = 60
    client.get("/")
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get("/")["X-Cache"] == "MISS"


# The version ----------------------------------------------------------------------


def test_the_version_changes_only_when_the_transaction_commits(
    db, django_capture_on_commit_callbacks
):
    before = content_version()
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleFactory()
        assert content_version() == before
    for callback in callbacks:
        callback()
    assert content_version() != before


def test_one_transaction_changes_the_version_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleFactory.create_batch(3, tags=["Автобусы"])
        bump_content_version()
    assert len(callbacks) == 1


def test_a_rolled_back_savepoint_does_not_swallow_later_changes(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                ArticleFactory()
                raise RuntimeError("the editor's save failed")
        except RuntimeError:
            pass
        ArticleFactory()
    assert len(callbacks) == 1


def test_bulk_writes_bump_the_version_explicitly(db, committed):
    before = content_version()
    with committed():
        Article.objects.update(title="Массовая правка")  # no signal
        bump_content_version()
    assert content_version() != before


# Staff ----------------------------------------------------------------------------


def test_staff_never_get_cached_pages(story, client, admin_client):
    warm(client, ["/"])
    response = admin_client.get("/")
    assert "X-Cache" not in response
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_staff_visits_do_not_fill_the_cache(story, client, admin_client):
    admin_client.get("/")
    admin_client.get(story.get_absolute_url())
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get(story.get_absolute_url())["X-Cache"] == "MISS"


def test_staff_see_their_drafts_while_visitors_get_cached_pages(story, client, admin_client):
    draft = ArticleFactory(title="Черновик редактора", status=Article.Status.DRAFT)
    warm(client, ["/"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert admin_client.get(draft.get_absolute_url()).status_code == 200


def test_anonymous_pages_are_public_for_a_minute(story, client):
    response = client.get("/")
    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=1"
    assert response["Vary"] == "Cookie"


# Conditional GET ------------------------------------------------------------------


def test_if_none_match_gets_304(story, client):
    etag = client.get("/")["ETag"]
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Cache"] == "HIT"
    assert response.content == b""


def test_if_none_match_on_a_page_just_rendered_gets_304(story, client):
    etag = client.get("/")["ETag"]
    caches["default"].clear()
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, response["X-Cache"]) == (304, "MISS")


def test_if_none_match_after_a_change_gets_the_new_page(story, client, committed):
    etag = client.get("/")["ETag"]
    with committed():
        story.title = "Завод выпустил троллейбус"
        story.save()
    response = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Завод выпустил троллейбус" in response.content.decode()


def test_if_modified_since_gets_304(story, client):
    last_modified = client.get("/")["Last-Modified"]
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_if_modified_since_before_the_page_was_made_gets_the_page(story, client):
    client.get("/")
    an_hour_ago = http_date((timezone.now() - dt.timedelta(hours=1)).timestamp())
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=an_hour_ago).status_code == 200


# Redis ----------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    # Nothing listens on port 1: every connection is refused at once.
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


def test_pages_are_served_when_redis_is_down(story, redis_down, client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        responses = [client.get("/"), client.get("/")]
    assert [r.status_code for r in responses] == [200, 200]
    assert "Завод выпустил автобус" in responses[1].content.decode()
    assert "Page cache read failed" in caplog.text


def test_saving_works_when_redis_is_down(story, redis_down, committed, caplog):
    with caplog.at_level(logging.ERROR, logger="portal.cache"), committed():
        story.title = "Сохранено без Redis"
        story.save()
    assert "Could not store a new content version" in caplog.text
    assert page_cache.pending_bump.raised


def settings_value(expression: str, **env: str) -> str:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REDIS_URL", "PAGE_CACHE", "PAGE_CACHE_SECONDS", "DEBUG"}
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import portal.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_redis_url_selects_redis():
    value = settings_value(
        "(s.CACHES['default']['BACKEND'], s.CACHES['default']['LOCATION'])",
        REDIS_URL="redis://cache.internal:6379/1",
    )
    assert value == ("('portal.redis_cache.RedisCache', 'redis://cache.internal:6379/1')")


def test_default_cache_is_local_memory_and_on():
    value = settings_value("(s.CACHES['default']['BACKEND'], s.PAGE_CACHE, s.PAGE_CACHE_SECONDS)")
    assert value == "('django.core.cache.backends.locmem.LocMemCache', True, 600)"


def test_page_cache_can_be_switched_off():
    assert settings_value("s.PAGE_CACHE", PAGE_CACHE="0") == "False"


def test_the_admin_is_never_looked_up_in_the_cache_wherever_admin_path_puts_it(
    rf, settings, monkeypatch
):
    settings.PAGE_CACHE = True
    settings.ADMIN_PATH = "office-7f3c/"
    asked = []
    monkeypatch.setattr(page_cache, "fetch_page", lambda key: asked.append(key))
    middleware = PageCacheMiddleware(lambda request: HttpResponse("page"))
    middleware(rf.get("/office-7f3c/articles/article/"))
    assert asked == []
    middleware(rf.get("/admin/"))  # no longer the admin: an ordinary path
    assert len(asked) == 1
