"""What the catalog and the editors already know, so that it is not suggested.

A name is known when it is a catalog entity's name or alias, when an editor has
already accepted or rejected it, or when the linker, which matches every case
form, finds one catalog entity spanning all of it. Names are compared folded
(``fold``), so quotes, case and «ё» never make a known name look new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companies.kinds import KINDS
from companies.models import Company

from ..linking import Matcher, build_matcher
from ..models import EntitySuggestion

QUOTES = "«»\"“”„'"


def fold(name: str) -> str:
    """The form names are compared in: no quotes, lower case, «ё» as «е», single spaces."""
    for quote in QUOTES:
        name = name.replace(quote, " ")
    return " ".join(name.lower().replace("ё", "е").split())


@dataclass(frozen=True)
class KnownNames:
    """What the catalog and the editors already know, compiled once per scan."""

    matcher: Matcher
    names: frozenset[str]  # folded names and aliases of catalog entities
    brands: frozenset[str]  # folded names and aliases of brands and manufacturers
    decided: frozenset[str]  # folded names of accepted and rejected suggestions

    def knows(self, name: str) -> bool:
        folded = fold(name)
        return folded in self.names or folded in self.decided or covered(self.matcher, name)


def build_known_names() -> KnownNames:
    names = {
        fold(name)
        for kind in KINDS
        for entity in kind.model.objects.only("name", "aliases")
        for name in entity.names
    }
    brands = {
        fold(name)
        for company in Company.objects.brands().only("name", "aliases")
        for name in company.names
    }
    decided = {
        fold(name)
        for name in EntitySuggestion.objects.exclude(status=EntitySuggestion.Status.NEW)
        .values_list("name", flat=True)
        .iterator()
    }
    return KnownNames(
        matcher=build_matcher(),
        names=frozenset(names),
        brands=frozenset(brands),
        decided=frozenset(decided),
    )


def covered(matcher: Matcher, name: str) -> bool:
    """The linker finds one catalog entity spanning the whole ``name``."""
    words = [m.start() for m in re.finditer(r"\w", name)]
    if not words:
        return False
    first, last = words[0], words[-1] + 1
    return any(m.start <= first and last <= m.end for m in matcher.find(name))
