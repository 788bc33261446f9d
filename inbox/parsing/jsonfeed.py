"""JSON Feed (https://www.jsonfeed.org/version/1.1/).

feedparser 6 reads RSS and Atom only (JSON Feed is in its unreleased next
version), and the format is small enough to read directly: an object with a
``version`` URL and ``items``, each with an ``id``, a ``title``, the text as
``content_html`` or ``content_text``, a plain-text ``summary``, RFC 3339 dates
and ``tags``.
"""

from __future__ import annotations

from inbox.errors import FeedError

from .cleaning import UnreadableMarkup, one_line, plain_to_text, to_text
from .jsondocs import load_json
from .parsed import Item, Parsed, collect, item_name
from .values import distinct_tags, from_rfc3339, web_address

EXPECTED = "JSON Feed"
VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse_json_feed(content: bytes, *, url: str = "") -> Parsed:
    document = load_json(content, expected=EXPECTED)
    version = document.get("version") if isinstance(document, dict) else None
    if not (isinstance(version, str) and version.startswith(VERSION_PREFIX)):
        raise FeedError(
            "Документ — JSON, но не JSON Feed: в нём нет поля «version» с адресом "
            f"{VERSION_PREFIX}…; проверьте адрес и вид источника."
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError("В JSON Feed нет списка «items» с новостями: сообщите владельцу источника.")
    base = web_address(document.get("feed_url")) or url
    return collect(_item(value, position, base=base) for position, value in enumerate(items, 1))


def _item(value: object, position: int, *, base: str) -> Item:
    if not isinstance(value, dict):
        return Item(name=item_name(position), problem="это не объект JSON")
    # The specification wants a string; numbers are a common slip and name an item as well.
    guid = value.get("id")
    guid = str(guid).strip() if isinstance(guid, str | int) and not isinstance(guid, bool) else ""
    url = web_address(value.get("url"), base=base) or web_address(value.get("external_url"))
    name = item_name(position, guid=guid, url=url)
    try:
        return _read(value, name=name, guid=guid, url=url)
    except UnreadableMarkup as refusal:
        return Item(name=name, problem=str(refusal))


def _read(value: dict, *, name: str, guid: str, url: str) -> Item:
    title = _text(value.get("title"))
    body = ""
    if isinstance(value.get("content_html"), str):
        body = to_text(value["content_html"], content_type="text/html")
    if not body:
        body = plain_to_text(_text(value.get("content_text"), single_line=False))
    tags = value.get("tags")
    return Item(
        name=name,
        guid=guid,
        url=url,
        title=one_line(title),
        summary=plain_to_text(_text(value.get("summary"), single_line=False)),
        body=body,
        published=from_rfc3339(value.get("date_published"))
        or from_rfc3339(value.get("date_modified")),
        tags=distinct_tags(tags if isinstance(tags, list) else ()),
    )


def _text(value: object, *, single_line: bool = True) -> str:
    if not isinstance(value, str):
        return ""
    return one_line(value) if single_line else value
