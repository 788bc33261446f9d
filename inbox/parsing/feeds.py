"""RSS and Atom feeds, read with feedparser.

feedparser finds the encoding as a browser would (the HTTP content type's
charset, then the XML declaration, then guesses), so a windows-1251 or KOI8-R
feed reads right whichever of the two declares it. When the XML is broken it
reads on with a forgiving parser and says so (``bozo``): a feed it can still
read items from is taken, except an item whose end never comes, which may have
been read only in part (a document cut off in the middle of an item is the
usual case); a broken feed without a single item is an error.

An item without a GUID has an empty one: the inbox then knows it by its address
or its text. A GUID is kept as the feed wrote it, never resolved as a link, so it
stays the same whatever address the feed is fetched from.

Markup is left to ``cleaning`` (nh3) rather than feedparser's own sanitizer:
one sanitizer, the one kept up to date.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from xml.sax import SAXParseException

import feedparser
from feedparser.exceptions import CharacterEncodingOverride, NonXMLContentType

from inbox.errors import FeedError

from .cleaning import UnreadableMarkup, to_line, to_text
from .parsed import Item, Parsed, collect, item_name
from .sniffing import looks_like_html, not_the_kind, refuse_empty
from .values import distinct_tags, from_struct_time, web_address
from .xmldepth import MAX_XML_DEPTH, too_deep

EXPECTED = "ленты RSS или Atom"
# Notices, not faults: the document read fine (a charset declared wrongly, a
# feed served as text/html).
HARMLESS = (CharacterEncodingOverride, NonXMLContentType)
# feedparser reads XML whose content type names no charset by its declaration.
DEFAULT_CONTENT_TYPE = "application/xml"
# At most one byte in this many may be invalid in a document still read as UTF-8.
STRAY_BYTES_PER = 1000
ITEM_START_RE = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>]")
ITEM_END_RE = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>")


def parse_feed(content: bytes, *, content_type: str = "", url: str = "") -> Parsed:
    refuse_empty(content, expected=EXPECTED)
    if depth := too_deep(content):
        raise FeedError(
            f"Элементы XML в документе вложены глубже {MAX_XML_DEPTH} уровней (дошло до "
            f"{depth}): так ленты не пишут, документ не читается; сообщите владельцу источника."
        )
    # Without a content type feedparser takes the document for one of unknown
    # kind and reads attributes in the wrong encoding; "application/xml" lets
    # the XML declaration say it.
    # No "content-location": feedparser would resolve GUIDs against it as links,
    # and an item would change its GUID with the feed's address.
    headers = {"content-type": content_type or DEFAULT_CONTENT_TYPE}
    result = _feedparser(content, headers)
    if isinstance(result.get("bozo_exception"), CharacterEncodingOverride) and (
        repaired := _utf8_with_stray_bytes(content)
    ):
        result = _feedparser(repaired, {"content-type": "application/xml; charset=utf-8"})
    fault = result.get("bozo_exception") if result.get("bozo") else None
    if isinstance(fault, HARMLESS):
        fault = None
    if not result.entries:
        markup = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"
        if fault and markup and not looks_like_html(content):
            raise _broken_xml(content, fault)
        if not result.get("version"):
            raise not_the_kind(content, expected=EXPECTED)
    items = [_item(entry, position, base=url) for position, entry in enumerate(result.entries, 1)]
    if fault:
        cut = f"в документе нет его конца (XML повреждён: {_where(content, fault)})"
        for index in _unclosed_items(content):
            if index < len(items):
                items[index] = replace(items[index], problem=cut)
    return collect(items)


def _feedparser(content: bytes, headers: dict[str, str]):
    return feedparser.parse(
        content, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )


def _utf8_with_stray_bytes(content: bytes) -> bytes | None:
    """``content`` made valid UTF-8 when it is UTF-8 but for a stray byte or a few.

    feedparser, finding a document not valid in the encoding it declares, reads
    all of it as a Western encoding: every Cyrillic letter comes out garbled for
    one bad byte. Such a byte is better lost (as «�») than the text. A document
    in another encoding has far more bytes that are not UTF-8 and is left alone.
    """
    text = content.decode("utf-8", "replace")
    stray = text.count("\ufffd")
    if 0 < stray <= max(1, len(text) // STRAY_BYTES_PER):
        return text.encode("utf-8")
    return None


def _broken_xml(content: bytes, fault: BaseException) -> FeedError:
    return FeedError(
        f"Лента повреждена, ни одной новости из неё прочитать нельзя "
        f"({_where(content, fault)}): "
        "сообщите владельцу источника; следующий опрос попробует снова."
    )


def _item(entry, position: int, *, base: str) -> Item:
    guid = (entry.get("id") or "").strip()
    url = _address(entry, guid=guid, base=base)
    name = item_name(position, guid=guid, url=url)
    try:
        return _read(entry, name=name, guid=guid, url=url)
    except UnreadableMarkup as refusal:
        return Item(name=name, problem=str(refusal))


def _read(entry, *, name: str, guid: str, url: str) -> Item:
    title = ""
    if entry.get("title"):
        title = to_line(entry.title, content_type=_type(entry.get("title_detail")))
    body = ""
    if contents := entry.get("content"):
        # Atom may give several renderings: markup is the richer one.
        chosen = next((c for c in contents if "html" in _type(c)), contents[0])
        body = to_text(chosen.get("value") or "", content_type=_type(chosen))
    summary = ""
    if entry.get("summary"):
        summary = to_text(entry.summary, content_type=_type(entry.get("summary_detail")))
    tags = [tag.get("label") or tag.get("term") for tag in entry.get("tags") or ()]
    return Item(
        name=name,
        guid=guid,
        url=url,
        title=title,
        summary=summary,
        body=body,
        published=_published(entry),
        tags=distinct_tags(tags),
    )


def _address(entry, *, guid: str, base: str) -> str:
    """The item's web page: its alternate link, relative ones resolved against the
    document's own base (``xml:base``) or else the feed's address. feedparser
    also gives an RSS ``guid`` marked as a permalink as the link: that one counts
    only as a full address, «news-42» is no page of the feed's site."""
    alternates = [
        link.get("href")
        for link in entry.get("links") or ()
        if link.get("rel", "alternate") == "alternate"
    ]
    if alternates:
        return web_address(alternates[0], base=base)
    return web_address(guid) if entry.get("guidislink") else ""


