"""Entries into inbox items: each stored once, updates flagged, stories grouped.

An entry is the item already stored under the same source and GUID, else under the
same canonical address (from any source: aggregators repeat each other), else with
the same text (``similarity.content_key``); otherwise it is new. What the entries
may be is read once per poll (``known_items``), and the recent fingerprints decoded
once per poll (``RecentStories``), not again for every entry. Every entry is
written in a transaction of its own, so a failure leaves no partial item and the
items before it stored. A new item whose fingerprint is close to a recent item's
(``similarity.same_story``) joins that item's story group.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import similarity
from .entries import Entry
from .known_items import Known, KnownItems, Lookup, known
from .models import InboxItem, ItemTag, Source, StoryGroup

# Stories are looked for among the items received this long before, at most
# RECENT_ITEMS of them: a story older than that is another story.
STORY_WINDOW = timedelta(days=7)
RECENT_ITEMS = 5000
# A source's boilerplate (the paragraphs it repeats under every item, which would
# group its different stories) is learned from this many of its newest items and
# the entries of the poll.
BOILERPLATE_ITEMS = 20
GUID_LENGTH = InboxItem._meta.get_field("guid").max_length
URL_LENGTH = InboxItem._meta.get_field("url").max_length
TITLE_LENGTH = InboxItem._meta.get_field("title").max_length


@dataclass
class IngestCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    grouped: int = 0
    # Items whose text is new or changed: the linking and suggestion jobs' work.
    changed_ids: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.grouped} grouped"
        )


class RecentStories:
    """The fingerprints of recent items and their groups, read and decoded once per ingest."""

    def __init__(self, *, now: datetime):
        rows = (
            InboxItem.objects.filter(received_at__gte=now - STORY_WINDOW)
            .exclude(signature=b"")
            .order_by("-received_at", "-pk")
            .values_list("pk", "signature", "group_id")[:RECENT_ITEMS]
        )
        self.fingerprints = similarity.FingerprintSet()
        self.groups: dict[int, int | None] = {}
        for pk, signature, group_id in rows:
            self.add(pk, bytes(signature), group_id)

    def add(self, pk: int, signature: bytes, group_id: int | None) -> None:
        self.fingerprints.add(pk, signature)
        self.groups[pk] = group_id

    def group_for(self, item: InboxItem) -> int | None:
        """The story group ``item`` belongs to, made now if its matches had none."""
        with self.fingerprints.hidden(item.pk):
            matches = similarity.same_story(bytes(item.signature), self.fingerprints)
        if not matches:
            return None
        group_id = next((self.groups[pk] for pk in matches if self.groups.get(pk)), None)
        if group_id is None:
            group_id = StoryGroup.objects.create().pk
        ungrouped = [pk for pk in matches if self.groups.get(pk) != group_id]
        InboxItem.objects.filter(pk__in=ungrouped, group__isnull=True).update(group_id=group_id)
        for pk in ungrouped:
            self.groups[pk] = self.groups.get(pk) or group_id
        return group_id


@dataclass
class Poll:
    """What one ingest carries from entry to entry."""

    source: Source
    now: datetime
    counts: IngestCounts
    stories: RecentStories
    known: KnownItems
    boilerplate: frozenset[str]


def ingest(
    source: Source, entries: Iterable[Entry], *, now: datetime | None = None
) -> IngestCounts:
    """Store a source's entries; what became of them."""
    now = now or timezone.now()
    entries = list(entries)
    counts = IngestCounts()
    keyed = _keyed_entries(entries, counts)
    poll = Poll(
        source=source,
        now=now,
        counts=counts,
        stories=RecentStories(now=now),
        known=KnownItems(source=source, lookups=[lookup for _, lookup in keyed]),
        boilerplate=_boilerplate(source, entries),
    )
    for entry, lookup in keyed:
        match = poll.known.find(lookup)
        if match is not None and (
            match.source_id != source.pk or match.content_key == lookup.content_key
        ):
            counts.unchanged += 1  # another source's, or the same text: nothing to write
            continue
        try:
            with transaction.atomic():
                _store_entry(poll, entry, lookup, match)
        except IntegrityError:
            # Stored meanwhile by another worker's poll of a source with the same items.
            counts.unchanged += 1
    return counts


