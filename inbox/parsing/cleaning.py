"""HTML and plain text from sources, made into the portal's plain-text paragraphs.

nh3 (a maintained sanitizer) parses the HTML as a browser would, drops scripts,
styles and other non-text elements with their content and every attribute, and
keeps only the tags that shape text into blocks. What remains is walked once:
every block element (paragraph, list item, heading, quotation, table row...)
ends a paragraph, a heading becomes a subheading of the body (``## ``), a
single ``<br>`` is a line break inside a paragraph and two in a row end it, as
feeds that have no ``<p>`` use them. Entities are decoded on the way, and the
text passes through ``normalise_text``, as all text entering the portal does:
one space between words, invisible characters gone, a word broken at a line
end rejoined; then each paragraph is on one line (as in seed files), and
paragraphs are separated by one blank line.
"""

from __future__ import annotations

import html
import re

import nh3

from articles.models import SUBHEADING_PREFIX
from articles.text.normalise import normalise_text

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A table's row is a paragraph, its cells words of it.
CELLS = frozenset({"td", "th"})
# Elements a reader sees as blocks of their own: each ends the paragraph before it.
BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "footer", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "tfoot", "thead",
        "tr", "ul",
    }
)  # fmt: skip
# Their text is no part of the item's: code, styles, embedded objects, forms.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "object", "svg", "math",
        "head", "title", "textarea", "select", "button",
    }
)  # fmt: skip
# Blocks whose end a parser infers when the next one opens: they never nest deep.
SELF_CLOSING_BLOCKS = frozenset({"p", "li", "dt", "dd", "tr", "thead", "tbody", "tfoot", "hr"})
NESTING_TAG_RE = re.compile(
    r"<(/?)(" + "|".join(sorted(BLOCKS - SELF_CLOSING_BLOCKS)) + r")\b", re.IGNORECASE
)
# The sanitizer's time grows with the square of how deep blocks nest: 100,000
# nested <div> (a megabyte) take it most of a minute. News is a few levels deep.
MAX_NESTING = 100
# Two line breaks in a row, spaces between them or not, end a paragraph.
PARAGRAPH_BREAK_RE = re.compile(r"[ \t]*\n[ \t]*\n\s*")
HTML_WHITESPACE_RE = re.compile(r"[ \t\n\r\f]+")
# nh3's output has bare tags only (no attributes) and its text escaped: a tag
# is found by a pattern, and "<" in the text is always "&lt;".
TAG_RE = re.compile(r"<(/?)([a-z][a-z0-9]*)\s*/?>")
# "text/html", "html", "application/xhtml+xml", "xhtml": feedparser's and the
# formats' own names for content with markup.
HTML_TYPE_RE = re.compile(r"html", re.IGNORECASE)


class UnreadableMarkup(ValueError):
    """Markup refused before it is cleaned; the message says why, in Russian."""


def html_to_text(markup: str) -> str:
    """``markup`` as the portal's body: plain paragraphs separated by one blank line.

    Raises UnreadableMarkup for blocks nested deeper than ``MAX_NESTING``."""
    if (depth := _nesting(markup)) > MAX_NESTING:
        raise UnreadableMarkup(
            f"его HTML вложен на {depth} уровней, глубже {MAX_NESTING}: так новости не верстают"
        )
    safe = nh3.clean(
        markup,
        tags=set(BLOCKS | HEADINGS | CELLS | {"br"}),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    return _as_paragraphs("\n\n".join(_blocks(safe)))


def plain_to_text(text: str) -> str:
    """Plain text as the portal's body: paragraphs at blank lines, each on one line."""
    return _as_paragraphs(text)


def to_text(value: str, *, content_type: str) -> str:
    """A source's value of ``content_type`` (markup or plain) as the portal's body.

    Plain values have their entities decoded too: many feeds escape them twice
    («&amp;laquo;»), and an editor would otherwise read «&laquo;» in the headline.
    """
    if HTML_TYPE_RE.search(content_type):
        return html_to_text(value)
    return plain_to_text(html.unescape(value))


def to_line(value: str, *, content_type: str) -> str:
    """A source's value of ``content_type`` on one line: a headline."""
    return joined(to_text(value, content_type=content_type))


def joined(text: str) -> str:
    """The portal's text on one line: paragraphs joined, subheadings unmarked."""
    return " ".join(p.removeprefix(SUBHEADING_PREFIX) for p in text.split("\n\n") if p)


def one_line(text: str) -> str:
    """Text for a value shown on one line: a headline, a lead, a tag."""
    return normalise_text(text.replace("\n\n", "\n"), single_line=True)


def _as_paragraphs(text: str) -> str:
    """Normalised once for the whole text (the cost is per call), then every
    paragraph's lines joined, as a seed file's are."""
    paragraphs = (" ".join(p.split("\n")) for p in normalise_text(text).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p.strip() and p != SUBHEADING_PREFIX.strip())


def _nesting(markup: str) -> int:
    """How deep blocks nest at most, counting their tags (an estimate from above:
    tags inside comments and scripts count too)."""
    depth = deepest = 0
    for tag in NESTING_TAG_RE.finditer(markup):
        depth = max(0, depth - 1) if tag.group(1) else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _blocks(safe: str) -> list[str]:
    """The blocks of nh3's output as text: subheadings marked, ``<br>`` as "\\n"."""
    blocks: list[str] = []
    pending: list[str] = []
    headings = 0
    position = 0
    for tag in TAG_RE.finditer(safe):
        pending.append(_text(safe[position : tag.start()]))
        position = tag.end()
        closing, name = tag.groups()
        if name == "br":
            pending.append("\n")
        elif name in CELLS and not closing:
            pending.append(" ")
        elif name in BLOCKS or name in HEADINGS:
            _end_block(blocks, "".join(pending), heading=headings > 0)
            pending = []
            if name in HEADINGS:
                headings = max(0, headings + (-1 if closing else 1))
    pending.append(_text(safe[position:]))
    _end_block(blocks, "".join(pending), heading=headings > 0)
    return blocks


def _text(escaped: str) -> str:
    # Line ends in HTML are spaces to a reader (entities for them too): only
    # <br> breaks a line.
    return HTML_WHITESPACE_RE.sub(" ", html.unescape(escaped))


def _end_block(blocks: list[str], text: str, *, heading: bool) -> None:
    for chunk in PARAGRAPH_BREAK_RE.split(text):
        if chunk := chunk.strip(" \n"):
            blocks.append(SUBHEADING_PREFIX + chunk if heading else chunk)
