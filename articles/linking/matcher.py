"""The catalog compiled for finding its entities in text.

Multi-word names win over shorter ones that start at the same word. A short
pattern (a bare surname, a model name without its brand) links only when no
other entity in the catalog could be meant; a full name two entities share
links neither. Short forms also need the article's evidence
(``evidence.ArticleEvidence``), so an article is read as a whole:
``find_in_texts`` takes all its texts (headline, lead, body blocks); ``find``
reads one text as an article of its own (a search query, a suggested name).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from companies.kinds import whole_catalog
from companies.models import Country, Entity

from ..text.tokens import AnyToken, fast_tokens
from ..text.typography import name_tokens
from .context import names_something_else
from .evidence import ArticleEvidence, Candidate, evidence_needed
from .names import entity_patterns
from .patterns import NameWord, Pattern, Role, lookup_keys

EntityKey = tuple[type[Entity], int]

# Names are found in a tree of their first words; longer names are told apart
# by ``Pattern.match_end``. Deeper would multiply the paths (a word has several keys).
TRIE_DEPTH = 3


def entity_key(entity: Entity) -> EntityKey:
    return (type(entity), entity.pk)


@dataclass(frozen=True)
class Mention:
    entity: Entity
    start: int
    end: int
    text: str


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


def _split_ambiguous(candidates: list[Pattern]) -> tuple[list[Pattern], list[Pattern]]:
    """The patterns that say which entity is meant, and those that do not.

    Who could be meant by each name: a full name shared by two entities is
    ambiguous; a short form yields to any other entity's name.
    """
    owners: dict[tuple, set] = defaultdict(set)
    full_owners: dict[tuple, set] = defaultdict(set)
    for pattern in candidates:
        owners[pattern.signature].add(entity_key(pattern.entity))
        if not pattern.short:
            full_owners[pattern.signature].add(entity_key(pattern.entity))
    clear: list[Pattern] = []
    ambiguous: list[Pattern] = []
    for pattern in candidates:
        rivals = owners if pattern.short else full_owners
        if len(rivals[pattern.signature] | {entity_key(pattern.entity)}) > 1:
            ambiguous.append(pattern)
        else:
            clear.append(pattern)
    return clear, ambiguous


class Matcher:
    """The catalog compiled for matching; build once, use for many articles.

    Names are kept in a tree by the keys of their first words (up to
    ``TRIE_DEPTH``): with thousands of entities many names share their first
    words («Министерство …», a brand before its models, «Тестовый завод 7»,
    «Тестовый завод 8»), and at each text word only the names whose first
    words all fit the text are tried.
    """

    def __init__(self, entities: Iterable[Entity]):
        entities = list(entities)
        # Names that end with a country are also found with its other names.
        countries = {e.pk: e.names for e in entities if isinstance(e, Country)}
        candidates: list[Pattern] = []
        self.entities: dict[EntityKey, Entity] = {}
        for entity in entities:
            self.entities[entity_key(entity)] = entity
            candidates += entity_patterns(entity, countries=countries)
        clear, self.ambiguous = _split_ambiguous(candidates)

        # The order patterns were compiled in breaks ties between equally long
        # matches: an entity's name comes before its aliases.
        self._order: dict[int, int] = {}
        self._trie = _Node()
        self._gapped: dict[str, list[Pattern]] = defaultdict(list)
        for pattern in clear:
            self._order[id(pattern)] = len(self._order)
            if pattern.has_gap:
                for key in pattern.words[0].index_keys():
                    self._gapped[key].append(pattern)
            else:
                self._trie.add(pattern, pattern.words[:TRIE_DEPTH])
        # Sets, so that testing a word against them is one hash lookup per key.
        self._first_keys = frozenset(self._trie.children)
        self._gapped_keys = frozenset(self._gapped)
        self._word_keys = frozenset(
            key for pattern in clear for word in pattern.words for key in word.index_keys()
        )

    def find(self, text: str) -> list[Mention]:
        """Every mention of a catalog entity in ``text``, in order of appearance."""
        return self.find_in_texts([text])[0]

    def find_tokens(self, text: str, stream: Sequence[AnyToken]) -> list[Mention]:
        """``find`` for a text already split into tokens (``fast_tokens(text)``)."""
        return self.find_in_texts([text], [stream])[0]

    def find_in_texts(
        self, texts: Sequence[str], streams: Sequence[Sequence[AnyToken]] | None = None
    ) -> list[list[Mention]]:
        """The mentions in each text of one article, read with the evidence of
        all of them (``streams``: their ``fast_tokens`` when the caller has them)."""
        if streams is None:
            streams = [fast_tokens(text) for text in texts]
        words = [
            name_tokens(text, stream, joins=self._is_name_word)
            for text, stream in zip(texts, streams, strict=True)
        ]
        candidates = [self._candidates_in(n, stream) for n, stream in enumerate(words)]
        evidence = ArticleEvidence(texts, words, candidates)
        return [
            _mentions(text, found, evidence) for text, found in zip(texts, candidates, strict=True)
        ]

    def _is_name_word(self, word: str) -> bool:
        """Whether ``word`` may be a word of a catalog name («Темиркана»), so that
        halves a hyphen kept apart («Темир-кана») are read as it."""
        keys = lookup_keys(word)
        return keys is not None and not keys.isdisjoint(self._word_keys)

    def entities_in(self, *texts: str) -> set[EntityKey]:
        return {entity_key(m.entity) for found in self.find_in_texts(texts) for m in found}

    def _candidates_in(self, n: int, stream: Sequence[AnyToken]) -> list[Candidate]:
        """The candidates of one text in order of appearance (longest first)."""
        keys = [lookup_keys(token.text) for token in stream]
        found = self._plain_candidates(n, stream, keys)
        gapped = self._gapped_candidates(n, stream, keys) if self._gapped else []
        if not gapped:
            return found  # in order already, one at each place
        # A gapped alias may find again what its entity's plain name found.
        unique = {(entity_key(c.entity), c.start_char, c.end_char): c for c in [*found, *gapped]}
        return sorted(unique.values(), key=lambda c: (c.start_char, -c.end_char))

    def _plain_candidates(
        self, n: int, stream: Sequence[AnyToken], keys: list[frozenset[str] | None]
    ) -> list[Candidate]:
        """The longest name at each word, reading on after it."""
        found: list[Candidate] = []
        first_keys = self._first_keys
        i = 0
        while i < len(stream):
            # Most words start no name: one set test, no call.
            token_keys = keys[i]
            if not token_keys or token_keys.isdisjoint(first_keys):
                i += 1
                continue
            match = self._longest_at(n, stream, keys, i)
            if match is None:
                i += 1
                continue
            found.append(match)
            i = match.end
        return found

    def _gapped_candidates(
        self, n: int, stream: Sequence[AnyToken], keys: list[frozenset[str] | None]
    ) -> list[Candidate]:
        """Aliases with room for words between («грузовики ... Isuzu»), at every word."""
        found: list[Candidate] = []
        gapped_keys = self._gapped_keys
        for start, token_keys in enumerate(keys):
            if not token_keys or token_keys.isdisjoint(gapped_keys):
                continue
            for pattern in self._candidates(self._gapped, token_keys):
                end = pattern.match_end(stream, start)
                if end is not None:
                    need = evidence_needed(pattern, stream, start, end)
                    found.append(_candidate(n, stream, keys, start, pattern, end, need))
        return found

    def _candidates(
        self, index: Mapping[str, list[Pattern]], token_keys: frozenset[str]
    ) -> list[Pattern]:
        found = [pattern for key in token_keys for pattern in index.get(key, ())]
        if len(found) < 2:
            return found
        unique = {id(pattern): pattern for pattern in found}
        return sorted(unique.values(), key=lambda p: self._order[id(p)])

    def _longest_at(
        self, n: int, stream: Sequence[AnyToken], keys: list[frozenset[str] | None], i: int
    ) -> Candidate | None:
        """The longest name at ``stream[i]``; when it needs evidence, the longest
        that needs none goes with it, to stand if the evidence fails."""
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
        # The longest match wins; at equal length a full name beats a short form.
        best = best_plain = None
        best_rank = plain_rank = (0, False)
        for pattern in found:
            end = pattern.match_end(stream, i)
            if end is None:
                continue
            rank = (end, not pattern.short)
            need = evidence_needed(pattern, stream, i, end)
            if rank > best_rank:
                best, best_rank = (pattern, end, need), rank
            if not need and rank > plain_rank:
                best_plain, plain_rank = (pattern, end, need), rank
        if best is None:
            return None
        candidate = _candidate(n, stream, keys, i, *best)
        if best is not best_plain and best_plain is not None:
            candidate.fallback = _candidate(n, stream, keys, i, *best_plain)
        return candidate


def _candidate(
    n: int,
    stream: Sequence[AnyToken],
    keys: Sequence[frozenset[str] | None],
    first: int,
    pattern: Pattern,
    end: int,
    need: str,
) -> Candidate:
    brand = None
    if pattern.brand_at is not None:
        # «Chevrolet Onix» and «грузовики Isuzu» mention the brand too.
        places = pattern.word_places(stream, first)
        index, count = pattern.brand_at
        brand = (stream[places[index]].start, stream[places[index + count - 1]].end)
    return Candidate(
        n,
        first,
        end,
        pattern,
        stream[first].start,
        stream[end - 1].end,
        need,
        names_something_else(
            stream, keys, first, end, may_be_first_name=pattern.role != Role.SURNAME
        ),
        brand,
    )


def _standing(candidate: Candidate | None, evidence: ArticleEvidence) -> Candidate | None:
    """The candidate, if the evidence accepts it, or else the first of its fallbacks that stands."""
    while candidate is not None:
        if not candidate.names_something_else and (
            not candidate.need or evidence.accepts(candidate)
        ):
            return candidate
        candidate = candidate.fallback
    return None


def _mentions(text: str, found: list[Candidate], evidence: ArticleEvidence) -> list[Mention]:
    """The mentions of one text (``found`` in order, see ``_candidates_in``): each
    candidate the evidence accepts, or what stands in its place."""
    mentions: list[Mention] = []
    brands = 0
    for candidate in found:
        if candidate.need or candidate.names_something_else:
            candidate = _standing(candidate, evidence)
            if candidate is None:
                continue
        start = candidate.start_char
        if candidate.given is not None and candidate.given.before:
            start = candidate.given.start  # «Р. Чекушов», the initial with the surname
        end = candidate.end_char
        mentions.append(Mention(candidate.entity, start, end, text[start:end]))
        if candidate.brand is not None:
            b_start, b_end = candidate.brand
            brand = candidate.entity.brand
            mentions.append(Mention(brand, b_start, b_end, text[b_start:b_end]))
            brands += 1
    if not brands:
        return mentions
    # Two gapped names may share their brand («грузовики и автобусы Isuzu»), which
    # may stand after the next name's start: once each, in order of appearance.
    unique = {(entity_key(m.entity), m.start, m.end): m for m in mentions}
    return sorted(unique.values(), key=lambda m: (m.start, -m.end))


def build_matcher() -> Matcher:
    """The whole catalog's matcher, read kind after kind in ``LOAD_ORDER``."""
    return Matcher(whole_catalog())
