"""How deep a document's XML elements nest, found before feedparser reads it.

feedparser's time grows with the square of the nesting: 50,000 nested elements
(350 kB) take it seconds, a few megabytes of them hours, and the job reading
the source would hang on them. A feed is a few levels deep (channel, item,
field, and the markup of an Atom entry's XHTML content).

The count is of tags in the raw bytes, text inside CDATA sections and comments
aside, as a parser would pair them: an end tag closes the element of its name
and whatever was left open inside it (a feed that writes HTML's ``<br>`` into
its XML leaves no depth behind). The scan stops as soon as the limit is passed
and every tag costs about the same, so it takes a time in proportion to the
document's size whatever the document.
"""

from __future__ import annotations

import re
from collections import Counter

MAX_XML_DEPTH = 200
UNPARSED_START_RE = re.compile(rb"<!\[CDATA\[|<!--")
UNPARSED_END = {b"<![CDATA[": b"]]>", b"<!--": b"-->"}
TAG_RE = re.compile(rb"<(/?)([A-Za-z_][\w:.-]*)[^<>]*?(/?)>")


def too_deep(content: bytes) -> int:
    """The depth reached past ``MAX_XML_DEPTH``, or 0 when the document stays within it."""
    open_elements: list[bytes] = []
    # How many of each name are open: an end tag of a name not open costs nothing.
    open_count: Counter[bytes] = Counter()
    for tag in TAG_RE.finditer(_parsed_part(content)):
        closing, name, empty = tag.groups()
        if empty:
            continue
        if not closing:
            open_elements.append(name)
            open_count[name] += 1
            if len(open_elements) > MAX_XML_DEPTH:
                return len(open_elements)
        elif open_count[name]:
            while (closed := open_elements.pop()) != name:
                open_count[closed] -= 1
            open_count[name] -= 1
    return 0


def _parsed_part(content: bytes) -> bytes:
    """``content`` without its CDATA sections and comments; one left unclosed
    takes the rest of the document with it, as it would in a parser.

    Found by searching on from each one's end: a pattern spanning a section
    would search to the document's end again from every unclosed opening."""
    parts: list[bytes] = []
    position = 0
    while opening := UNPARSED_START_RE.search(content, position):
        parts.append(content[position : opening.start()])
        end_marker = UNPARSED_END[opening.group()]
        end = content.find(end_marker, opening.end())
        if end < 0:
            return b"".join(parts)
        position = end + len(end_marker)
    parts.append(content[position:])
    return b"".join(parts)
