"""The names an entity is found by, each compiled into a ``Pattern``.

Its name and aliases first (the order breaks ties between equal matches). A
vehicle model's name is also found with any spelling of its brand the catalog
holds («Шевроле Cobalt» beside «Chevrolet Cobalt», «автобусы Исузу» beside
«автобусы Isuzu»; wherever the brand stands in it, the model mentions the brand
too), and its Latin words with their Russian spellings («Шевроле Кобальт»):
brand spellings are aliases an editor keeps, model words are read by sound.
Then the short forms, which need evidence from the article (``evidence``): an
official's surname, the first word of a company's name of capitalised words
(«Тулпар» of «Тулпар Моторс», «Кен-Булак» of «Кен-Булак Металл»), a model's
name without its brand, and the organization an official's full position names.

An organisation's name or an official's position that ends with its country's
name is also found with the country's other names in the catalog («… торговли
РФ», «… торговли России», «… торговли Российской Федерации»).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence

from companies.models import Company, Entity, Official, VehicleModel

from .patterns import Pattern, Role, build_pattern, fold, name_words

_LATIN_WORD = re.compile(r"[A-Za-z]+")
_QUOTES = "«»„“”\"'()"
# A short form of fewer letters matches too many other words.
MIN_FIRST_WORD_LETTERS = 4


# The names of each country by its primary key, for the names that end with one.
CountryNames = Mapping[int, Sequence[str]]


def entity_patterns(entity: Entity, *, countries: CountryNames | None = None) -> list[Pattern]:
    """The patterns ``entity`` may be mentioned by: names and aliases, then short forms.

    ``countries`` gives the names of the countries an organisation's name or a
    position may end with (those of the catalog being compiled)."""
    countries = countries or {}
    if isinstance(entity, VehicleModel):
        patterns = _model_patterns(entity)
    else:
        country = countries.get(getattr(entity, "country_id", None) or 0, ())
        names = _with_countries(entity.names, country)
        patterns = [build_pattern(entity, name) for name in names]
    if isinstance(entity, Official) and entity.surname:
        patterns.append(build_pattern(entity, entity.surname, short=True, role=Role.SURNAME))
    if isinstance(entity, Company):
        patterns += [
            build_pattern(entity, word, short=True, role=Role.FIRST_WORD)
            for word in _first_words(entity)
        ]
    if title := _organization_title(entity):
        country_id = entity.country_id or entity.organization.country_id
        titles = _with_countries([title], countries.get(country_id or 0, ()))
        patterns += [
            build_pattern(entity.organization, title, short=True, role=Role.TITLE)
            for title in titles
        ]
    return [pattern for pattern in patterns if pattern is not None]


def _with_countries(names: Sequence[str], country: Sequence[str]) -> list[str]:
    """``names``, each followed by its spellings with the country's other names
    in place of the one it ends with."""
    found: dict[str, None] = {}
    for name in names:
        found.setdefault(name, None)
        for spelling in country:
            if re.search(rf"(?<!\w){re.escape(spelling)}$", name):
                stem = name[: len(name) - len(spelling)]
                found.update(dict.fromkeys(stem + other for other in country))
                break
    return list(found)


def _model_patterns(model: VehicleModel) -> list[Pattern | None]:
    brand_words = {fold(word) for name in model.brand.names for word in name_words(name)}
    # The model's own Latin words (not the brand's) match their Russian spellings.
    transcribed = frozenset(
        fold(word)
        for name in model.names
        for word in name_words(name)
        if _LATIN_WORD.fullmatch(word) and fold(word) not in brand_words
    )
    patterns = [
        build_pattern(
            model,
            variant,
            brand_at=brand_at,
            brandless_model=brand_at is None,
            transcribed=transcribed,
        )
        for name in model.names
        for variant, brand_at in _brand_spellings(name, model.brand)
    ]
    if model.short_name:
        patterns.append(
            build_pattern(
                model, model.short_name, short=True, brandless_model=True, transcribed=transcribed
            )
        )
    return patterns


def _brand_spellings(name: str, brand: Company) -> Iterator[tuple[str, tuple[int, int] | None]]:
    """``name`` with each of its brand's names in place of the brand's, and
    where the brand stands in it (its first word, how many words): «Chevrolet
    Onix», «Шевроле Onix», «Грузовики Исузу». The name alone, with None, when
    it does not hold its brand."""
    seen: set[str] = set()
    for spelling in brand.names:
        found = re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", name)
        if not found:
            continue
        first = len(name_words(name[: found.start()]))
        for other in brand.names:
            variant = name[: found.start()] + other + name[found.end() :]
            if variant not in seen:
                seen.add(variant)
                yield variant, (first, len(name_words(other)))
        return
    yield name, None


def _first_words(company: Company) -> list[str]:
    """First words of the company's names made of capitalised words («Тулпар
    Моторс» → «Тулпар», «Кен-Булак Металл» → «Кен-Булак»), unless a word is an
    abbreviation («ОсОО») or a name already. «Министерство промышленности…» has
    lower-case words: its first word alone says nothing."""
    names = {fold(name) for name in company.names}
    found: dict[str, None] = {}
    for name in company.names:
        words = name_words(name)
        if len(words) < 2 or not all(word[:1].isupper() for word in words):
            continue
        # The first word as written, a compound with its hyphen («Кен-Булак»);
        # for a name of one such word, its first part («Mercedes» of «Mercedes-Benz»).
        spaced = name.split()
        first = spaced[0].strip(_QUOTES) if len(spaced) > 1 else words[0]
        letters = [c for c in first if c.isalpha()]
        capitals = sum(c.isupper() for c in letters)
        # An abbreviation, or a legal form written in mixed case («ОсОО»); a
        # compound has a capital in each part («Кен-Булак»).
        parts = len(name_words(first))
        if len(letters) < MIN_FIRST_WORD_LETTERS or (capitals - parts + 1) * 2 > len(letters):
            continue
        if not first[-1:].isalnum():
            continue  # «Тулпар-» of a name written «Тулпар- Моторс»
        if fold(first) not in names:
            found.setdefault(first, None)
    return list(found)


def _organization_title(entity: Entity) -> str:
    """An official's full position names the organization: «заместитель министра
    промышленности и торговли РФ» mentions the ministry. One- and two-word
    positions («министр», «премьер-министр») are too generic to say which."""
    if isinstance(entity, Official) and entity.organization and len(entity.position.split()) > 2:
        return entity.position
    return ""
