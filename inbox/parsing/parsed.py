"""What a document gave: the entries taken and a line for every item not taken.

Every format reads its items into ``Item`` (text already cleaned) and hands them
to ``collect``, which applies the rules all formats share, so an item is either
a whole ``Entry`` or a line in ``skipped``, never half of one: a headline
(within an article's limit) and some text are required, a GUID may appear once
in a document (the first occurrence, the newest in a feed, is taken), a lead
that only repeats the body's opening is dropped, and so is a first paragraph
that only repeats the headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from articles.models import SUBHEADING_PREFIX
from inbox.entries import Entry

from .cleaning import joined

# ``Article.title``'s limit: a longer headline could not become a draft (a test
# checks they agree). Such a "headline" is usually the whole text put in the wrong field.
TITLE_MAX_LENGTH = 300
# How summaries say "the rest is in the article": «…», "...", "[…]", "[...]".
TRUNCATION_RE = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.{3,})\s*$")


@dataclass(frozen=True)
class Parsed:
    """The entries of a document, in its order, and one plain Russian line for each
    item not taken, naming it (GUID, address or position) and saying why."""

    entries: list[Entry]
    skipped: list[str]


@dataclass(frozen=True)
class Item:
    """An item as a format read it. ``summary`` and ``body`` are the portal's text
    (``cleaning``); ``problem`` is set when the format already knows the item is
    unusable, in words that follow its name in ``skipped``."""

    name: str
    guid: str = ""
    url: str = ""
    title: str = ""
    summary: str = ""
    body: str = ""
    published: datetime | None = None
    tags: tuple[str, ...] = ()
    problem: str = ""


def item_name(position: int, *, guid: str = "", url: str = "") -> str:
    """How a skipped line names an item of a feed: its position, and its GUID or address."""
    known = f"GUID {guid}" if guid else url
    return f"Элемент №{position}" + (f" ({known})" if known else "")


def collect(items: Iterable[Item]) -> Parsed:
    entries: list[Entry] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for item in items:
        problem = item.problem or _problem(item)
        if not problem and item.guid in seen:
            problem = "такой GUID уже был у элемента выше, взят тот"
        if problem:
            skipped.append(f"{item.name} не взят: {problem}.")
            continue
        if item.guid:
            seen.add(item.guid)
        entries.append(_entry(item))
    return Parsed(entries=entries, skipped=skipped)


def _problem(item: Item) -> str:
    if not item.title:
        return "нет заголовка"
    if len(item.title) > TITLE_MAX_LENGTH:
        return f"заголовок длиннее {TITLE_MAX_LENGTH} символов ({len(item.title)})"
    if not (item.body or item.summary):
        return "нет текста"
    return ""


def _entry(item: Item) -> Entry:
    if item.body:
        body, lead = item.body, joined(item.summary)
    else:
        # The summary is all the text there is: it is the body, not a lead.
        body, lead = item.summary, ""
    body = _without_title(body, title=item.title)
    if _repeats_opening(lead, body):
        lead = ""
    return Entry(
        guid=item.guid,
        url=item.url,
        title=item.title,
        lead=lead,
        body=body,
        published=item.published,
        tags=item.tags,
    )


def _without_title(body: str, *, title: str) -> str:
    """The body without a first paragraph that only repeats the headline, as many
    feeds' HTML opens with the headline in an ``<h1>``."""
    first, _, rest = body.partition("\n\n")
    if _comparable(first.removeprefix(SUBHEADING_PREFIX)) == _comparable(title) and rest:
        return rest
    return body


def _repeats_opening(lead: str, body: str) -> bool:
    """Whether ``lead`` is the body's start, perhaps cut short with an ellipsis."""
    core = _comparable(TRUNCATION_RE.sub("", lead))
    return not core or _comparable(body).startswith(core)


def _comparable(text: str) -> str:
    return " ".join(text.replace(SUBHEADING_PREFIX, " ").split()).casefold()
