"""The rules every item passes, whatever its format: what makes the lead, the body
and an item not taken."""

from __future__ import annotations

import json

import pytest

from articles.models import Article
from inbox.parsing import parse
from inbox.parsing.parsed import TITLE_MAX_LENGTH

pytestmark = pytest.mark.once


def json_feed(**item) -> bytes:
    feed = {"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "n-1", **item}]}
    return json.dumps(feed).encode()


def only(**item):
    parsed = parse(json_feed(**item), kind="jsonfeed")
    assert parsed.skipped == []
    return parsed.entries[0]


def test_title_limit_is_the_articles():
    assert Article._meta.get_field("title").max_length == TITLE_MAX_LENGTH


def test_headline_too_long_for_an_article_is_not_taken():
    parsed = parse(json_feed(title="Слово " * 60, content_text="Текст."), kind="jsonfeed")
    assert parsed.entries == []
    assert parsed.skipped == [
        "Элемент №1 (GUID n-1) не взят: заголовок длиннее 300 символов (359)."
    ]


def test_summary_alone_is_the_body_not_the_lead():
    entry = only(title="Заголовок", summary="Весь текст новости.")
    assert (entry.lead, entry.body) == ("", "Весь текст новости.")


@pytest.mark.parametrize("ending", ["…", "...", " [...]", " […]", ""])
def test_summary_that_opens_the_body_is_no_lead(ending):
    entry = only(
        title="Заголовок",
        summary=f"Цех ОсОО «Бишкек Профиль» открылся{ending}",
        content_html="<p>Цех ОсОО «Бишкек Профиль» открылся в понедельник.</p>",
    )
    assert entry.lead == ""


def test_summary_that_says_something_else_is_the_lead_on_one_line():
    entry = only(
        title="Заголовок",
        summary="Коротко:\n\nцех открылся.",
        content_html="<p>В понедельник открылся цех.</p>",
    )
    assert entry.lead == "Коротко: цех открылся."


def test_first_paragraph_repeating_the_headline_is_dropped():
    entry = only(
        title="Цех открылся",
        content_html="<h1>Цех  открылся</h1><p>В понедельник.</p>",
    )
    assert entry.body == "В понедельник."


def test_body_that_is_only_the_headline_stays():
    entry = only(title="Цех открылся", content_html="<p>Цех открылся</p>")
    assert entry.body == "Цех открылся"


def test_tags_are_one_line_each_once_and_not_sentences():
    entry = only(
        title="Заголовок",
        content_text="Текст.",
        tags=[
            "Энергетика",
            " энергетика ",
            "Горное\nдело",
            "",
            5,
            "Очень длинный тег " * 10,
            "https://alatoo-press.example/tags/energy",
        ],
    )
    assert entry.tags == ("Энергетика", "Горное дело")
