"""Catalog entities a query names or mentions, listed above the articles found;
and the query words that name them (``namings``), whose entities' articles the
search finds whatever name their text uses.

The linker's matcher finds names inside a longer query, in any case form and by
any of the entity's names («заводы Киргизии» → Кыргызстан, «Tulpar Motors» →
Тулпар Моторс). Only entities sharing a word with the query are compiled into a
matcher for it, from a catalog indexed by word keys and kept per content version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from companies.kinds import KINDS, kind_of, whole_catalog
from companies.models import Entity
from portal.cache import content_version_or_none
from portal.lifetimes import VersionedValue

from ..linking import Matcher
from .namings import Naming, find_namings
from .terms import WORD_RE, Term, word_keys

MAX_ENTITIES = 20
# Matchers kept per catalog: one per set of query words. Compiling one for a
# common word («завод»: every plant in the catalog) took 40 ms of a 120 ms search.
MATCHERS_KEPT = 512


@dataclass(frozen=True)
class EntityMatch:
    name: str
    url: str
    kind: str


@dataclass(frozen=True)
class CatalogMatch:
    entities: list[EntityMatch]  # to list above the articles
    namings: tuple[Naming, ...]  # whose articles count as containing the words


def find_entities(*, query: str, terms: Sequence[Term]) -> list[EntityMatch]:
    """The catalog entities to list above the articles (``match_catalog``)."""
    return match_catalog(query=query, terms=terms).entities


def match_catalog(*, query: str, terms: Sequence[Term]) -> CatalogMatch:
    """Catalog entities the query names or mentions, in page order of their kinds,
    then by name; and the namings among them.

    The matcher wants names capitalised, so it also reads the query with every
    word capitalised («киргизия»). Besides, an entity is listed when one of its
    names contains every query word («тулпар»): such a part of a name names
    nothing, so it finds no articles but those whose text has the words.
    """
    # Only entities sharing a word with the query can match: compiling the whole
    # catalog into a Matcher on every search would grow with the catalog.
    query_keys = frozenset().union(*map(word_keys, WORD_RE.findall(query.lower())))
    entities, matcher = catalog.get().matcher(query_keys)
    if matcher is None:
        return CatalogMatch([], ())
    found: dict[tuple[type, int], Entity] = {}
    mentions = []
    capitalised = " ".join(word[:1].upper() + word[1:] for word in query.split())
    for text in dict.fromkeys([query, capitalised]):
        for mention in matcher.find(text):
            found.setdefault((type(mention.entity), mention.entity.pk), mention.entity)
            mentions.append((text, mention.start, mention.end, mention.entity))
    for entity in entities:
        if any(_name_has_all(name, terms) for name in entity.names):
            found.setdefault((type(entity), entity.pk), entity)
    ordered = sorted(found.values(), key=lambda e: (KINDS.index(kind_of(e)), e.name.lower()))
    listed = [
        EntityMatch(e.name, e.get_absolute_url(), kind_of(e).label) for e in ordered[:MAX_ENTITIES]
    ]
    return CatalogMatch(listed, find_namings(mentions, terms))


class Catalog:
    """Every catalog entity with the word keys of its names, by key."""

    def __init__(self, entities: Iterable[Entity]):
        self.by_key: dict[str, list[Entity]] = defaultdict(list)
        for entity in entities:
            for key in _entity_keys(entity):
                self.by_key[key].append(entity)

        self._matchers: dict[frozenset[str], tuple[list[Entity], Matcher | None]] = {}

    def sharing(self, keys: Iterable[str]) -> list[Entity]:
        found = {id(e): e for key in keys for e in self.by_key.get(key, ())}
        return list(found.values())

    def matcher(self, keys: frozenset[str]) -> tuple[list[Entity], Matcher | None]:
        """The entities sharing a word key with ``keys``, and a matcher of them
        (None without any). Kept with the catalog, so per content version: an
        edited entity gets a new catalog and new matchers."""
        kept = self._matchers.get(keys)
        if kept is None:
            entities = self.sharing(keys)
            kept = (entities, Matcher(entities) if entities else None)
            if len(self._matchers) >= MATCHERS_KEPT:
                self._matchers.clear()  # simple and bounded; common queries come back at once
            self._matchers[keys] = kept
        return kept


def load_catalog() -> Catalog:
    # Each kind's catalog() loads what Matcher reads of it (a model's brand, an
    # official's organization), so matching costs no more queries.
    return Catalog(whole_catalog())


# Loaded once per content version and process: a search costs one look at the
# version instead of reading every entity again, and an edited entity is
# searched for in its new form at once.
catalog = VersionedValue(load_catalog, version=content_version_or_none)


def _entity_keys(entity: Entity) -> frozenset[str]:
    # An official's position is there because it names their organization.
    texts = [*entity.names, getattr(entity, "position", "")]
    return frozenset().union(*(word_keys(w) for t in texts for w in WORD_RE.findall(t.lower())))


def _name_has_all(name: str, terms: Sequence[Term]) -> bool:
    name_keys = [word_keys(word) for word in WORD_RE.findall(name.lower())]
    return all(any(term.keys & keys for keys in name_keys) for term in terms)