def _keyed_entries(entries: list[Entry], counts: IngestCounts) -> list[tuple[Entry, Lookup]]:
    """Each entry with what it is looked up by; a GUID the feed repeats is reported."""
    keyed, seen_guids = [], set()
    for entry in entries:
        guid = _stored_guid(entry.guid)
        if guid and guid in seen_guids:
            counts.skipped.append(f"Запись с GUID «{entry.guid[:100]}» повторяется в ленте.")
            continue
        seen_guids.add(guid)
        url = _kept_url(entry)
        canonical = similarity.canonical_url(url) if url else ""
        key = similarity.content_key(entry.title, f"{entry.lead}\n\n{entry.body}")
        keyed.append((entry, Lookup(guid, canonical, key)))
    return keyed


def _store_entry(poll: Poll, entry: Entry, lookup: Lookup, match: Known | None) -> None:
    counts = poll.counts
    existing = None
    if match is not None:
        # The item to update read again, locked: an editor may have changed it since.
        existing = InboxItem.objects.select_for_update().filter(pk=match.pk).first()
        if existing is None:
            poll.known.forget(match.pk)  # deleted meanwhile: the entry is new
    item = existing or InboxItem(source=poll.source, guid=lookup.guid, received_at=poll.now)
    item.url, item.canonical_url = _kept_url(entry), lookup.canonical_url
    item.content_key = lookup.content_key
    item.title, item.lead, item.body = entry.title[:TITLE_LENGTH], entry.lead, entry.body
    item.published_at = entry.published
    item.signature = similarity.signature(_text(entry), boilerplate=poll.boilerplate)
    item.linked_hash = ""
    if existing is not None:
        item.updated_at, item.was_updated = poll.now, True
        counts.updated += 1
    else:
        counts.new += 1
    item.save()
    _add_tags(item, [*entry.tags, *poll.source.tag_names()], new=existing is None)
    if item.group_id is None and (group_id := poll.stories.group_for(item)):
        item.group_id = group_id
        InboxItem.objects.filter(pk=item.pk).update(group_id=group_id)
        counts.grouped += 1
    poll.stories.add(item.pk, bytes(item.signature), item.group_id)
    poll.known.remember(known(item))
    counts.changed_ids.append(item.pk)


def _kept_url(entry: Entry) -> str:
    """The entry's address, unless too long for the column."""
    return entry.url if len(entry.url) <= URL_LENGTH else ""


def _text(entry: Entry) -> str:
    return f"{entry.title}\n\n{entry.lead}\n\n{entry.body}"


def _boilerplate(source: Source, entries: list[Entry]) -> frozenset[str]:
    """What ``source`` repeats under its items, from its newest items and ``entries``."""
    newest = InboxItem.objects.filter(source=source).order_by("-received_at", "-pk")
    texts = [
        f"{title}\n\n{lead}\n\n{body}"
        for title, lead, body in newest.values_list("title", "lead", "body")[:BOILERPLATE_ITEMS]
    ]
    return similarity.learn_boilerplate([*texts, *(_text(entry) for entry in entries)])


def _stored_guid(guid: str) -> str:
    """The GUID as stored: a very long one by its hash, which fits the column."""
    guid = guid.strip()
    if len(guid) <= GUID_LENGTH:
        return guid
    return "sha256:" + hashlib.sha256(guid.encode()).hexdigest()


def _add_tags(item: InboxItem, names: list[str], *, new: bool) -> None:
    unique = {name.strip()[:100].casefold(): name.strip()[:100] for name in names if name.strip()}
    if not unique:
        return
    # A new item has no tags yet: no need to ask.
    have = set() if new else {name.casefold() for name in item.tags.values_list("name", flat=True)}
    ItemTag.objects.bulk_create(
        [ItemTag(item=item, name=name) for folded, name in unique.items() if folded not in have],
        ignore_conflicts=True,
    )
