"""Query words that name catalog entities, and how they find the entities' articles.

«Tulpar Motors» names Тулпар Моторс, though its articles may write only «Тулпар
Моторс»; «Шевроле» names Chevrolet. An article linked to an entity the query
names counts as containing the query words that name it, whatever name its text
uses. So an article is found when every query word is in its text or names an
entity the article is linked to, and when it is ranked those words weigh as
headline words: an article linked to every entity a query names ranks like one
with the query in its headline. Both databases apply this same rule
(``sqlite``, ``postgres``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import combinations
from operator import and_, or_

from django.db import models
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull

from companies.kinds import kind_of
from companies.models import Entity

from .terms import WORD_RE, Term

# Bound the link subqueries a search adds, whatever the query: PostgreSQL reads
# one branch per set of namings (2³ − 1 with three). Words of any further naming
# must be in the text, as any word's.
MAX_NAMED_ENTITIES = 20
MAX_NAMINGS = 3

# Per link table, the ids of the entities named.
NamedEntities = tuple[tuple[type[models.Model], tuple[int, ...]], ...]


@dataclass(frozen=True)
class Naming:
    """Query words that name one or more catalog entities (several when the same
    words name more than one)."""

    words: frozenset[str]  # the ``Term.word`` of each query word inside the name
    entities: NamedEntities

    def linked(self) -> Q:
        """Articles linked to any of the named entities: a filter, which the
        database may answer from the link table's entity index."""
        return reduce(
            or_,
            (
                Q(pk__in=links.objects.filter(entity_id__in=ids).values("article_id"))
                for links, ids in self.entities
            ),
        )

    def is_linked(self) -> Q:
        """The same, asked of each article in turn: a look-up in its own links.
        For articles already narrowed down (a result's column, a condition beside
        another that chose the rows). A scalar subquery, not EXISTS: PostgreSQL
        would answer EXISTS by hashing every link of the entity, all 100,000 of
        a country's."""
        return reduce(
            or_,
            (
                Q(IsNull(Subquery(_own_links(links, ids).values("article_id")[:1]), False))
                for links, ids in self.entities
            ),
        )


def _own_links(links: type[models.Model], ids: Sequence[int]) -> QuerySet:
    return links.objects.filter(article_id=OuterRef("pk"), entity_id__in=ids)


@dataclass(frozen=True)
class TermGroup:
    """Query terms that are all named by the same namings (or by none)."""

    terms: tuple[Term, ...]
    namings: tuple[Naming, ...]


def find_namings(
    found: Iterable[tuple[str, int, int, Entity]], terms: Sequence[Term]
) -> tuple[Naming, ...]:
    """The namings in the matcher's mentions, given as (text, start, end, entity)
    for the text that was matched. A name inside a longer one («Chevrolet» in
    «Chevrolet Tracker») is left to the longer name, as the linker does."""
    term_words = {term.word for term in terms}
    named: dict[frozenset[str], dict[tuple[type, int], Entity]] = {}
    for text, start, end, entity in found:
        words = frozenset(
            word.group().lower()
            for word in WORD_RE.finditer(text)
            if start <= word.start() and word.end() <= end
        )
        if words & term_words:
            named.setdefault(words & term_words, {})[(type(entity), entity.pk)] = entity
    longest = [words for words in named if not any(words < other for other in named)]
    namings = []
    budget = MAX_NAMED_ENTITIES
    # The longest names first, should the query name more than MAX_NAMINGS.
    for words in sorted(longest, key=lambda words: (-len(words), sorted(words)))[:MAX_NAMINGS]:
        entities = list(named[words].values())[:budget]
        budget -= len(entities)
        if entities:
            namings.append(Naming(words, _by_link_table(entities)))
    return tuple(namings)


def _by_link_table(entities: Sequence[Entity]) -> NamedEntities:
    tables: dict[type[models.Model], list[int]] = {}
    for entity in entities:
        tables.setdefault(kind_of(entity).links, []).append(entity.pk)
    return tuple((links, tuple(sorted(ids))) for links, ids in tables.items())


def term_groups(terms: Sequence[Term], namings: Sequence[Naming]) -> list[TermGroup]:
    """The terms grouped by the namings that name them, in query order."""
    groups: dict[tuple[Naming, ...], list[Term]] = {}
    for term in terms:
        covering = tuple(naming for naming in namings if term.word in naming.words)
        groups.setdefault(covering, []).append(term)
    return [TermGroup(tuple(group), covering) for covering, group in groups.items()]


def match_condition(groups: Sequence[TermGroup], *, in_text: Callable[[Sequence[Term]], Q]) -> Q:
    """Every group in the text (``in_text``) or named by an entity the article is
    linked to: one condition, for a database that reads the rows in turn."""
    conditions = [
        reduce(or_, (naming.linked() for naming in group.namings), in_text(group.terms))
        for group in groups
    ]
    return reduce(and_, conditions, Q())


def linked_branches(
    groups: Sequence[TermGroup], *, in_text: Callable[[Sequence[Term]], Q]
) -> list[Q]:
    """``match_condition`` less the text matches, as a union of conditions without
    OR, one for each set of namings whose links stand for their words (the text
    has every other group): each can be answered from indexes (the link tables'
    entity index, the search vector's), where an OR of a link and a text match
    would read every article of a window."""
    namings = list(dict.fromkeys(n for group in groups for n in group.namings))
    branches = []
    for size in range(1, len(namings) + 1):
        for chosen in combinations(namings, size):
            conditions = [naming.linked() for naming in chosen]
            conditions += [
                in_text(group.terms)
                for group in groups
                if not any(naming in chosen for naming in group.namings)
            ]
            branches.append(reduce(and_, conditions))
    return branches


def named_term_indices(namings: Sequence[Naming], terms: Sequence[Term]) -> list[list[int]]:
    """For each naming, the indices of the terms it names."""
    return [[i for i, term in enumerate(terms) if term.word in n.words] for n in namings]
