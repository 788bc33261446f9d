"""Synthetic articles built from the templates and the catalog's names.

Article ``n`` of a seed is always the same article (for the same catalog and
end date): it depends on nothing but the seed and ``n``, so a corpus can be
built again, or in parts, and benchmark figures stay comparable. Each article
has a cast (entities drawn with weights falling by rank, as in real news a few
are everywhere), a date within the chosen years, a lead, paragraphs with some
subheadings, and the marks of a synthetic article. It records where it put
each name, so its links need no linker.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate, islice
from zoneinfo import ZoneInfo

from django.conf import settings

from articles.linking import Matcher
from articles.linking.topics import CATEGORY_TAGS, topics_in
from articles.models import (
    MENTION_IN_BODY,
    MENTION_IN_HEADLINE,
    MENTION_IN_LEAD,
    SUBHEADING_PREFIX,
    Article,
)
from companies.models import Company, Country, Entity, Official, VehicleModel

from .names import Form, entity_forms
from .templates import ENTITY_KINDS, Template, check_templates
from .vocabulary import (
    DISCLAIMER,
    MONTHS,
    MONTHS_LOCT,
    PERIODS,
    PREFIX,
    SENTENCES,
    SUBHEADINGS,
    TAG,
    TITLES,
    TOPIC_SENTENCES,
)

DRAFT_SHARE = 0.02
SCHEDULED_SHARE = 0.01


@dataclass
class Paragraph:
    """A block being built: its text so far and the mentions in it."""

    pieces: list[str] = field(default_factory=list)
    length: int = 0
    mentions: list[tuple[int, int, str, int]] = field(default_factory=list)

    def add(self, text: str, mentions=()) -> None:
        if self.pieces:
            self.pieces.append(" ")
            self.length += 1
        for start, end, label, pk in mentions:
            self.mentions.append((self.length + start, self.length + end, label, pk))
        self.pieces.append(text)
        self.length += len(text)

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass
class SyntheticArticle:
    index: int
    title: str
    lead: str
    blocks: list[tuple[str, str]]  # ("paragraph" | "subheading", text)
    mentions: list[list]  # as ``Article.mentions``: [text, start, end, label, pk]
    found: set[tuple[str, int]]  # (label, pk) of every entity named anywhere
    tags: set[str]
    published_at: dt.datetime
    status: str

    @property
    def source_key(self) -> str:
        return f"{PREFIX}{self.index:07d}"

    @property
    def body(self) -> str:
        return "\n\n".join(
            f"{SUBHEADING_PREFIX}{text}" if kind == "subheading" else text
            for kind, text in self.blocks
        )

    def seed_document(self) -> str:
        """The article as a seed file (``load_seed``'s format)."""
        paragraphs = [self.title, self.lead, *(text for _kind, text in self.blocks)]
        date = self.published_at.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        return f"date {date.isoformat()}\n" + "\n\n".join(paragraphs) + "\n"


class Generator:
    """Builds synthetic articles from the catalog; article ``n`` depends only on seed and n."""

    def __init__(
        self, *, matcher: Matcher, seed: int = 1, years: int = 4, until: dt.date | None = None
    ):
        self.seed = seed
        zone = ZoneInfo(settings.TIME_ZONE)
        until = until or dt.datetime.now(zone).date()
        self.until = dt.datetime.combine(until, dt.time.min, tzinfo=zone)
        self.span_days = max(1, round(365.25 * years))
        self.cast_pool = self._cast_pool(matcher)
        available = {kind for kind, entries in self.cast_pool.items() if entries}

        def usable(texts: list[str]) -> list[Template]:
            compiled = [Template.compile(text) for text in texts]
            return [t for t in check_templates(compiled, matcher) if t.kinds <= available]

        self.titles = usable(TITLES)
        self.sentences = [t for t in usable(SENTENCES) if not t.topics]
        self.topic_sentences = {
            topic: [t for t in usable(texts) if t.topics == {topic}]
            for topic, texts in TOPIC_SENTENCES.items()
        }
        self.topic_sentences = {k: v for k, v in self.topic_sentences.items() if v}
        self.subheadings = [s for s in SUBHEADINGS if not matcher.find(s) and not topics_in(s)]
        self.named_sentences = [t for t in self.sentences if t.kinds] or self.sentences
        self.categories = {entity.pk: entity.category for entity, _f in self.cast_pool["model"]}
        self._cumulative: dict[int, list[float]] = {}
        if not self.titles or not self.sentences:
            raise ValueError("the catalog has too few entities to build articles from")

    @staticmethod
    def _cast_pool(matcher: Matcher) -> dict[str, list[tuple[Entity, dict[str, list[Form]]]]]:
        pool: dict[str, list] = {kind: [] for kind in ENTITY_KINDS}
        entities = sorted(matcher.entities.values(), key=lambda e: (type(e).__name__, e.pk))
        for entity in entities:
            forms = entity_forms(entity, matcher)
            if "nomn" not in forms:
                continue
            entry = (entity, forms)
            if isinstance(entity, Country):
                pool["country"].append(entry)
            elif isinstance(entity, VehicleModel):
                pool["model"].append(entry)
            elif isinstance(entity, Official):
                pool["official"].append(entry)
            elif isinstance(entity, Company):
                pool["company"].append(entry)
                kind = {
                    Company.Kind.ASSEMBLY_PLANT: "plant",
                    Company.Kind.MANUFACTURER: "plant",
                    Company.Kind.BRAND: "brand",
                    Company.Kind.GOVERNMENT_BODY: "ministry",
                }.get(entity.kind)
                if kind:
                    pool[kind].append(entry)
        return pool

    def article(self, index: int) -> SyntheticArticle:
        # Every random choice comes from this one generator, in a fixed order:
        # reordering the calls below would change every article of a seed.
        rng = random.Random(f"{self.seed}:{index}")
        cast = {
            kind: self._pick_cast(rng, entries, 2 if kind == "country" else 1)
            for kind, entries in self.cast_pool.items()
            if entries
        }
        published_at, status = self._date_and_status(rng)
        draft = _Draft(rng, cast, published_at.year)
        title = draft.paragraph([rng.choice(self.titles)])
        lead, paragraphs = self._lead_and_paragraphs(rng, draft)
        blocks, body_mentions = self._blocks(rng, draft, paragraphs)
        # Positions as ``Article.mentions`` keeps them: the headline, the lead, the blocks.
        mentions = [
            *([MENTION_IN_HEADLINE, *mention] for mention in title.mentions),
            *([MENTION_IN_LEAD, *mention] for mention in lead.mentions),
            *([MENTION_IN_BODY + block, *mention] for block, *mention in body_mentions),
        ]
        for label, pk in draft.found:
            if label == "companies.vehiclemodel" and self.categories.get(pk):
                draft.tags.add(CATEGORY_TAGS[self.categories[pk]])
        return SyntheticArticle(
            index=index,
            title=title.text,
            lead=lead.text,
            blocks=blocks,
            mentions=mentions,
            found=draft.found,
            tags=draft.tags,
            published_at=published_at,
            status=status,
        )

    def _date_and_status(self, rng: random.Random) -> tuple[dt.datetime, str]:
        day = self.until - dt.timedelta(days=rng.randint(1, self.span_days))
        published_at = day + dt.timedelta(hours=rng.randint(8, 20), minutes=rng.randrange(60))
        status = Article.Status.PUBLISHED
        roll = rng.random()
        if roll < DRAFT_SHARE:
            status = Article.Status.DRAFT
        elif roll < DRAFT_SHARE + SCHEDULED_SHARE:
            published_at = self.until + dt.timedelta(days=rng.randint(1, 30), hours=10)
        return published_at, status

    def _lead_and_paragraphs(
        self, rng: random.Random, draft: _Draft
    ) -> tuple[Paragraph, list[list[Template]]]:
        """The lead, written, and the templates of each body paragraph, a topic
        sentence or two among them."""
        # No sentence twice in one article.
        sizes = [rng.randint(2, 4) for _ in range(rng.randint(3, 6))]
        first = rng.choice(self.named_sentences)
        rest = [t for t in self.sentences if t is not first]
        chosen = iter(rng.sample(rest, k=min(len(rest), 1 + sum(sizes))))
        lead = draft.paragraph([first, *islice(chosen, 1)])
        paragraphs = [sentences for size in sizes if (sentences := list(islice(chosen, size)))]
        topics = sorted(self.topic_sentences)
        for topic in rng.sample(topics, k=min(len(topics), rng.randint(1, 2))):
            sentences = rng.choice(paragraphs)
            sentences.insert(
                rng.randint(0, len(sentences)), rng.choice(self.topic_sentences[topic])
            )
        return lead, paragraphs

    def _blocks(
        self, rng: random.Random, draft: _Draft, paragraphs: list[list[Template]]
    ) -> tuple[list[tuple[str, str]], list[list]]:
        """The body's blocks (paragraphs, some subheadings, the disclaimer last)
        and the mentions in them."""
        blocks: list[tuple[str, str]] = []
        body_mentions: list[list] = []
        headings = rng.sample(self.subheadings, k=min(len(self.subheadings), 4))
        for n, sentences in enumerate(paragraphs):
            if n and headings and rng.random() < 0.5:
                blocks.append(("subheading", headings.pop()))
            paragraph = draft.paragraph(sentences)
            body_mentions += [[len(blocks), *mention] for mention in paragraph.mentions]
            blocks.append(("paragraph", paragraph.text))
        blocks.append(("paragraph", DISCLAIMER))
        return blocks, body_mentions

    def _pick_cast(self, rng: random.Random, entries: list, count: int) -> list:
        # A few entities are in many articles, most in a few: weights fall with the rank.
        n = len(entries)
        if n not in self._cumulative:
            self._cumulative[n] = list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(n)))
        picked: list = []
        for _ in range(count * 3):
            entry = rng.choices(entries, cum_weights=self._cumulative[n])[0]
            if all(entry is not other for other in picked):
                picked.append(entry)
            if len(picked) == count:
                break
        return picked


