"""The seed document format: bytes to text, and text to a ``ParsedDocument``.

A document opens with ``date YYYY-MM-DD`` (after optional whitespace, alone on
its line or followed by the first paragraph). Paragraphs are separated by
blank lines; a short line without closing punctuation is a subheading, and
when the first paragraph is one it is the headline; otherwise the headline is
made from the opening sentence (``headlines.derive_title``). The text is
normalised as all text entering the portal is (``articles.text.normalise``):
line ends, spaces, words broken at a line end. README.md, «Seed documents», has
the rules.

Everything here is pure: no file system, no database, so the rules can be
tested (and fuzzed) on strings alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from articles.models import SUBHEADING_PREFIX
from articles.text.normalise import normalise_line_ends, normalise_text

from .errors import SeedError
from .headlines import derive_title

# Seed documents are news texts of a few kilobytes: a bigger file is a mistake
# (or an attack), refused before it is read. ``--max-bytes`` raises the limit.
MAX_BYTES = 1024 * 1024
# Dates a news article can carry; outside them a date is a typo, and year 1 would
# not even survive the conversion to UTC.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
SUBHEADING_MAX = 120
HEADER_RE = re.compile(r"date[ \t]+(\S+)(?:[ \t]+(.*))?$", re.IGNORECASE)
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
SURROGATE_RE = re.compile("[\ud800-\udfff]")
WORD_CHARACTER_RE = re.compile(r"[^\W_]")
CLOSING_PUNCTUATION = ".!?…:;,"
TRAILING_QUOTES = "»\"')”’"


@dataclass(frozen=True)
class ParsedDocument:
    source_key: str
    path: Path
    date: dt.date
    title: str
    lead: str
    body: str
    title_derived: bool = False

    @property
    def content_hash(self) -> str:
        parts = [self.date.isoformat(), self.title, self.lead, self.body]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def published_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def size_limit_error(path: Path | str, size: int, max_bytes: int) -> SeedError:
    limit = "1 MB" if max_bytes == MAX_BYTES else f"{max_bytes:,}-byte"
    return SeedError(
        path,
        None,
        f"file is {size:,} bytes, over the {limit} limit; split it into several "
        "or raise the limit with --max-bytes",
    )


def decode(
    raw: bytes, *, path: Path | str, encoding: str = "utf-8", max_bytes: int = MAX_BYTES
) -> str:
    if len(raw) > max_bytes:
        raise size_limit_error(path, len(raw), max_bytes)
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SeedError(
            path,
            line,
            f"byte 0x{raw[exc.start]:02x} at column {column} is not valid {encoding}; "
            "if the file uses a legacy encoding, pass --encoding (for example --encoding cp1251)",
        ) from None
    text = text.removeprefix("\ufeff")
    if surrogate := SURROGATE_RE.search(text):
        # Some codecs (utf-7, unicode_escape) decode to halves of a character
        # pair, which no database can store.
        line = text.count("\n", 0, surrogate.start()) + 1
        raise SeedError(
            path,
            line,
            f"decodes to U+{ord(surrogate.group()):04X}, half of a character pair, "
            f"not a character: is {encoding} the file's encoding?",
        )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SeedError(path, line, "contains a NUL byte: this is not a plain text file")
    return normalise_line_ends(text)


def is_subheading(paragraph: str) -> bool:
    """A short single line that does not end like a sentence."""
    if "\n" in paragraph or len(paragraph) > SUBHEADING_MAX:
        return False
    return paragraph.rstrip(TRAILING_QUOTES)[-1:] not in CLOSING_PUNCTUATION


def parse_document(text: str, *, path: Path) -> ParsedDocument:
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SeedError(path, 1, "file is empty; it must open with the header 'date YYYY-MM-DD'")
    header = HEADER_RE.match(lines[first].strip())
    if not header:
        raise SeedError(
            path,
            first + 1,
            f"expected the header 'date YYYY-MM-DD', found {lines[first].strip()[:40]!r}",
        )
    date = _parse_date(header.group(1), path=path, line=first + 1)
    # The text that follows the date on the header's line opens the first paragraph.
    opening = [header.group(2)] if header.group(2) else []
    texts = _paragraphs("\n".join(opening + lines[first + 1 :]))

    title_derived = not (texts and is_subheading(texts[0]))
    title = "" if title_derived else texts.pop(0)
    if not texts:
        raise SeedError(path, len(lines), "no text after the header and headline")
    lead, rest = texts[0], texts[1:]
    body = "\n\n".join(f"{SUBHEADING_PREFIX}{p}" if is_subheading(p) else p for p in rest)
    title = title or derive_title(lead)
    if not WORD_CHARACTER_RE.search(title):  # «...» keeps its dots, but says nothing
        raise SeedError(path, first + 1, "the first paragraph has no words to make a headline from")
    return ParsedDocument(
        source_key=path.stem,
        path=path,
        date=date,
        title=title,
        lead=lead,
        body=body,
        title_derived=title_derived,
    )


def _paragraphs(text: str) -> list[str]:
    """The text after the header as paragraphs, each joined into one line.

    Normalised first, so a word broken at a line end is whole before the
    lines are joined with spaces.
    """
    return [" ".join(p.split("\n")) for p in normalise_text(text).split("\n\n") if p]


def _parse_date(value: str, *, path: Path, line: int) -> dt.date:
    if not DATE_RE.fullmatch(value):
        raise SeedError(path, line, f"date {value!r} is not in the form YYYY-MM-DD")
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise SeedError(path, line, f"impossible date {value}") from None
    if not MIN_DATE <= date <= MAX_DATE:
        raise SeedError(
            path, line, f"date {value} is outside {MIN_DATE.year}–{MAX_DATE.year}; is it a typo?"
        )
    return date
