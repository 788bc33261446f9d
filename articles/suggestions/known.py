"""What the catalog and the editors already know, so that it is not suggested.

A name is known when it is a catalog entity's name or alias, when an editor has
already accepted or rejected it, or when the linker, which matches every case
form, finds one catalog entity spanning all of it. Names are compared folded
(``fold``), so quotes, case, hyphens and «ё» never make a known name look new.
More forms of a catalog name are known here, whatever the linker makes of
them: a person's initials with the surname («Р. Чекушов»), a name written with
hyphens for spaces or the other way round («Тулпар-Моторс», «Ак Тилек» for
«Ак-Тилек») or «е» for «ё», and a name that names its country otherwise
(«Министерство промышленности и торговли России» for the catalog's «… РФ»):
names are also compared as skeletons, the lemmas of their words with every
country replaced by the country itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companies.kinds import KINDS
from companies.models import Company, Country, Official

from ..linking import Matcher, build_matcher
from ..models import EntitySuggestion
from ..text.morphology import analyse, best_lemma
from ..text.tokens import fast_tokens
from .organisations import own_name

QUOTES = "«»\"“”„'"
# A hyphen between two letters joins the words of one name: «Тулпар-Моторс».
NAME_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
INITIALS_RE = re.compile(r"^((?:[A-ZА-ЯЁ][a-zа-яё]?\.\s*)+)(\S+)$")


def fold(name: str) -> str:
    """The form names are compared in: no quotes, lower case, «ё» as «е», a hyphen
    between letters as a space, single spaces."""
    for quote in QUOTES:
        name = name.replace(quote, " ")
    return " ".join(_spell_plainly(name.lower()).split())


def _spell_plainly(text: str) -> str:
    """«ё» as «е» and name hyphens as spaces: one character for one, so offsets hold."""
    return NAME_HYPHEN_RE.sub(" ", text.replace("ё", "е").replace("Ё", "Е"))


@dataclass(frozen=True)
class KnownNames:
    """What the catalog and the editors already know, compiled once per scan."""

    matcher: Matcher
    names: frozenset[str]  # folded names and aliases of catalog entities
    brands: frozenset[str]  # folded names and aliases of brands and manufacturers
    decided: frozenset[str]  # folded names of accepted and rejected suggestions
    # (first letter of the first name, surname lemmas) of catalog people.
    people: tuple[tuple[str, frozenset[str]], ...] = ()
    countries: Matcher | None = None  # the catalog's countries alone, for skeletons
    skeletons: frozenset[tuple[str, ...]] = frozenset()  # of every catalog name

    def knows(self, name: str) -> bool:
        folded = fold(name)
        return (
            folded in self.names
            or folded in self.decided
            or covered(self.matcher, name)
            or covered(self.matcher, _spell_plainly(name))
            or self._knows_by_initials(name)
            or self._knows_by_skeleton(name)
        )

    def mentions(self, text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """(start, end) of every catalog mention the linker finds in the paragraphs,
        as written and with hyphens and «ё» spelt plainly."""
        plain = _spell_plainly(text)
        return [
            (start + m.start, start + m.end)
            for version in {text, plain}
            for start, stop in paragraphs
            for m in self.matcher.find(version[start:stop])
        ]

    def _knows_by_initials(self, name: str) -> bool:
        """«Р. Чекушов» (or «Р. Чекушова») is the catalog's Роман Чекушов."""
        match = INITIALS_RE.match(name.strip())
        if not match:
            return False
        initial = fold(match.group(1))[:1]
        surname = analyse(match.group(2))[0]
        return any(first == initial and surname & lemmas for first, lemmas in self.people)

    def country_skeleton(self, name: str) -> tuple[str, ...] | None:
        """``skeleton(name)`` when it names a catalog country, else None."""
        if self.countries is None:
            return None
        shape = skeleton(name, self.countries)
        return shape if any(part.startswith("@") for part in shape) else None

    def _knows_by_skeleton(self, name: str) -> bool:
        return self.countries is not None and skeleton(name, self.countries) in self.skeletons


def build_known_names() -> KnownNames:
    entities = [e for kind in KINDS for e in kind.model.objects.only("name", "aliases")]
    names = {fold(name) for entity in entities for name in entity.names}
    brands = {
        fold(name)
        for company in Company.objects.brands().only("name", "aliases")
        for name in company.names
    }
    decided = {
        fold(spelling)
        for name in EntitySuggestion.objects.exclude(status=EntitySuggestion.Status.NEW)
        .values_list("name", flat=True)
        .iterator()
        # A decision taken on «ОАО «Ак-Тилек»» holds for «Ак-Тилек».
        for spelling in (name, own_name(name).name)
        if spelling
    }
    countries = Matcher(Country.objects.all())
    return KnownNames(
        matcher=build_matcher(),
        names=frozenset(names),
        brands=frozenset(brands),
        decided=frozenset(decided),
        people=_people(entity for entity in entities if isinstance(entity, Official)),
        countries=countries,
        skeletons=frozenset(skeleton(name, countries) for e in entities for name in e.names),
    )


def _people(officials) -> tuple[tuple[str, frozenset[str]], ...]:
    people = []
    for official in officials:
        for name in official.names:
            words = name.split()
            if len(words) > 1:
                people.append((fold(words[0])[:1], analyse(words[-1])[0]))
    return tuple(people)


def skeleton(name: str, countries: Matcher) -> tuple[str, ...]:
    """``name`` as the lemmas of its words, each country it names as «@» and its key.

    «Министерство энергетики Киргизии» and «Министерство энергетики КР» have
    one skeleton.
    """
    plain = _spell_plainly(name)
    mentions = countries.find(plain)
    parts: list[str] = []
    for token in fast_tokens(plain):
        if not token.is_word:
            continue
        mention = next((m for m in mentions if m.start <= token.start < m.end), None)
        part = f"@{mention.entity.pk}" if mention else best_lemma(token.text)
        if not (mention and parts and parts[-1] == part):
            parts.append(part)
    return tuple(parts)


def covered(matcher: Matcher, name: str) -> bool:
    """The linker finds one catalog entity spanning the whole ``name``."""
    words = [m.start() for m in re.finditer(r"\w", name)]
    if not words:
        return False
    first, last = words[0], words[-1] + 1
    return any(m.start <= first and last <= m.end for m in matcher.find(name))
