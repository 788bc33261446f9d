"""The catalog compiled for finding its entities in text.

Multi-word names win over shorter ones that start at the same word. A short
pattern (a bare surname, a model name without its brand) links only when no
other entity in the catalog could be meant; a full name two entities share
links neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from companies.kinds import LOAD_ORDER
from companies.models import Entity, VehicleModel

from ..text.tokens import AnyToken, fast_tokens
from .patterns import NameWord, Pattern, entity_patterns, lookup_keys

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
        candidates: list[Pattern] = []
        self.entities: dict[EntityKey, Entity] = {}
        for entity in entities:
            self.entities[entity_key(entity)] = entity
            candidates += entity_patterns(entity)
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

    def find(self, text: str) -> list[Mention]:
        """Every mention of a catalog entity in ``text``, in order of appearance."""
        return self.find_tokens(text, fast_tokens(text))

    def find_tokens(self, text: str, stream: Sequence[AnyToken]) -> list[Mention]:
        """``find`` for a text already split into tokens (``fast_tokens(text)``)."""
        keys = [lookup_keys(token.text) for token in stream]
        mentions = self._plain_mentions(text, stream, keys)
        if self._gapped:
            mentions += self._gapped_mentions(text, stream, keys)
        # A gapped alias may find again what its entity's plain name found.
        unique = {(entity_key(m.entity), m.start, m.end): m for m in mentions}
        return sorted(unique.values(), key=lambda m: (m.start, -m.end))

    def entities_in(self, *texts: str) -> set[EntityKey]:
        return {entity_key(m.entity) for text in texts for m in self.find(text)}

    def _plain_mentions(
        self, text: str, stream: Sequence[AnyToken], keys: list[frozenset[str] | None]
    ) -> list[Mention]:
        """The longest name at each word, reading on after it."""
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
        return mentions

    def _gapped_mentions(
        self, text: str, stream: Sequence[AnyToken], keys: list[frozenset[str] | None]
    ) -> list[Mention]:
        """Aliases with room for words between («грузовики ... Isuzu»), at every word."""
        mentions: list[Mention] = []
        gapped_keys = self._gapped_keys
        for start, token_keys in enumerate(keys):
            if not token_keys or token_keys.isdisjoint(gapped_keys):
                continue
            for pattern in self._candidates(self._gapped, token_keys):
                end = pattern.match_end(stream, start)
                if end is not None:
                    s, e = stream[start].start, stream[end - 1].end
                    mentions.append(Mention(pattern.entity, s, e, text[s:e]))
        return mentions

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
            end = pattern.match_end(stream, i)
            if end is None:
                continue
            if best is None or (end, not pattern.short) > (best[1], not best[0].short):
                best = (pattern, end)
        return best


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


def build_matcher() -> Matcher:
    """The whole catalog's matcher, read kind after kind in ``LOAD_ORDER``."""
    return Matcher([entity for kind in LOAD_ORDER for entity in kind.catalog()])
