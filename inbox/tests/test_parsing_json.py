"""JSON Feed and IPTC ninjs 3.x documents as entries."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inbox.errors import FeedError
from inbox.parsing import parse

pytestmark = pytest.mark.once

FEEDS = Path(__file__).resolve().parent / "feeds"


def read(name: str, *, kind: str):
    return parse((FEEDS / name).read_bytes(), kind=kind, url="https://alatoo-press.example/x")


def test_json_feed_item():
    entry = read("feed.json", kind="jsonfeed").entries[0]
    assert entry.guid == "https://alatoo-press.example/2025/12/zavod"
    assert entry.url == "https://alatoo-press.example/2025/12/zavod"
    assert entry.title == "Завод «Чуй Кабель» нанял 40 сварщиков"
    # The style element is gone with its rules; the summary is in the body, so no lead.
    assert (
        entry.body
        == "Завод «Чуй Кабель» нанял 40 сварщиков.\n\nНабор объявил директор Бакыт Сейитов."
    )
    assert entry.lead == "Набор объявил директор Бакыт Сейитов."
    assert entry.published == datetime(2025, 12, 5, 8, 0, tzinfo=UTC)
    assert entry.tags == ("Промышленность", "Занятость")


def test_json_feed_item_with_a_number_for_id_plain_text_and_an_unreadable_date():
    entry = read("feed.json", kind="jsonfeed").entries[1]
    assert entry.guid == "77"
    # Relative to the feed's own feed_url.
    assert entry.url == "https://alatoo-press.example/2025/12/tekst"
    assert entry.body == "Первый абзац.\n\nВторой абзац."
    assert entry.published is None


def test_json_feed_items_not_taken():
    assert read("feed.json", kind="jsonfeed").skipped == [
        "Элемент №3 (GUID no-title) не взят: нет заголовка.",
        "Элемент №4 не взят: это не объект JSON.",
    ]


def test_json_that_is_no_json_feed_is_an_error():
    with pytest.raises(FeedError, match="Документ — JSON, но не JSON Feed"):
        read("ninjs-item.json", kind="jsonfeed")


def test_broken_json_names_line_and_column():
    with pytest.raises(FeedError, match=r"повреждённый JSON \(строка 2, столбец 14"):
        parse(b'{"version":\n "https://" ,, }', kind="jsonfeed")


@pytest.mark.parametrize("kind", ["jsonfeed", "ninjs"])
def test_html_page_given_to_a_json_source(kind):
    with pytest.raises(FeedError, match="HTML-страница «Главная — Кара-Балтинский"):
        read("page.html", kind=kind)


@pytest.mark.parametrize("kind", ["jsonfeed", "ninjs"])
def test_empty_answer_to_a_json_source(kind):
    with pytest.raises(FeedError, match="пустым документом"):
        parse(b"", kind=kind)


def test_ninjs_item():
    parsed = read("ninjs-item.json", kind="ninjs")
    entry = parsed.entries[0]
    assert entry.guid == entry.url == "https://kochkor-media.example/news/2025/traktor"
    assert entry.title == "В Кочкоре собрали первый трактор «Кочкор-1»"
    # The summary, not the image's alt text.
    assert entry.lead == "Сборку вёл инженер Нурлан Джумабаев."
    # The HTML body, which keeps the subheading, over the plain one.
    assert entry.body == "Трактор собрали за месяц.\n\n## Планы\n\nСерия начнётся весной."
    assert entry.published == datetime(2025, 12, 2, 4, 30, tzinfo=UTC)
    assert entry.tags == ("Машиностроение", "Тракторы")
    assert parsed.skipped == []


def test_ninjs_list_takes_the_valid_items_and_names_the_others():
    parsed = read("ninjs-list.json", kind="ninjs")
    assert [(e.guid, e.url, e.title) for e in parsed.entries] == [
        ("urn:kochkor-media:2025:1", "", "Первая новость списка")
    ]
    assert parsed.skipped == [
        "Элемент №2 (GUID urn:kochkor-media:2025:2) не взят: не по схеме ninjs 3.1: "
        'headlines: значение "заголовок строкой, а не списком" должно быть типа array.',
        "Элемент №3 (GUID urn:kochkor-media:2025:3) не взят: "
        "источник снял его с публикации (pubStatus: canceled).",
        "Элемент №4 (GUID urn:kochkor-media:2025:4) не взят: не по схеме ninjs 3.1: "
        'firstCreated: значение "2025-12-01" не в формате date-time.',
    ]


def test_invalid_ninjs_item_is_an_error():
    with pytest.raises(FeedError) as raised:
        read("ninjs-invalid.json", kind="ninjs")
    assert str(raised.value) == (
        "Документ не соответствует схеме ninjs 3.1 (нет обязательного поля «uri»): "
        "проверьте адрес и вид источника или сообщите его владельцу."
    )


def test_ninjs_list_without_one_valid_item_is_an_error():
    content = json.dumps([{"headlines": [{"value": "Без uri"}]}, {"uri": 5}]).encode()
    with pytest.raises(FeedError, match=r"схеме ninjs 3\.1 \(элемент №1: нет обязательного поля"):
        parse(content, kind="ninjs")


def test_ninjs_with_unknown_fields_is_invalid():
    content = json.dumps({"uri": "urn:x:1", "заголовок": "Новость"}).encode()
    with pytest.raises(FeedError, match="лишние поля"):
        parse(content, kind="ninjs")


def test_ninjs_picture_is_no_news_to_rewrite():
    content = json.dumps(
        {"uri": "urn:x:photo", "type": "picture", "headlines": [{"value": "Фото цеха"}]}
    ).encode()
    assert parse(content, kind="ninjs").skipped == [
        "Элемент №1 (GUID urn:x:photo) не взят: это не текстовая новость (type: picture)."
    ]


def test_ninjs_scalar_is_an_error():
    with pytest.raises(FeedError, match="ожидался объект новости или список"):
        parse(b'"uri"', kind="ninjs")


def test_empty_ninjs_list_is_no_error():
    parsed = parse(b"[]", kind="ninjs")
    assert (parsed.entries, parsed.skipped) == ([], [])


@pytest.mark.parametrize("kind", ["jsonfeed", "ninjs"])
def test_json_nested_beyond_reason_is_an_error(kind):
    with pytest.raises(FeedError, match="вложенный глубже, чем бывают новости"):
        parse(b"[" * 100_000 + b"]" * 100_000, kind=kind)


def test_ninjs_date_before_the_first_day_there_is_is_invalid():
    content = json.dumps(
        {
            "uri": "urn:x:old",
            "firstCreated": "0001-01-01T00:00:00+05:00",
            "headlines": [{"value": "Очень старая новость"}],
            "bodies": [{"value": "Текст."}],
        }
    ).encode()
    with pytest.raises(FeedError, match=r"firstCreated: значение .* не в формате date-time"):
        parse(content, kind="ninjs")


def test_ninjs_description_of_an_image_is_no_lead_a_headline_of_any_role_is_the_title():
    content = json.dumps(
        {
            "uri": "urn:x:2",
            "headlines": [{"role": "short", "value": "Цех открыт"}],
            "descriptions": [{"role": "alt", "value": "Фото цеха"}],
            "bodies": [{"value": "Цех открыли в понедельник."}],
        }
    ).encode()
    entry = parse(content, kind="ninjs").entries[0]
    assert (entry.title, entry.lead) == ("Цех открыт", "")


def test_item_with_markup_nested_beyond_reason_is_not_taken_the_others_are():
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {"id": "deep", "title": "Матрёшка", "content_html": "<div>" * 100_000 + "x"},
            {"id": "flat", "title": "Обычная", "content_html": "<p>Текст.</p>"},
        ],
    }
    parsed = parse(json.dumps(feed).encode(), kind="jsonfeed")
    assert [e.guid for e in parsed.entries] == ["flat"]
    assert parsed.skipped == [
        "Элемент №1 (GUID deep) не взят: его HTML вложен на 100000 уровней, глубже 100: "
        "так новости не верстают."
    ]


def test_ninjs_item_with_markup_nested_beyond_reason_is_not_taken():
    body = {"contentType": "text/html", "value": "<ul>" * 300 + "x"}
    document = {"uri": "urn:x:deep", "headlines": [{"value": "Матрёшка"}], "bodies": [body]}
    parsed = parse(json.dumps(document).encode(), kind="ninjs")
    assert parsed.skipped == [
        "Элемент №1 (GUID urn:x:deep) не взят: его HTML вложен на 300 уровней, глубже 100: "
        "так новости не верстают."
    ]