@dataclass
class _Draft:
    """One article being written: its cast, and what its sentences named and were about."""

    rng: random.Random
    cast: dict[str, list[tuple[Entity, dict[str, list[Form]]]]]
    year: int
    found: set[tuple[str, int]] = field(default_factory=set)
    tags: set[str] = field(default_factory=lambda: {TAG})

    def paragraph(self, templates: list[Template]) -> Paragraph:
        paragraph = Paragraph()
        for template in templates:
            text, mentions = self.sentence(template)
            paragraph.add(text, mentions)
            self.tags |= template.topics
        return paragraph

    def sentence(self, template: Template) -> tuple[str, list[tuple[int, int, str, int]]]:
        pieces: list[str] = []
        mentions: list[tuple[int, int, str, int]] = []
        length = 0
        used: dict[str, int] = {}
        for part, value, case in template.parts:
            if part == "text":
                text = value
            elif value in self.cast:
                # A second slot of the same kind takes the cast's second entity.
                choices = self.cast[value]
                _entity, forms = choices[used.get(value, 0) % len(choices)]
                used[value] = used.get(value, 0) + 1
                options = forms.get(case) or forms["nomn"]
                form = options[0] if self.rng.random() < 0.6 else self.rng.choice(options)
                text = form.text
                for start, end, label, pk in form.mentions:
                    mentions.append((length + start, length + end, label, pk))
                    self.found.add((label, pk))
            else:
                text = _value(self.rng, value, self.year)
            pieces.append(text)
            length += len(text)
        text = "".join(pieces)
        return text[:1].upper() + text[1:], mentions


def _value(rng: random.Random, kind: str, year: int) -> str:
    if kind == "num":
        return str(rng.randint(2, 200) * 10)
    if kind == "pct":
        return str(rng.randint(2, 40))
    if kind == "money":
        return f"{rng.randint(5, 500)} млн долларов"
    if kind == "year":
        return str(year + rng.randint(0, 2))
    if kind == "period":
        return rng.choice(PERIODS)
    if kind == "month":
        return rng.choice(MONTHS)
    if kind == "month_loct":
        return rng.choice(MONTHS_LOCT)
    raise ValueError(f"unknown slot {kind!r}")
