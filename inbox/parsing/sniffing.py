"""What a document that is not the expected kind is, said for the editor.

A source's address often leads somewhere else than its feed: the site's front
page, a login page, an error page with status 200, an empty answer. The
errors here say what was found instead, so the editor knows what to fix.
"""

from __future__ import annotations

import re

from inbox.errors import FeedError

from .cleaning import one_line

# How much of a document is looked at to tell what it is.
SNIFF_BYTES = 4096
HTML_RE = re.compile(rb"<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
HTML_TITLE_RE = re.compile(rb"<title[^>]*>([^<]{1,200})", re.IGNORECASE)
# The first element of an XML document, after its declaration, comments and doctype.
ROOT_RE = re.compile(rb"<([A-Za-z_][\w.:-]*)")
TITLE_SHOWN = 80


def refuse_empty(content: bytes, *, expected: str) -> None:
    if not content.strip():
        raise FeedError(
            f"Источник ответил пустым документом вместо {expected}: проверьте адрес "
            "источника; если он верен, сайт, возможно, временно не отдаёт ленту."
        )


def not_the_kind(content: bytes, *, expected: str) -> FeedError:
    """The error for a document that is not ``expected`` (in the genitive: «ленты RSS»)."""
    return FeedError(f"Вместо {expected} по адресу источника {_found(content)}.")


def looks_like_html(content: bytes) -> bool:
    return bool(HTML_RE.search(content[:SNIFF_BYTES]))


def _found(content: bytes) -> str:
    head = content[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    if looks_like_html(head):
        return (
            f"HTML-страница{_page_title(head)}: укажите адрес самой ленты "
            '(на сайтах это обычно ссылка «RSS» или тег <link rel="alternate"> страницы)'
        )
    if head[:1] in (b"{", b"["):
        return "документ JSON: проверьте, верно ли выбран вид источника"
    if head[:1] == b"<" and (root := _root(head)):
        return f"документ XML с корневым элементом <{root}>: проверьте адрес и вид источника"
    return "документ, который не похож ни на ленту, ни на JSON, ни на XML: проверьте адрес"


def _root(head: bytes) -> str:
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL)
    match = ROOT_RE.search(body)
    return match.group(1).decode("ascii", "replace") if match else ""


def _page_title(head: bytes) -> str:
    match = HTML_TITLE_RE.search(head)
    if not match:
        return ""
    # Only a guess at the encoding: the title helps the editor recognise the page.
    title = one_line(match.group(1).decode("utf-8", "replace"))
    if len(title) > TITLE_SHOWN:
        title = title[:TITLE_SHOWN] + "…"
    return f" «{title}»" if title else ""
