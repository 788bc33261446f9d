"""Whether a name is already in the catalog, under any of its names and forms.

Before a name becomes a new entity (a suggestion accepted, an entity added in
the catalog's admin), the editor is shown the entities it may already be, of
any kind: the name is one of theirs as the catalog writes it, give or take
case, quotes, «ё» for «е» and a hyphen for a space («Тулпар-Моторс»); it is
one without its legal form («ОАО «Тулпар Моторс»»); or the linker reads the
whole of it as one of them, in any grammatical form («Тулпар Моторса»,
«Киргизия» for Кыргызстан).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from companies.kinds import kind_of
from companies.models import Entity

from ..linking import Mention, build_matcher
from ..suggestions.known import fold
from ..suggestions.organisations import own_name

WORD_CHAR_RE = re.compile(r"\w")


@dataclass(frozen=True)
class NameMatch:
    entity: Entity
    name: str  # the entity's name or alias the given name is

    @property
    def key(self) -> str:
        """Tells the entity from those of other kinds: «company:12»."""
        return entity_key(self.entity)


def entity_key(entity: Entity) -> str:
    return f"{kind_of(entity).name}:{entity.pk}"


class CatalogNames:
    """The catalog read once, to look up several names (a form's name and aliases)."""

    def __init__(self) -> None:
        self.matcher = build_matcher()
        self._spellings: dict[str, list[NameMatch]] = defaultdict(list)
        for entity in self.matcher.entities.values():
            for name in entity.names:
                for spelling in {fold(name), fold(own_name(name).name)} - {""}:
                    self._spellings[spelling].append(NameMatch(entity, name))

    def entities_named(self, name: str, *, exclude: Entity | None = None) -> list[NameMatch]:
        """The entities ``name`` may already be, each once; never ``exclude``."""
        variants = list(dict.fromkeys(v for v in (name, own_name(name).name) if v.strip()))
        found: dict[str, NameMatch] = {}
        for variant in variants:
            for match in self._spellings.get(fold(variant), []):
                found.setdefault(match.key, match)
        for variant in variants:
            for mention in _spanning(self.matcher.find(variant), variant):
                match = NameMatch(mention.entity, mention.entity.name)
                found.setdefault(match.key, match)
        skipped = entity_key(exclude) if exclude is not None and exclude.pk else None
        return [match for key, match in found.items() if key != skipped]


def _spanning(mentions: list[Mention], name: str) -> list[Mention]:
    """The mentions that take in every word of ``name``."""
    letters = [m.start() for m in WORD_CHAR_RE.finditer(name)]
    if not letters:
        return []
    first, last = letters[0], letters[-1] + 1
    return [m for m in mentions if m.start <= first and last <= m.end]