def _published(entry) -> datetime | None:
    """When the item was published, else last updated (Atom requires only that).

    Read past feedparser's own lookup, which answers for a missing update date
    with the publication date and a deprecation warning."""
    for key in ("published_parsed", "updated_parsed"):
        if value := from_struct_time(dict.get(entry, key)):
            return value
    return None


def _type(detail) -> str:
    return (detail or {}).get("type") or "text/html"


def _unclosed_items(content: bytes) -> set[int]:
    """The positions (from 0) of the items whose end tag never comes.

    The forgiving parser reads an item to wherever the document goes on: an item
    cut off is read in part. One merely sloppy (an HTML entity XML does not
    know, a bare «&») is read whole and has its end tag. Tags are found in the
    raw bytes: the encodings feeds use keep ASCII as ASCII.
    """
    tags = sorted(
        [(match.start(), True) for match in ITEM_START_RE.finditer(content)]
        + [(match.start(), False) for match in ITEM_END_RE.finditer(content)]
    )
    unclosed: set[int] = set()
    index, inside = -1, False
    for _, opens in tags:
        if opens and inside:
            unclosed.add(index)
        if opens:
            index += 1
        inside = opens
    if inside:
        unclosed.add(index)
    return unclosed


def _line(content: bytes, fault: SAXParseException) -> int:
    """The document's line where the XML broke.

    feedparser puts an XML declaration of its own before a document without one,
    on a line of its own, and counts it.
    """
    own_declaration = content.removeprefix(b"\xef\xbb\xbf")[:5] == b"<?xml"
    return fault.getLineNumber() - (0 if own_declaration else 1)


def _where(content: bytes, fault: BaseException) -> str:
    if isinstance(fault, SAXParseException):
        return f"строка {_line(content, fault)}: {fault.getMessage()}"
    return str(fault)
