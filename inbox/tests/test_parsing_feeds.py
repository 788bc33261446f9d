"""RSS and Atom feeds as entries: fields, encodings, items not taken, broken documents."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from inbox.errors import FeedError
from inbox.parsing import Parsed, parse

pytestmark = pytest.mark.once

FEEDS = Path(__file__).resolve().parent / "feeds"
FEED_URL = "https://tsh-steel.example/rss.xml"


def read(name: str, *, kind: str = "rss", content_type: str = "", url: str = FEED_URL) -> Parsed:
    return parse((FEEDS / name).read_bytes(), kind=kind, content_type=content_type, url=url)


def test_rss_item_with_content_and_summary():
    entry = read("rss.xml").entries[0]
    assert entry.guid == "tsh-2025-001"
    assert entry.url == "https://tsh-steel.example/news/vtoraya-pech"
    assert entry.title == "ОАО «Тянь-Шаньская сталь» запустило вторую печь"
    # The <h1> repeating the headline is gone; &mdash; is a dash.
    assert entry.body == (
        "Комбинат удвоил выпуск проката — об этом сообщил директор Азамат Орозов.\n\n"
        "Печь строили два года."
    )
    # The description only opens the body, cut short with «…»: no lead.
    assert entry.lead == ""
    assert entry.published == datetime(2025, 12, 1, 4, 0, tzinfo=UTC)
    # «металлургия» is «Металлургия» again.
    assert entry.tags == ("Металлургия", "Кыргызстан")


def test_rss_description_that_is_not_the_body_opening_is_the_lead():
    entry = read("rss.xml").entries[1]
    assert entry.lead == "Цех откроют весной. Там будут работать 120 человек."
    assert entry.body == "В Караколе строят цех холодной прокатки.\n\nЕго откроют весной."


def test_relative_link_is_resolved_against_the_feed_address():
    assert read("rss.xml").entries[1].url == "https://tsh-steel.example/news/tseh-karakol"


def test_item_without_guid_and_date_is_taken_with_them_empty():
    parsed = read("rss.xml")
    entry = parsed.entries[2]
    assert (entry.guid, entry.published) == ("", None)
    assert entry.url == "https://tsh-steel.example/news/bez-guid"
    assert entry.body == "Текст пришёл экранированным HTML: «сталь» и &."
    assert parsed.skipped == []


def test_guid_is_kept_as_given_wherever_the_feed_is_fetched_from():
    here = read("rss-bad-items.xml", url="https://alay-mash.example/rss")
    there = read("rss-bad-items.xml", url="https://mirror.example/alay/rss")
    assert [e.guid for e in here.entries] == [e.guid for e in there.entries] == ["alay-1", "alay-4"]


def test_guid_that_is_no_address_does_not_become_the_link():
    # RSS takes a guid for a permalink unless told otherwise; «alay-1» is no page.
    assert read("rss-bad-items.xml").entries[0].url == ""


def test_items_not_taken_are_named_with_the_reason():
    parsed = read("rss-bad-items.xml")
    assert [e.title for e in parsed.entries] == [
        "Ассоциация приняла двух новых членов",
        "Плохая дата",
    ]
    assert parsed.skipped == [
        "Элемент №2 (GUID alay-2) не взят: нет заголовка.",
        "Элемент №3 (GUID alay-1) не взят: такой GUID уже был у элемента выше, взят тот.",
        "Элемент №4 (GUID alay-3) не взят: нет текста.",
    ]


def test_the_first_of_two_items_with_one_guid_is_taken():
    entry = read("rss-bad-items.xml").entries[0]
    assert entry.guid == "alay-1"
    assert entry.body.startswith("В ассоциацию вошли")


def test_unreadable_date_leaves_the_entry_undated():
    assert read("rss-bad-items.xml").entries[1].published is None


def test_atom_entry():
    entry = read("atom.xml", kind="atom").entries[0]
    assert entry.guid == "tag:narynenergo.example,2025:42"
    # Relative to the document's own xml:base, not to the address it came from.
    assert entry.url == "https://narynenergo.example/news/42"
    assert entry.title == "Подстанция «Жаны-Арык» под нагрузкой"
    assert entry.lead == "Главный инженер Жанар Бекова рассказала о пуске."
    assert entry.body == (
        "Подстанцию включили под нагрузку в среду.\n\n## Что дальше\n\n"
        "Вторую очередь, по словам Жанар Бековой, закончат к лету."
    )
    # <published>, not <updated>, in UTC.
    assert entry.published == datetime(2025, 12, 3, 2, 15, tzinfo=UTC)
    assert entry.tags == ("Энергетика", "podstancii")


def test_atom_entry_with_only_an_update_date_and_plain_text():
    entry = read("atom.xml", kind="atom").entries[1]
    assert entry.published == datetime(2025, 12, 4, 0, 30, tzinfo=UTC)
    assert entry.body == "Первый абзац простого текста.\n\nВторой абзац в две строки."


def test_rss_and_atom_sources_read_either():
    assert read("atom.xml", kind="rss") == read("atom.xml", kind="atom")
    assert read("rss.xml", kind="atom") == read("rss.xml", kind="rss")


# "text/xml" without a charset meant US-ASCII once (RFC 3023); a server that says
# UTF-8 about a windows-1251 file is wrong: the declaration wins either way.
@pytest.mark.parametrize(
    "content_type",
    ["", "text/xml", "application/rss+xml", "text/html", "application/xml; charset=utf-8"],
)
def test_windows_1251_declared_in_the_xml_prolog(content_type):
    entry = read("rss-windows-1251.xml", content_type=content_type).entries[0]
    assert entry.title == "Завод «Иссык-Куль Агрегат» сдал партию насосов"
    assert entry.body == "Партию из 300 насосов принял заказчик; ёмкость склада — 500 штук."
    assert entry.tags == ("Машиностроение",)


@pytest.mark.parametrize(
    "content_type", ["application/rss+xml; charset=KOI8-R", "text/xml; charset=koi8-r"]
)
def test_koi8_r_declared_only_in_the_http_content_type(content_type):
    entry = read("rss-koi8-r-undeclared.xml", content_type=content_type).entries[0]
    assert entry.title == 'Завод "Иссык-Куль Агрегат" сдал партию насосов'
    assert "ёмкость склада" in entry.body


def test_feed_cut_off_inside_an_item_keeps_the_whole_items_only():
    parsed = read("broken-truncated.xml")
    assert [e.guid for e in parsed.entries] == ["cut-1"]
    assert parsed.entries[0].body == "Эта новость пришла полностью."
    assert parsed.skipped == [
        "Элемент №2 (GUID cut-2) не взят: в документе нет его конца "
        "(XML повреждён: строка 14: no element found)."
    ]


def test_item_whose_end_tag_is_misspelt_is_not_taken_the_next_is():
    parsed = read("rss-unclosed-item.xml")
    assert [e.guid for e in parsed.entries] == ["typo-2"]
    assert parsed.skipped == [
        "Элемент №1 (GUID typo-1) не взят: в документе нет его конца "
        "(XML повреждён: строка 9: mismatched tag)."
    ]


def test_entities_xml_does_not_know_and_bare_ampersands_lose_no_item():
    parsed = read("rss-sloppy.xml")
    assert parsed.skipped == []
    assert [(e.title, e.body) for e in parsed.entries] == [
        ("Первая новость", "Без ошибок."),
        ("«Цемент» дорожает", "Цена выросла — на 5%."),
        ("Кирпич & блоки", "Голый амперсанд в заголовке."),
    ]


def test_broken_xml_without_a_readable_item_is_an_error():
    with pytest.raises(FeedError, match=r"^Лента повреждена.*строка 4.*сообщите владельцу"):
        read("broken-no-items.xml")


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "application/rss+xml", ""])
def test_html_page_instead_of_a_feed_is_an_error_naming_the_page(content_type):
    with pytest.raises(FeedError) as raised:
        read("page.html", content_type=content_type)
    message = str(raised.value)
    assert message.startswith("Вместо ленты RSS или Atom по адресу источника HTML-страница")
    assert "«Главная — Кара-Балтинский литейный завод»" in message
    assert "укажите адрес самой ленты" in message


@pytest.mark.parametrize("content", [b"", b"  \r\n\t"])
def test_empty_answer_is_an_error(content):
    with pytest.raises(FeedError, match=r"^Источник ответил пустым документом вместо ленты RSS"):
        parse(content, kind="rss")


def test_xml_that_is_no_feed_names_its_root():
    content = b'<?xml version="1.0"?>\n<!-- sitemap -->\n<urlset><url/></urlset>'
    with pytest.raises(FeedError, match="корневым элементом <urlset>"):
        parse(content, kind="rss")


def test_json_given_to_a_feed_source_says_so():
    with pytest.raises(FeedError, match="документ JSON: проверьте, верно ли выбран вид"):
        parse((FEEDS / "feed.json").read_bytes(), kind="atom")


def test_unknown_kind_is_an_error():
    with pytest.raises(FeedError, match="Вид источника «csv» неизвестен"):
        parse(b"<rss/>", kind="csv")


def test_feed_without_items_is_no_error():
    content = b'<rss version="2.0"><channel><title>Empty</title></channel></rss>'
    assert parse(content, kind="rss") == Parsed(entries=[], skipped=[])


def test_links_other_than_http_are_dropped():
    content = (
        '<rss version="2.0"><channel><item><title>Ссылка</title><guid>x</guid>'
        "<link>javascript:alert(1)</link><description>Текст.</description></item>"
        "</channel></rss>"
    ).encode()
    assert parse(content, kind="rss", url=FEED_URL).entries[0].url == ""


def test_parsed_cannot_be_changed_after_the_fact():
    parsed = read("rss.xml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.entries = []  # type: ignore[misc]


def test_utf8_feed_with_a_stray_byte_keeps_its_cyrillic():
    content = (FEEDS / "rss.xml").read_bytes().replace(b"\xd0\x9f\xd0\xb5\xd1\x87\xd1\x8c", b"\xff")
    entry = parse(content, kind="rss", content_type="application/rss+xml; charset=utf-8").entries[0]
    assert entry.title == "ОАО «Тянь-Шаньская сталь» запустило вторую печь"
    assert entry.body.endswith("\n\n\ufffd строили два года.")


def test_feed_item_with_markup_nested_beyond_reason_is_not_taken():
    nested = "&lt;div&gt;" * 500
    content = (
        '<rss version="2.0"><channel><item><title>Матрёшка</title><guid>deep</guid>'
        f"<description>{nested}Текст.</description></item></channel></rss>"
    ).encode()
    assert parse(content, kind="rss").skipped == [
        "Элемент №1 (GUID deep) не взят: его HTML вложен на 500 уровней, глубже 100: "
        "так новости не верстают."
    ]


def test_xml_nested_beyond_reason_is_refused_before_it_is_read():
    depth = 50_000
    content = (
        '<rss version="2.0"><channel><item><title>Матрёшка</title><description>'
        + "<x>" * depth
        + "</description></item></channel></rss>"
    ).encode()
    with pytest.raises(FeedError, match="вложены глубже 200 уровней \\(дошло до 201\\)"):
        parse(content, kind="rss")


def test_html_left_open_in_xml_or_inside_cdata_is_no_depth():
    # 300 items, each with an unclosed <br> written straight into the XML, and a
    # CDATA section with 300 more: as deep as any feed.
    items = "".join(
        f"<item><title>Новость {n}</title><guid>n{n}</guid>"
        f"<description>Строка<br>ещё<![CDATA[{'<br>' * 300}]]></description></item>"
        for n in range(300)
    )
    content = f'<rss version="2.0"><channel>{items}</channel></rss>'.encode()
    assert len(parse(content, kind="rss").entries) == 300
