"""Turning what a source gave into entries: feeds, ninjs documents, seed files.

``parse`` reads a fetched document of a source's kind, ``read_folder`` a folder
of seed files. Both return ``Parsed``: the entries, whole and cleaned, and a
plain Russian line for every item not taken (no headline, no text, a GUID
repeated, broken). A document that is not of the kind at all (broken XML
without a readable item, an HTML page, invalid ninjs, an empty answer) raises
``FeedError`` with one sentence saying what was found and what to do.

- ``feeds``: RSS and Atom through feedparser; ``jsonfeed``: JSON Feed;
  ``ninjs``: IPTC ninjs 3.x, validated against the 3.1 schema;
  ``folder``: seed files through ``articles.seeding``;
- ``cleaning``: HTML and plain text to the portal's paragraphs (nh3);
- ``parsed``: ``Parsed`` and the rules every item passes; ``values``: dates,
  addresses, tags; ``sniffing``, ``jsondocs``: what a wrong document is;
  ``xmldepth``: XML nested too deep to give feedparser.
"""

from __future__ import annotations

from inbox.errors import FeedError

from .feeds import parse_feed
from .folder import read_folder
from .jsonfeed import parse_json_feed
from .ninjs import parse_ninjs
from .parsed import Parsed

# The kinds of a source ``parse`` reads; "folder" is ``read_folder``'s.
FEED_KINDS = ("rss", "atom")
KINDS = (*FEED_KINDS, "jsonfeed", "ninjs")

__all__ = ["KINDS", "Parsed", "parse", "read_folder"]


def parse(content: bytes, *, kind: str, content_type: str = "", url: str = "") -> Parsed:
    """The entries of a fetched document of ``kind`` (``rss``, ``atom``, ``jsonfeed``,
    ``ninjs``); raises FeedError.

    ``content_type`` is the HTTP header as received (its charset decides a feed's
    encoding when the document does not declare one), ``url`` the address the
    document came from (the base of relative links).

    RSS and Atom are read alike: a site that moves from one to the other keeps
    working, as feed readers do.
    """
    if kind in FEED_KINDS:
        return parse_feed(content, content_type=content_type, url=url)
    if kind == "jsonfeed":
        return parse_json_feed(content, url=url)
    if kind == "ninjs":
        return parse_ninjs(content)
    raise FeedError(
        f"Вид источника «{kind}» неизвестен: выберите один из {', '.join(KINDS)} или folder."
    )
