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
country replaced by the country itself. A name is also known in the other
alphabet or with its words run together («Квазар Нова» for «Quazar Nova»,
«Zhol-Tash» for «Жолташ», ``spelling``), a model by its name without its
brand («Нова»), and an organisation by the first words of a company's name
(«Кара-Жол» for «Кара-Жол Металл Трейд») unless they are ordinary words
(«Государственное агентство»); a place of that name («село Кара-Жол») is
another entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from companies.kinds import KINDS
from companies.models import Company, Country, Official, VehicleModel

from ..linking import Matcher, build_matcher
from ..models import EntitySuggestion
from ..text.morphology import analyse, best_lemma, is_common_word
from ..text.tokens import fast_tokens
from .organisations import own_name
from .spelling import name_skeleton, word_skeleton

QUOTES = "«»\"“”„'"
# A hyphen between two letters joins the words of one name: «Тулпар-Моторс».
NAME_HYPHEN_RE = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
INITIALS_RE = re.compile(r"^((?:[A-ZА-ЯЁ][a-zа-яё]?\.\s*)+)(\S+)$")
# A company's short form must have this many letters in its skeleton: «Ак» is no name.
MIN_SHORT_FORM = 4
Kind = EntitySuggestion.Kind


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
    # ``spelling``: a brand word's skeleton → the brand's; the skeletons of every
    # catalog name and of every model's name without its brand; of companies' short forms.
    brand_spellings: Mapping[str, str] = field(default_factory=dict)
    spellings: frozenset[str] = frozenset()
    short_forms: frozenset[str] = frozenset()

    def knows(self, name: str, *, kind: str | None = None) -> bool:
        """Whether ``name`` (suggested as ``kind``) is known in any of its forms."""
        folded = fold(name)
        return (
            folded in self.names
            or folded in self.decided
            or covered(self.matcher, name)
            or covered(self.matcher, _spell_plainly(name))
            or self._knows_by_initials(name)
            or self._knows_by_skeleton(name)
            or self._knows_by_spelling(name, kind)
        )

    def _knows_by_spelling(self, name: str, kind: str | None) -> bool:
        """«Квазар Нова», «Zhol-Tash», «Нова»; «Кара-Жол» as an organisation."""
        spelt = name_skeleton(name, self.brand_spellings)
        if spelt in self.spellings:
            return True
        return kind in (None, Kind.ORGANISATION) and spelt in self.short_forms

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
    brand_spellings = _brand_spellings(Company.objects.brands().only("name", "aliases"))
    return KnownNames(
        matcher=build_matcher(),
        names=frozenset(names),
        brands=frozenset(brands),
        decided=frozenset(decided),
        people=_people(entity for entity in entities if isinstance(entity, Official)),
        countries=countries,
        skeletons=frozenset(skeleton(name, countries) for e in entities for name in e.names),
        brand_spellings=brand_spellings,
        spellings=_spellings(entities, brand_spellings),
        short_forms=_short_forms(e for e in entities if isinstance(e, Company)),
    )


def _brand_spellings(brands: Iterable[Company]) -> dict[str, str]:
    """Each one-word spelling of a brand («Шевроле») → the brand's name, as skeletons."""
    return {
        word_skeleton(spelling): word_skeleton(brand.name)
        for brand in brands
        if len(brand.name.split()) == 1
        for spelling in brand.names
        if len(spelling.split()) == 1
    }


def _spellings(entities: list, brand_spellings: Mapping[str, str]) -> frozenset[str]:
    """The skeletons of every catalog name, and of every model's name without its
    brand («Nova» of «Quazar Nova»), as the linker takes a bare model name."""
    spellings = {name_skeleton(name, brand_spellings) for e in entities for name in e.names}
    brand_words = set(brand_spellings.values())
    for model in (e for e in entities if isinstance(e, VehicleModel)):
        for name in model.names:
            words = [word_skeleton(word) for word in name.split()]
            own = [brand_spellings.get(w, w) for w in words]
            if len(own) > 1 and any(w in brand_words for w in own):
                spellings.add("".join(w for w in own if w not in brand_words))
    return frozenset(spelling for spelling in spellings if spelling)


def _short_forms(companies: Iterable[Company]) -> frozenset[str]:
    """The skeletons of the first words of companies' names («Кара-Жол» of «Кара-Жол
    Металл Трейд»), unless those words are ordinary ones («Государственное агентство»)."""
    forms = set()
    for company in companies:
        for name in company.names:
            words = name.split()
            for end in range(1, len(words)):
                if all(is_common_word(word) for word in words[:end]):
                    continue
                form = name_skeleton(" ".join(words[:end]))
                if len(form) >= MIN_SHORT_FORM:
                    forms.add(form)
    return frozenset(forms)


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
