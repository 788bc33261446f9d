"""HTML and plain text from sources, made into the portal's plain-text paragraphs.

nh3 (a maintained sanitizer) parses the HTML as a browser would, drops scripts,
styles and other non-text elements with their content and every attribute, and
keeps only the tags that shape text into blocks. What remains is walked once:
every block element (paragraph, list item, heading, quotation, table row...)
ends a paragraph, a heading becomes a subheading of the body (``## ``), a
single ``<br>`` is a line break inside a paragraph and two in a row end it, as
feeds that have no ``<p>`` use them. Entities are decoded on the way, and each
paragraph passes through ``normalise_text``, as all text entering the portal
does: one space between words, invisible characters gone, a paragraph on one
line (as in seed files), paragraphs separated by one blank line.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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
# Two line breaks in a row, spaces between them or not, end a paragraph.
PARAGRAPH_BREAK_RE = re.compile(r"[ \t]*\n[ \t]*\n\s*")
HTML_WHITESPACE_RE = re.compile(r"[ \t\n\r\f]+")
# "text/html", "html", "application/xhtml+xml", "xhtml": feedparser's and the
# formats' own names for content with markup.
HTML_TYPE_RE = re.compile(r"html", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    """``markup`` as the portal's body: plain paragraphs separated by one blank line."""
    safe = nh3.clean(
        markup,
        tags=set(BLOCKS | HEADINGS | CELLS | {"br"}),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={},
        link_rel=None,
        strip_comments=True,
    )
    walker = _BlockWalker()
    walker.feed(safe)
    walker.close()
    return "\n\n".join(walker.finish())


def plain_to_text(text: str) -> str:
    """Plain text as the portal's body: paragraphs at blank lines, each on one line."""
    paragraphs = normalise_text(text).split("\n\n")
    return "\n\n".join(p for p in (_one_paragraph(p) for p in paragraphs) if p)


def to_text(value: str, *, content_type: str) -> str:
    """A source's value of ``content_type`` (markup or plain) as the portal's body.

    Plain values have their entities decoded too: many feeds escape them twice
    («&amp;laquo;»), and an editor would otherwise read «&laquo;» in the headline.
    """
    if HTML_TYPE_RE.search(content_type):
        return html_to_text(value)
    return plain_to_text(html.unescape(value))


def one_line(text: str) -> str:
    """Text for a value shown on one line: a headline, a lead, a tag."""
    return normalise_text(text.replace("\n\n", "\n"), single_line=True)


def _one_paragraph(text: str) -> str:
    if text.startswith(SUBHEADING_PREFIX):
        heading = normalise_text(text[len(SUBHEADING_PREFIX) :], single_line=True)
        return f"{SUBHEADING_PREFIX}{heading}" if heading else ""
    return normalise_text(text, single_line=True)


class _BlockWalker(HTMLParser):
    """Collects the paragraphs of HTML that nh3 has already reduced to bare blocks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.pending: list[str] = []
        self.heading_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.pending.append("\n")
        elif tag in HEADINGS:
            self._flush()
            self.heading_depth += 1
        elif tag in BLOCKS:
            self._flush()
        elif tag in CELLS:
            self.pending.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HEADINGS:
            self._flush()
            self.heading_depth = max(0, self.heading_depth - 1)
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        # Line ends in HTML source are spaces to a reader: only <br> breaks a line.
        self.pending.append(HTML_WHITESPACE_RE.sub(" ", data))

    def finish(self) -> list[str]:
        self._flush()
        return self.paragraphs

    def _flush(self):
        text, self.pending = "".join(self.pending), []
        for chunk in PARAGRAPH_BREAK_RE.split(text):
            prefix = SUBHEADING_PREFIX if self.heading_depth else ""
            if paragraph := _one_paragraph(prefix + chunk.strip()):
                self.paragraphs.append(paragraph)
