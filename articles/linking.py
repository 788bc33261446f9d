"""Find catalog entities in article text and link them to the article.

Names are matched word by word on lemmas, so every case and number of a name
matches («Романом Чекушовым» → Роман Чекушов). Multi-word names win over
shorter ones that start at the same word. A bare surname or a model name
without its brand («Cobalt») also links, but only when no other entity in the
catalog could be meant.

Links remember who made them (``LinkOrigin``). The linker adds and removes
only its own links; an editor's added links stay, and an editor's removals
(``RejectedLink``) are never re-added.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from companies.models import Company, Country, Entity, Official, VehicleModel

from .models import (
    Article,
    ArticleCompany,
    ArticleCountry,
    ArticleOfficial,
    ArticleVehicleModel,
    LinkOrigin,
    RejectedLink,
)
from .morphology import Token, analyse, is_common_word, tokens

# Endings a Russian case form may add to a name the dictionary does not know
# («Тулпар Моторс» → «Тулпар Моторса», «Моторсом»).
CASE_ENDINGS = frozenset(
    [
        "а",
        "я",
        "у",
        "ю",
        "ом",
        "ем",
        "е",
        "ы",
        "и",
        "ов",
        "ев",
        "ам",
        "ям",
        "ами",
        "ями",
        "ах",
        "ях",
        "ой",
        "ей",
        "ым",
        "им",
        "ых",
        "их",
        "ого",
        "ому",
        "ыми",
    ]
)
GAP_MARKER = "…"
MAX_GAP = 5
SENTENCE_END = frozenset([".", "!", "?", ";", "…"])

# Each entity model, the through model holding its article links, and the
# Article attribute, in the order pages list them.
LINK_KINDS: tuple[tuple[type[Entity], type[models.Model], str], ...] = (
    (Company, ArticleCompany, "companies"),
    (VehicleModel, ArticleVehicleModel, "vehicle_models"),
    (Official, ArticleOfficial, "officials"),
    (Country, ArticleCountry, "countries"),
)


@dataclass(frozen=True, slots=True)
class NameWord:
    """One word of a catalog name, and how text words may match it."""

    text: str
    lemmas: frozenset[str]
    capitalised: bool  # a name: the text must capitalise it too
    abbreviation: bool
    stem: str  # non-empty when the word is unknown and may take a case ending

    @classmethod
    def from_text(cls, text: str) -> NameWord:
        lemmas, known = analyse(text)
        letters = [c for c in text if c.isalpha()]
        abbreviation = 1 < len(letters) <= 5 and all(c.isupper() for c in letters)
        cyrillic = any("а" <= c <= "я" or c == "ё" for c in text.lower())
        stem = text.lower() if (cyrillic and not known and len(text) >= 4) else ""
        capitalised = text[:1].isupper() and not is_common_word(text)
        return cls(text, lemmas, capitalised, abbreviation, stem)

    def matches(self, token: Token) -> bool:
        if self.abbreviation:
            return token.text == self.text
        if self.capitalised and not token.text[:1].isupper():
            # Names are written with a capital: «роман» the book is not «Роман».
            return False
        if self.lemmas & token.lemmas:
            return True
        lower = token.text.lower()
        return (
            bool(self.stem)
            and lower.startswith(self.stem)
            and (lower[len(self.stem) :] in CASE_ENDINGS)
        )

    def index_keys(self) -> frozenset[str]:
        return self.lemmas | ({self.stem} if self.stem else set())


@dataclass(frozen=True)
class Pattern:
    entity: Entity
    name: str
    words: tuple[NameWord, ...]
    gap_before: tuple[bool, ...]  # may up to MAX_GAP words stand before words[i]?
    short: bool  # a surname or a model name without its brand

    @property
    def signature(self) -> tuple[frozenset[str], ...]:
        return tuple(w.lemmas if not w.abbreviation else frozenset([w.text]) for w in self.words)

    @property
    def has_gap(self) -> bool:
        return any(self.gap_before)


@dataclass(frozen=True)
class Mention:
    entity: Entity
    start: int
    end: int
    text: str


def _pattern(entity: Entity, name: str, *, short: bool = False) -> Pattern | None:
    words: list[NameWord] = []
    gaps: list[bool] = []
    gap = False
    for token in tokens(name.replace("...", GAP_MARKER)):
        if token.text == GAP_MARKER:
            gap = bool(words)
            continue
        if not token.is_word:
            continue
        words.append(NameWord.from_text(token.text))
        gaps.append(gap)
        gap = False
    if not words:
        return None
    return Pattern(entity, name, tuple(words), tuple(gaps), short)


def _short_names(entity: Entity) -> list[str]:
    if isinstance(entity, Official):
        return [entity.surname] if entity.surname else []
    if isinstance(entity, VehicleModel):
        return [entity.short_name] if entity.short_name else []
    return []


def _organization_title(entity: Entity) -> str:
    """An official's full position names the organization: «заместитель министра
    промышленности и торговли РФ» mentions the ministry. One- and two-word
    positions («министр», «премьер-министр») are too generic to say which."""
    if isinstance(entity, Official) and entity.organization and len(entity.position.split()) > 2:
        return entity.position
    return ""


class Matcher:
    """The catalog compiled for matching; build once, use for many articles."""

    def __init__(self, entities: Iterable[Entity]):
        candidates: list[Pattern] = []
        for entity in entities:
            for name in entity.names:
                if pattern := _pattern(entity, name):
                    candidates.append(pattern)
            for name in _short_names(entity):
                if pattern := _pattern(entity, name, short=True):
                    candidates.append(pattern)
            title = _organization_title(entity)
            if title and (pattern := _pattern(entity.organization, title, short=True)):
                candidates.append(pattern)

        # Who could be meant by each name: a full name shared by two entities
        # is ambiguous; a short form yields to any other entity's name.
        owners: dict[tuple, set] = defaultdict(set)
        full_owners: dict[tuple, set] = defaultdict(set)
        for pattern in candidates:
            owners[pattern.signature].add(_key(pattern.entity))
            if not pattern.short:
                full_owners[pattern.signature].add(_key(pattern.entity))

        self.ambiguous: list[Pattern] = []
        self._index: dict[str, list[Pattern]] = defaultdict(list)
        self._gapped: list[Pattern] = []
        for pattern in candidates:
            rivals = owners if pattern.short else full_owners
            if len(rivals[pattern.signature] | {_key(pattern.entity)}) > 1:
                self.ambiguous.append(pattern)
                continue
            if pattern.has_gap:
                self._gapped.append(pattern)
                continue
            for key in pattern.words[0].index_keys():
                self._index[key].append(pattern)
        for patterns in self._index.values():
            # Longest first; a full name before a short form of the same length.
            patterns.sort(key=lambda p: (-len(p.words), p.short))

    def find(self, text: str) -> list[Mention]:
        """Every mention of a catalog entity in ``text``, in order of appearance."""
        stream = tokens(text)
        mentions: list[Mention] = []
        i = 0
        while i < len(stream):
            match = self._longest_at(stream, i)
            if match is None:
                i += 1
                continue
            pattern, end = match
            start_char, end_char = stream[i].start, stream[end - 1].end
            mentions.append(
                Mention(pattern.entity, start_char, end_char, text[start_char:end_char])
            )
            if brand := _brand_within(pattern, stream, i, text):
                mentions.append(brand)
            i = end
        for pattern in self._gapped:
            for start in range(len(stream)):
                end = _match_at(pattern, stream, start)
                if end is not None:
                    s, e = stream[start].start, stream[end - 1].end
                    mentions.append(Mention(pattern.entity, s, e, text[s:e]))
        # A gapped alias may find again what its entity's plain name found.
        unique = {(_key(m.entity), m.start, m.end): m for m in mentions}
        return sorted(unique.values(), key=lambda m: (m.start, -m.end))

    def _longest_at(self, stream: list[Token], i: int) -> tuple[Pattern, int] | None:
        token = stream[i]
        if not token.is_word:
            return None
        lower = token.text.lower()
        keys = set(token.lemmas) | {lower[:-n] for n in (1, 2, 3) if len(lower) - n >= 4}
        seen: set[int] = set()
        best: tuple[Pattern, int] | None = None
        for key in keys:
            for pattern in self._index.get(key, ()):
                if id(pattern) in seen:
                    continue
                seen.add(id(pattern))
                end = _match_at(pattern, stream, i)
                if end is None:
                    continue
                if best is None or (end, not pattern.short) > (best[1], not best[0].short):
                    best = (pattern, end)
        return best

    def entities_in(self, *texts: str) -> set[tuple[type[Entity], int]]:
        return {_key(m.entity) for text in texts for m in self.find(text)}


def _brand_within(pattern: Pattern, stream: list[Token], i: int, text: str) -> Mention | None:
    """«Chevrolet Onix» mentions the brand Chevrolet too."""
    model = pattern.entity
    if not (isinstance(model, VehicleModel) and model.short_name and pattern.name == model.name):
        return None
    brand_words = [t for t in stream[i:] if t.is_word][: len(model.brand.name.split())]
    start, end = brand_words[0].start, brand_words[-1].end
    return Mention(model.brand, start, end, text[start:end])


def _key(entity: Entity) -> tuple[type[Entity], int]:
    return (type(entity), entity.pk)


def _match_at(pattern: Pattern, stream: list[Token], start: int) -> int | None:
    """Index just past the match of ``pattern`` starting at ``stream[start]``, or None."""
    i = start
    for n, word in enumerate(pattern.words):
        if n > 0:
            if pattern.gap_before[n]:
                i = _find_within_gap(word, stream, i)
                if i is None:
                    return None
            elif i >= len(stream) or not word.matches(stream[i]):
                return None
        elif not (stream[i].is_word and word.matches(stream[i])):
            return None
        i += 1
    return i


def _find_within_gap(word: NameWord, stream: list[Token], i: int) -> int | None:
    skipped = 0
    while i < len(stream) and skipped <= MAX_GAP:
        token = stream[i]
        if token.text in SENTENCE_END:
            return None
        if token.is_word and token.text[:1].isupper() and not word.matches(token):
            # Another name stands in between: «грузовики КАМАЗ и автобусы Isuzu».
            return None
        if token.is_word:
            if word.matches(token):
                return i
            skipped += 1
        i += 1
    return None


def build_matcher() -> Matcher:
    entities: list[Entity] = [
        *Country.objects.all(),
        *Company.objects.all(),
        *VehicleModel.objects.select_related("brand"),
        *Official.objects.select_related("organization"),
    ]
    return Matcher(entities)


@dataclass
class LinkResult:
    added: list[Entity] = field(default_factory=list)
    removed: list[Entity] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@transaction.atomic
def link_entities(*, article: Article, matcher: Matcher | None = None) -> LinkResult:
    """Bring the linker's links of ``article`` in line with its text.

    Adds entities the text mentions, drops the linker's own links the text no
    longer supports, and leaves every editor decision alone.
    """
    matcher = matcher or build_matcher()
    body_mentions = [
        [n, m.start, m.end, m.entity._meta.label_lower, m.entity.pk]
        for n, block in enumerate(article.blocks())
        for m in matcher.find(block.text)
    ]
    found = matcher.entities_in(article.title, article.lead)
    found |= {(_model_for(label), pk) for _n, _s, _e, label, pk in body_mentions}
    Article.objects.filter(pk=article.pk).update(
        body_mentions=body_mentions, body_mentions_hash=article.body_hash()
    )
    article.body_mentions, article.body_mentions_hash = body_mentions, article.body_hash()
    rejected = _rejected_keys(article)
    result = LinkResult()
    for model, through, _attr in LINK_KINDS:
        wanted = {pk for kind, pk in found if kind is model} - rejected.get(model, set())
        existing = {link.entity_id: link for link in through.objects.filter(article=article)}
        new_ids = wanted - existing.keys()
        through.objects.bulk_create(
            [through(article=article, entity_id=pk, origin=LinkOrigin.LINKER) for pk in new_ids]
        )
        stale = [
            link
            for pk, link in existing.items()
            if link.origin == LinkOrigin.LINKER and pk not in wanted
        ]
        through.objects.filter(pk__in=[link.pk for link in stale]).delete()
        result.added += model.objects.filter(pk__in=new_ids)
        result.removed += model.objects.filter(pk__in=[link.entity_id for link in stale])
    return result


def _model_for(label: str) -> type[Entity]:
    return next(model for model, _t, _a in LINK_KINDS if model._meta.label_lower == label)


def _rejected_keys(article: Article) -> dict[type[Entity], set[int]]:
    rejected: dict[type[Entity], set[int]] = defaultdict(set)
    for ct_id, object_id in RejectedLink.objects.filter(article=article).values_list(
        "content_type_id", "object_id"
    ):
        rejected[ContentType.objects.get_for_id(ct_id).model_class()].add(object_id)
    return rejected


def _through_for(entity: Entity) -> type[models.Model]:
    for model, through, _attr in LINK_KINDS:
        if isinstance(entity, model):
            return through
    raise TypeError(f"{type(entity).__name__} is not a linkable entity")


@transaction.atomic
def add_link(*, article: Article, entity: Entity) -> None:
    """An editor links ``entity``: the link stays whatever the text says."""
    through = _through_for(entity)
    through.objects.update_or_create(
        article=article, entity=entity, defaults={"origin": LinkOrigin.EDITOR}
    )
    RejectedLink.objects.filter(
        article=article,
        content_type=ContentType.objects.get_for_model(entity),
        object_id=entity.pk,
    ).delete()


@transaction.atomic
def remove_link(*, article: Article, entity: Entity) -> None:
    """An editor unlinks ``entity``: re-linking will not bring it back."""
    _through_for(entity).objects.filter(article=article, entity=entity).delete()
    RejectedLink.objects.get_or_create(
        article=article,
        content_type=ContentType.objects.get_for_model(entity),
        object_id=entity.pk,
    )
