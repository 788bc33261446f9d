"""The feeds ``bench/ingest.py`` serves: synthetic stories spread over many sources.

A plan deals stories to sources: some stories are told by several sources (each
telling its own: another headline, the paragraphs reordered, one dropped, the
source's own sign-off), the rest by one. Every source gets the same number of
items and one kind, the kinds taking turns (RSS, Atom, JSON Feed, ninjs), so a
plan of 20 sources has 5 of each. ``render`` writes a source's feed as the kind's
document. The stories come from the caller (``bench/corpus`` in the benchmark,
plain ones in the tests): nothing here needs Django.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape

KINDS = ("rss", "atom", "jsonfeed", "ninjs")
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
    "ninjs": "application/json; charset=utf-8",
}
# How a retelling's headline differs from the first telling's: agencies reword them.
RETOLD_HEADLINES = ("{title}: подробности", "Сообщают: {title}", "{title} — что известно")
SUBHEADING_PREFIX = "## "  # as the corpus writes a body's subheadings
# The last paragraph of every item: the news is invented (the corpus's marks, in brief).
# Participles only: a noun here would be a word every item shares, which story
# grouping counts.
MARK = "Всё здесь вымышлено и сгенерировано автоматически."


@dataclass(frozen=True)
class Story:
    """One piece of news before any source tells it."""

    title: str
    lead: str
    blocks: tuple[str, ...]  # body paragraphs; a subheading starts with SUBHEADING_PREFIX


@dataclass(frozen=True)
class Item:
    story: int  # the story's number in the plan
    telling: int  # 0: the first source to tell it; 1, 2...: the others
    guid: str
    url: str
    title: str
    lead: str
    blocks: tuple[str, ...]
    published: dt.datetime


@dataclass(frozen=True)
class Feed:
    number: int
    name: str
    kind: str
    path: str  # where the server answers with it
    items: tuple[Item, ...]

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


@dataclass(frozen=True)
class Plan:
    feeds: tuple[Feed, ...]
    shared_stories: int  # stories told by more than one source
    tellers: int  # sources telling each shared story

    @property
    def items(self) -> int:
        return sum(len(feed.items) for feed in self.feeds)

    def stories_needed(self) -> int:
        return len({item.story for feed in self.feeds for item in feed.items})


def stories_needed(*, items: int, shared: int, tellers: int) -> int:
    """How many distinct stories a plan of ``items`` items with ``shared`` shared ones takes."""
    return items - shared * (tellers - 1)


def plan_feeds(
    stories: Sequence[Story],
    *,
    sources: int,
    items: int,
    shared: int,
    tellers: int = 3,
    seed: int = 1,
    now: dt.datetime,
) -> Plan:
    """``items`` items over ``sources`` sources (as even as the numbers allow), the first
    ``shared`` stories each told by ``tellers`` different sources, the rest by one."""
    needed = stories_needed(items=items, shared=shared, tellers=tellers)
    if len(stories) < needed or tellers > sources or items < sources:
        raise ValueError(
            f"{items} items from {sources} sources with {shared} stories told {tellers} times "
            f"need {needed} stories and at least {tellers} sources; got {len(stories)} stories"
        )
    rng = random.Random(f"ingest-feeds:{seed}")
    room = [items // sources + (1 if n < items % sources else 0) for n in range(sources)]
    dealt: list[list[tuple[int, int]]] = [[] for _ in range(sources)]  # (story, telling)
    for story in range(shared):
        # The sources with the most room left, ties broken at random: every feed fills.
        order = sorted(range(sources), key=lambda n: (-room[n], rng.random()))
        for telling, source in enumerate(order[:tellers]):
            dealt[source].append((story, telling))
            room[source] -= 1
    story = shared
    for source in range(sources):
        for _ in range(room[source]):
            dealt[source].append((story, 0))
            story += 1
    feeds = []
    for number, pairs in enumerate(dealt, start=1):
        rng.shuffle(pairs)
        kind = KINDS[(number - 1) % len(KINDS)]
        feed_items = tuple(
            _item(stories[s], number=s, telling=t, source=number, position=p, now=now)
            for p, (s, t) in enumerate(pairs)
        )
        name = f"Вымышленное агентство №{number}"
        feeds.append(Feed(number, name, kind, f"/source-{number:02d}/feed", feed_items))
    return Plan(tuple(feeds), shared_stories=shared, tellers=tellers)


def _item(
    story: Story, *, number: int, telling: int, source: int, position: int, now: dt.datetime
) -> Item:
    """Source ``source``'s telling of story ``number``: the first telling as written,
    the others reworded, reordered and shortened, as another agency would."""
    blocks = list(story.blocks)
    title = story.title
    if telling:
        title = RETOLD_HEADLINES[(telling - 1) % len(RETOLD_HEADLINES)].format(title=title)
        paragraphs = [b for b in blocks if not b.startswith(SUBHEADING_PREFIX)]
        shift = telling % max(1, len(paragraphs))
        blocks = paragraphs[shift:] + paragraphs[:shift]
        if len(blocks) > 2:
            del blocks[telling % len(blocks)]
    blocks.append(MARK)
    host = f"source-{source:02d}.example"
    return Item(
        story=number,
        telling=telling,
        guid=f"urn:{host}:news:{number}",
        url=f"https://{host}/news/{number}",
        title=title,
        lead=story.lead,
        blocks=tuple(blocks),
        published=now - dt.timedelta(minutes=position * 7 + source),
    )


def render(feed: Feed, *, base_url: str) -> bytes:
    """``feed`` as a document of its kind, UTF-8."""
    writer = {"rss": _rss, "atom": _atom, "jsonfeed": _json_feed, "ninjs": _ninjs}[feed.kind]
    return writer(feed, base_url).encode("utf-8")


def _html(blocks: Sequence[str]) -> str:
    return "".join(
        f"<h2>{escape(b.removeprefix(SUBHEADING_PREFIX))}</h2>"
        if b.startswith(SUBHEADING_PREFIX)
        else f"<p>{escape(b)}</p>"
        for b in blocks
    )


def _rss(feed: Feed, base_url: str) -> str:
    items = "".join(
        f"<item><title>{escape(i.title)}</title><link>{escape(i.url)}</link>"
        f'<guid isPermaLink="false">{escape(i.guid)}</guid>'
        f"<pubDate>{format_datetime(i.published)}</pubDate>"
        f"<description>{escape(i.lead)}</description>"
        f"<content:encoded>{escape(_html(i.blocks))}</content:encoded></item>\n"
        for i in feed.items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(feed.name)}</title><link>{escape(base_url)}</link>"
        f"<description>{escape(feed.name)}</description>\n{items}</channel></rss>\n"
    )


def _atom(feed: Feed, base_url: str) -> str:
    entries = "".join(
        f"<entry><title>{escape(i.title)}</title><id>{escape(i.guid)}</id>"
        f'<link rel="alternate" href="{escape(i.url)}"/>'
        f"<published>{i.published.isoformat()}</published>"
        f"<updated>{i.published.isoformat()}</updated>"
        f"<summary>{escape(i.lead)}</summary>"
        f'<content type="html">{escape(_html(i.blocks))}</content></entry>\n'
        for i in feed.items
    )
    updated = max(i.published for i in feed.items).isoformat()
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(feed.name)}</title><id>{escape(base_url)}</id>"
        f"<updated>{updated}</updated>\n{entries}</feed>\n"
    )


def _json_feed(feed: Feed, base_url: str) -> str:
    items = [
        {
            "id": i.guid,
            "url": i.url,
            "title": i.title,
            "summary": i.lead,
            "content_html": _html(i.blocks),
            "date_published": i.published.isoformat(),
        }
        for i in feed.items
    ]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.name,
        "feed_url": base_url,
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


def _ninjs(feed: Feed, base_url: str) -> str:
    items = [
        {
            # ninjs has no link of its own here: the item's address is its URI.
            "uri": i.url,
            "type": "text",
            "firstCreated": i.published.isoformat(),
            "headlines": [{"value": i.title}],
            "descriptions": [{"value": i.lead, "role": "summary"}],
            "bodies": [{"value": _html(i.blocks), "contentType": "text/html"}],
        }
        for i in feed.items
    ]
    return json.dumps(items, ensure_ascii=False, indent=1)
