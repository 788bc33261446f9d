"""How deep a document's XML nests, counted before feedparser reads it."""

from __future__ import annotations

import pytest

from inbox.parsing.xmldepth import MAX_XML_DEPTH, too_deep

pytestmark = pytest.mark.once


def nested(depth: int) -> bytes:
    return b"<a>" * depth + b"text" + b"</a>" * depth


def test_within_the_limit_is_no_depth_to_report():
    assert too_deep(nested(MAX_XML_DEPTH)) == 0


def test_past_the_limit_reports_where_the_count_stopped():
    assert too_deep(nested(MAX_XML_DEPTH * 100)) == MAX_XML_DEPTH + 1


def test_an_end_tag_closes_what_was_left_open_inside_it():
    assert too_deep(b"<rss>" + b"<d>line<br>line<br></d>" * 1000 + b"</rss>") == 0


def test_end_tags_of_elements_never_opened_close_nothing():
    assert too_deep(b"<a>" * MAX_XML_DEPTH + b"</b>" * 1000 + b"<a>") == MAX_XML_DEPTH + 1


def test_empty_elements_are_no_depth():
    assert too_deep(b"<a>" + b"<b/><c x='1' />" * 1000 + b"</a>") == 0


@pytest.mark.parametrize("wrapper", [(b"<![CDATA[", b"]]>"), (b"<!--", b"-->")])
def test_tags_inside_cdata_and_comments_are_text(wrapper):
    opening, closing = wrapper
    assert too_deep(b"<a>" + opening + b"<p>" * 1000 + closing + b"</a>") == 0


def test_an_unclosed_cdata_section_takes_the_rest_of_the_document():
    assert too_deep(b"<a><![CDATA[" + b"<p>" * 1000) == 0
