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

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from itertools import chain
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction
from razdel.segmenters.punct import DASHES, ENDINGS
from razdel.segmenters.tokenize import ATOM, SMILE

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
from .text.morphology import WORD_RE, Token, analyse, is_common_word

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

EntityKey = tuple[type[Entity], int]


# Tokens ------------------------------------------------------------------------

# A run of non-space characters: named "atom" when it is one of razdel's atoms
# as a whole (a word of one alphabet, a number, a single character), which is
# a token whatever stands around it; otherwise razdel's rules decide.
# Words whose lemmas and lookup keys are kept: a long load meets ever new words
# (names, numbers), and memory should not grow with it for long.
CACHED_WORDS = 50_000
_CHUNK = re.compile(r"(?P<atom>(?:[а-яё]+|[a-z]+|\d+|\S)(?!\S))|\S+", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S")
_LETTERS_OR_OTHER = frozenset(["RU", "LAT", "OTHER"])
# razdel's rules for a delimiter between two atoms: «cho-to» and «a_b» join when
# neither neighbour is punctuation, «3.14» and «1/2» when both are numbers.
# ``x in "..."`` is razdel's own test.
_DELIMITER_RULES = (
    (lambda x: x in DASHES, None),
    (lambda x: x == "_", None),
    (lambda x: x in ".,", "INT"),
    (lambda x: x in "/\\", "INT"),
)


class FastToken(NamedTuple):
    """A token with what ``morphology.Token`` offers (text, start, end, is_word,
    lemmas, known), as a tuple: made by the hundred per article, a tuple is
    made several times faster than a frozen dataclass."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return _word_lemmas(self.text) is not None

    @property
    def lemmas(self) -> frozenset[str]:
        return analyse(self.text)[0]

    @property
    def known(self) -> bool:
        return analyse(self.text)[1]


_new_token = partial(tuple.__new__, FastToken)
# What the matcher reads: razdel's tokens (``morphology.tokens``) or ours.
AnyToken = Token | FastToken


def fast_tokens(text: str) -> list[FastToken]:
    """The tokens of ``morphology.tokens(text)`` (razdel's), several times faster.

    Tokenizing was most of the linker's time. razdel cuts the text into atoms
    (letters of one alphabet, digits, one punctuation mark, another symbol)
    and joins two atoms with no space between them when one of its rules says
    so. Most words stand between spaces as a single atom and are a token as
    they are; the rest are cut into razdel's atoms (its own regular expression)
    and joined by the same rules, which look at most one atom beyond the pair,
    across a space too.
    ``test_linking`` checks both agree on the seed and on many random strings.
    """
    result: list[FastToken] = []
    previous: tuple[int, int] | None = None  # the span of the previous chunk
    for chunk in _CHUNK.finditer(text):
        chunk_start, chunk_end = chunk.span()
        if chunk.lastgroup == "atom":
            result.append(_new_token((chunk.group(), chunk_start, chunk_end)))
            previous = (chunk_start, chunk_end)
            continue
        atoms = [
            (m.start(), m.end(), m.lastgroup) for m in ATOM.finditer(text, chunk_start, chunk_end)
        ]
        before = after = None
        if previous is not None:
            *_others, last = ATOM.finditer(text, *previous)
            before = (last.start(), last.end(), last.lastgroup)
        if following := _NON_SPACE.search(text, chunk_end):
            first = ATOM.match(text, following.start())
            after = (first.start(), first.end(), first.lastgroup)
        context = [before, *atoms, after]
        start = chunk_start
        for i in range(2, len(atoms) + 1):
            if _atoms_join(text, context, i, start):
                continue
            end = context[i - 1][1]
            result.append(_new_token((text[start:end], start, end)))
            start = context[i][0]
        result.append(_new_token((text[start:chunk_end], start, chunk_end)))
        previous = (chunk_start, chunk_end)
    return result


def _atoms_join(text: str, atoms: list[tuple[int, int, str]], i: int, start: int) -> bool:
    """razdel's rules (dash, underscore, float, fraction, punct, other, yahoo), in order."""
    l_start, l_end, l_type = atoms[i - 1]
    r_start, r_end, r_type = atoms[i]
    left, right = text[l_start:l_end], text[r_start:r_end]
    before = atoms[i - 2] if i >= 2 else None
    after = atoms[i + 1] if i + 1 < len(atoms) else None
    for is_delimiter, wanted in _DELIMITER_RULES:
        if is_delimiter(left):
            a, b = before, atoms[i]
        elif is_delimiter(right):
            a, b = atoms[i - 1], after
        else:
            continue
        if a is None or b is None:
            continue
        if wanted is None:
            if a[2] != "PUNCT" and b[2] != "PUNCT":
                return True
        elif a[2] == wanted and b[2] == wanted:
            return True
    if l_type == "PUNCT" and r_type == "PUNCT":
        if SMILE.match(text[start:l_end] + right):
            return True
        if left in ENDINGS and right in ENDINGS:
            return True
        if left + right in ("--", "**"):
            return True
    if l_type == "OTHER" and r_type in _LETTERS_OR_OTHER:
        return True
    if l_type in _LETTERS_OR_OTHER and r_type == "OTHER":
        return True
    return left.lower() == "yahoo" and right == "!"


@lru_cache(maxsize=CACHED_WORDS)
def _word_lemmas(text: str) -> frozenset[str] | None:
    """``analyse(text)[0]`` for a word, None for punctuation, in one cached call."""
    return analyse(text)[0] if WORD_RE.search(text) else None


@lru_cache(maxsize=CACHED_WORDS)
def _lookup_keys(text: str) -> frozenset[str] | None:
    """Index keys a text word can be found under (None for punctuation).

    Its lemmas, and the word less a one- to three-letter ending, so that a name
    the dictionary does not know («Моторс») is found in its case forms.
    """
    if not WORD_RE.search(text):
        return None
    lower = text.lower()
    stems = {lower[:-n] for n in (1, 2, 3) if len(lower) - n >= 4}
    return analyse(text)[0] | stems


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

    def matches(self, token: AnyToken) -> bool:
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
        # Every text word this name word matches has one of these among its
        # ``_lookup_keys``: a shared lemma (an abbreviation's text is its lemma),
        # or the stem left when its case ending is cut off.
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
    for token in fast_tokens(name.replace("...", GAP_MARKER)):
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


# Names are found in a tree of their first words; longer names are told apart
# by ``_match_at``. Deeper would multiply the paths (a word has several keys).
TRIE_DEPTH = 3


class _Node:
    __slots__ = ("children", "patterns")

    def __init__(self):
        self.children: dict[str, _Node] = {}
        self.patterns: list[Pattern] = []  # the names whose first words lead here

    def add(self, pattern: Pattern, words: tuple[NameWord, ...]) -> None:
        if not words:
            self.patterns.append(pattern)
            return
        for key in words[0].index_keys():
            self.children.setdefault(key, _Node()).add(pattern, words[1:])


class Matcher:
    """The catalog compiled for matching; build once, use for many articles.

    Names are kept in a tree by the keys of their first words (up to
    ``TRIE_DEPTH``): with thousands of entities many names share their first
    words («Министерство …», a brand before its models, «Тестовый завод 7»,
    «Тестовый завод 8»), and at each text word only the names whose first
    words all fit the text are tried.
    """

    def __init__(self, entities: Iterable[Entity]):
        candidates: list[Pattern] = []
        self.entities: dict[EntityKey, Entity] = {}
        for entity in entities:
            self.entities[_key(entity)] = entity
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
        # The order patterns were compiled in breaks ties between equally long
        # matches: an entity's name comes before its aliases.
        self._order: dict[int, int] = {}
        self._trie = _Node()
        self._gapped: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in candidates:
            rivals = owners if pattern.short else full_owners
            if len(rivals[pattern.signature] | {_key(pattern.entity)}) > 1:
                self.ambiguous.append(pattern)
                continue
            self._order[id(pattern)] = len(self._order)
            first = pattern.words[0].index_keys()
            if pattern.has_gap:
                for key in first:
                    self._gapped[key].append(pattern)
            else:
                self._trie.add(pattern, pattern.words[:TRIE_DEPTH])
        # Sets, so that testing a word against them is one hash lookup per key.
        self._first_keys = frozenset(self._trie.children)
        self._gapped_keys = frozenset(self._gapped)

    def find(self, text: str) -> list[Mention]:
        """Every mention of a catalog entity in ``text``, in order of appearance."""
        return self.find_tokens(text, fast_tokens(text))

    def find_tokens(self, text: str, stream: Sequence[AnyToken]) -> list[Mention]:
        """``find`` for a text already split into tokens (``fast_tokens(text)``)."""
        keys = [_lookup_keys(token.text) for token in stream]
        mentions: list[Mention] = []
        first_keys = self._first_keys
        i = 0
        while i < len(stream):
            # Most words start no name: one set test, no call.
            token_keys = keys[i]
            if not token_keys or token_keys.isdisjoint(first_keys):
                i += 1
                continue
            match = self._longest_at(stream, keys, i)
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
        if self._gapped:
            gapped_keys = self._gapped_keys
            for start, token_keys in enumerate(keys):
                if not token_keys or token_keys.isdisjoint(gapped_keys):
                    continue
                for pattern in self._candidates(self._gapped, token_keys):
                    end = _match_at(pattern, stream, start)
                    if end is not None:
                        s, e = stream[start].start, stream[end - 1].end
                        mentions.append(Mention(pattern.entity, s, e, text[s:e]))
        # A gapped alias may find again what its entity's plain name found.
        unique = {(_key(m.entity), m.start, m.end): m for m in mentions}
        return sorted(unique.values(), key=lambda m: (m.start, -m.end))

    def _candidates(
        self, index: Mapping[str, list[Pattern]], token_keys: frozenset[str]
    ) -> list[Pattern]:
        found = [pattern for key in token_keys for pattern in index.get(key, ())]
        if len(found) < 2:
            return found
        unique = {id(pattern): pattern for pattern in found}
        return sorted(unique.values(), key=lambda p: self._order[id(p)])

    def _longest_at(
        self, stream: Sequence[AnyToken], keys: list[frozenset[str] | None], i: int
    ) -> tuple[Pattern, int] | None:
        if not keys[i] or keys[i].isdisjoint(self._first_keys):
            return None
        found: list[Pattern] = []
        nodes = [self._trie]
        for token_keys in keys[i : i + TRIE_DEPTH]:
            if not token_keys:
                break
            nodes = [
                child for node in nodes for key in token_keys if (child := node.children.get(key))
            ]
            for node in nodes:
                found += node.patterns
        if len(found) > 1:
            unique = {id(pattern): pattern for pattern in found}
            found = sorted(unique.values(), key=lambda p: self._order[id(p)])
        best: tuple[Pattern, int] | None = None
        for pattern in found:
            end = _match_at(pattern, stream, i)
            if end is None:
                continue
            if best is None or (end, not pattern.short) > (best[1], not best[0].short):
                best = (pattern, end)
        return best

    def entities_in(self, *texts: str) -> set[tuple[type[Entity], int]]:
        return {_key(m.entity) for text in texts for m in self.find(text)}


def _brand_within(
    pattern: Pattern, stream: Sequence[AnyToken], i: int, text: str
) -> Mention | None:
    """«Chevrolet Onix» mentions the brand Chevrolet too."""
    model = pattern.entity
    if not (isinstance(model, VehicleModel) and model.short_name and pattern.name == model.name):
        return None
    brand_words = [t for t in stream[i:] if t.is_word][: len(model.brand.name.split())]
    start, end = brand_words[0].start, brand_words[-1].end
    return Mention(model.brand, start, end, text[start:end])


def _key(entity: Entity) -> EntityKey:
    return (type(entity), entity.pk)


def _match_at(pattern: Pattern, stream: Sequence[AnyToken], start: int) -> int | None:
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


def _find_within_gap(word: NameWord, stream: Sequence[AnyToken], i: int) -> int | None:
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


# Links in the database -------------------------------------------------------------


@dataclass
class LinkResult:
    added: list[Entity] = field(default_factory=list)
    removed: list[Entity] = field(default_factory=list)
    # Every entity linked to the article afterwards, the editors' links included.
    linked: set[EntityKey] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


class ArticleText:
    """An article's headline, lead and body blocks, each split into tokens once.

    The linker reads the blocks; the topic tagger reads the words of the
    whole text (``words``), so a loader that needs both tokenizes only once.
    """

    def __init__(self, article: Article):
        # The headline, the lead, then the body blocks.
        self.texts = [article.title, article.lead, *(b.text for b in article.blocks())]
        self._streams: list[list[FastToken] | None] = [None] * len(self.texts)

    def stream(self, n: int) -> list[FastToken]:
        """Tokens of text ``n``: 0 the headline, 1 the lead, 2 onwards the body blocks."""
        if (tokens := self._streams[n]) is None:
            tokens = self._streams[n] = fast_tokens(self.texts[n])
        return tokens

    def words(self) -> list[frozenset[str]] | None:
        """The lemmas of every word of ``f"{title}\\n{lead}\\n{body}"``, in order.

        The same words as tokenizing that whole text, read from the pieces'
        tokens. A tokenizer rule may look one atom past a space, so a piece
        that starts or ends with a dash, underscore, slash or a point after a
        digit could be tokenized otherwise in the whole text: then None, and
        the caller tokenizes the whole text.
        """
        texts = self.texts
        if any(_context_sensitive_edge(text) for text in texts):
            return None
        lemmas = [_word_lemmas(token.text) for n in range(len(texts)) for token in self.stream(n)]
        return [word for word in lemmas if word is not None]


_DIGIT = re.compile(r"\d")


def _context_sensitive_edge(text: str) -> bool:
    first, last = text[:1], text[-1:]
    if first and first in DASHES + "_.,/\\":
        return True
    if last and last in DASHES + "_":
        return True
    # «2024.» joins a number that follows («2024. 5» is one token to razdel).
    return bool(last) and last in ".,/\\" and bool(_DIGIT.match(text[-2:-1]))


@dataclass(frozen=True)
class ArticleMentions:
    """What the linker finds in one article: body positions and every entity named."""

    body_mentions: list[list]
    body_mentions_hash: str
    found: set[EntityKey]


def find_mentions(
    *, article: Article, matcher: Matcher, text: ArticleText | None = None
) -> ArticleMentions:
    """Mentions in the headline, lead and body, without touching the database.

    ``text`` is the article's ``ArticleText`` when the caller has it already.
    """
    text = text or ArticleText(article)
    texts = text.texts
    found = {_key(m.entity) for n in (0, 1) for m in matcher.find_tokens(texts[n], text.stream(n))}
    body_mentions = [
        [n - 2, m.start, m.end, m.entity._meta.label_lower, m.entity.pk]
        for n in range(2, len(texts))
        for m in matcher.find_tokens(texts[n], text.stream(n))
    ]
    found |= {(_model_for(label), pk) for _n, _s, _e, label, pk in body_mentions}
    return ArticleMentions(body_mentions, article.body_hash(), found)


@transaction.atomic
def link_entities(*, article: Article, matcher: Matcher | None = None) -> LinkResult:
    """Bring the linker's links of ``article`` in line with its text.

    Adds entities the text mentions, drops the linker's own links the text no
    longer supports, and leaves every editor decision alone.
    """
    matcher = matcher or build_matcher()
    mentions = find_mentions(article=article, matcher=matcher)
    Article.objects.filter(pk=article.pk).update(
        body_mentions=mentions.body_mentions, body_mentions_hash=mentions.body_mentions_hash
    )
    article.body_mentions = mentions.body_mentions
    article.body_mentions_hash = mentions.body_mentions_hash
    return sync_links(found={article.pk: mentions.found}, matcher=matcher)[article.pk]


def sync_links(
    *,
    found: Mapping[int, set[EntityKey]],
    matcher: Matcher | None = None,
    new: bool = False,
) -> dict[int, LinkResult]:
    """The linker's links of many articles (by pk) in line with what their text names.

    A fixed number of queries whatever the number of articles: the caller keeps
    batches to a few hundred. ``new`` says the articles were just created, so
    they have no links and no editor's removals to read. Call inside a
    transaction (the loader's, or ``link_entities``).
    """
    ids = list(found)
    results = {pk: LinkResult() for pk in ids}
    rejected = {} if new else _rejected_keys(ids)
    for model, through, _attr in LINK_KINDS:
        existing: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
        if not new:
            rows = through.objects.filter(article_id__in=ids).values_list(
                "pk", "article_id", "entity_id", "origin"
            )
            for pk, article_id, entity_id, origin in rows:
                existing[article_id][entity_id] = (pk, origin)
        to_create = []
        stale_links = []
        added: dict[int, list[int]] = {}
        removed: dict[int, list[int]] = {}
        for article_id in ids:
            wanted = {pk for kind, pk in found[article_id] if kind is model}
            wanted -= rejected.get((article_id, model), set())
            links = existing.get(article_id, {})
            new_ids = sorted(wanted - links.keys())
            stale = [
                entity_id
                for entity_id, (_pk, origin) in links.items()
                if origin == LinkOrigin.LINKER and entity_id not in wanted
            ]
            to_create += [(article_id, pk, LinkOrigin.LINKER.value) for pk in new_ids]
            stale_links += [links[entity_id][0] for entity_id in stale]
            added[article_id], removed[article_id] = new_ids, stale
            kept = (links.keys() - set(stale)) | wanted
            results[article_id].linked |= {(model, pk) for pk in kept}
        insert_rows(through, ["article", "entity", "origin"], to_create)
        if stale_links:
            through.objects.filter(pk__in=stale_links).delete()
        entities = _entities(
            model,
            [*chain.from_iterable(added.values()), *chain.from_iterable(removed.values())],
            matcher,
        )
        for article_id in ids:
            results[article_id].added += _by_name(entities, added[article_id])
            results[article_id].removed += _by_name(entities, removed[article_id])
    return results


def link_articles(*, articles: Sequence[Article], matcher: Matcher) -> dict[int, LinkResult]:
    """``link_entities`` for a batch of saved articles, in a fixed number of queries.

    Body positions are written only where they changed.
    """
    found: dict[int, set[EntityKey]] = {}
    changed_positions = []
    for article in articles:
        mentions = find_mentions(article=article, matcher=matcher)
        found[article.pk] = mentions.found
        if (article.body_mentions, article.body_mentions_hash) != (
            mentions.body_mentions,
            mentions.body_mentions_hash,
        ):
            article.body_mentions = mentions.body_mentions
            article.body_mentions_hash = mentions.body_mentions_hash
            changed_positions.append(article)
    with transaction.atomic():
        Article.objects.bulk_update(changed_positions, ["body_mentions", "body_mentions_hash"])
        return sync_links(found=found, matcher=matcher)


def _entities(
    model: type[Entity], pks: Iterable[int], matcher: Matcher | None
) -> dict[int, Entity]:
    known = matcher.entities if matcher else {}
    result = {pk: known[(model, pk)] for pk in set(pks) if (model, pk) in known}
    missing = set(pks) - result.keys()
    if missing:
        result |= model.objects.in_bulk(missing)
    return result


def _by_name(entities: dict[int, Entity], pks: list[int]) -> list[Entity]:
    # The order the catalog lists them in (``Entity.Meta.ordering``).
    return sorted((entities[pk] for pk in pks), key=lambda e: (e.name, e.pk))


def _model_for(label: str) -> type[Entity]:
    return next(model for model, _t, _a in LINK_KINDS if model._meta.label_lower == label)


def _rejected_keys(article_ids: list[int]) -> dict[tuple[int, type[Entity]], set[int]]:
    rejected: dict[tuple[int, type[Entity]], set[int]] = defaultdict(set)
    rows = RejectedLink.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "content_type_id", "object_id"
    )
    for article_id, ct_id, object_id in rows:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        rejected[(article_id, model)].add(object_id)
    return rejected


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values of ``fields``, in order) into ``model``'s table.

    For the many small link and tag rows of a batch: ``bulk_create`` builds a
    model instance and compiles every value of every row, which took most of a
    load's writing time. Rows go many to a statement (one statement per row
    costs PostgreSQL a round of parsing and planning each). Like
    ``bulk_create``, it sends no signals.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    per_statement = min(1000, (connection.features.max_query_params or 65535) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([row] * len(chunk))}",
                [value for values in chunk for value in values],
            )


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
