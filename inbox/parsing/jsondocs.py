"""JSON documents from sources: decoded, or refused with where they broke."""

from __future__ import annotations

import json

from inbox.errors import FeedError

from .sniffing import looks_like_html, not_the_kind, refuse_empty


def load_json(content: bytes, *, expected: str) -> object:
    """The JSON value of ``content`` (UTF-8, -16 or -32, as RFC 8259 allows);
    ``expected`` names the document in the genitive for the error («JSON Feed»)."""
    refuse_empty(content, expected=expected)
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if looks_like_html(content) or head == b"<":
        raise not_the_kind(content, expected=expected)
    try:
        return json.loads(content)
    except UnicodeDecodeError as error:
        raise FeedError(
            f"Документ должен быть {expected} в кодировке UTF-8, но байт {error.start + 1} "
            "в ней не читается: сообщите владельцу источника."
        ) from None
    except RecursionError:
        raise FeedError(
            f"Вместо {expected} пришёл JSON, вложенный глубже, чем бывают новости: "
            "сообщите владельцу источника."
        ) from None
    except json.JSONDecodeError as error:
        raise FeedError(
            f"Вместо {expected} пришёл повреждённый JSON (строка {error.lineno}, столбец "
            f"{error.colno}: {error.msg}): сообщите владельцу источника; следующий опрос "
            "попробует снова."
        ) from None
