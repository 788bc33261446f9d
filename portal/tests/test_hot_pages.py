"""The pages a process keeps in front of Redis (portal/hot_pages.py)."""

import pytest

from portal.cache import CachedPage
from portal.hot_pages import HotPages


def page(version: str = "v1", size: int = 100) -> CachedPage:
    return CachedPage(
        version=version, expires=0.0, etag='"e"', last_modified=0, headers=(), content=b"x" * size
    )


@pytest.fixture
def hot(settings):
    settings.PAGE_CACHE_HOT_MB = 300 / (1024 * 1024)  # room for three pages of 100 bytes
    return HotPages()


def test_a_page_is_given_only_for_the_version_it_was_rendered_under(hot):
    hot.put("home", page("v1"))
    assert hot.get("home", "v1") == page("v1")
    assert hot.get("home", "v2") is None


def test_the_least_recently_used_page_goes_first(hot):
    for key in ("a", "b", "c"):
        hot.put(key, page())
    hot.get("a", "v1")
    hot.put("d", page())
    assert [key for key in "abcd" if hot.get(key, "v1")] == ["a", "c", "d"]


def test_a_new_copy_replaces_the_old_one_and_its_bytes(hot):
    for _ in range(5):
        hot.put("home", page())
    hot.put("other", page())
    hot.put("third", page())
    assert len(hot) == 3


def test_a_page_larger_than_the_room_is_not_kept(hot):
    hot.put("home", page())
    hot.put("home", page(size=301))
    assert len(hot) == 0


def test_nothing_is_kept_when_turned_off(hot, settings):
    settings.PAGE_CACHE_HOT_MB = 0
    hot.put("home", page())
    assert hot.get("home", "v1") is None
