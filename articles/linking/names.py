"""The names an entity is found by, each compiled into a ``Pattern``.

Its name and aliases first (the order breaks ties between equal matches). A
vehicle model's name is also found with any spelling of its brand the catalog
holds («Шевроле Cobalt» beside «Chevrolet Cobalt»), and its Latin words with
their Russian spellings («Шевроле Кобальт»): brand spellings are aliases an
editor keeps, model words are read by sound. Then the short forms, which need
evidence from the article (``evidence``): an official's surname, the first
word of a company's name of capitalised words («Тулпар» of «Тулпар Моторс»), a
model's name without its brand, and the organization an official's full
position names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from companies.models import Company, Entity, Official, VehicleModel

from .patterns import Pattern, Role, build_pattern, fold, name_words

_LATIN_WORD = re.compile(r"[A-Za-z]+")
# A short form of fewer letters matches too many other words.
MIN_FIRST_WORD_LETTERS = 4


def entity_patterns(entity: Entity) -> list[Pattern]:
    """The patterns ``entity`` may be mentioned by: names and aliases, then short forms."""
    if isinstance(entity, VehicleModel):
        patterns = _model_patterns(entity)
    else:
        patterns = [build_pattern(entity, name) for name in entity.names]
    if isinstance(entity, Official) and entity.surname:
        patterns.append(build_pattern(entity, entity.surname, short=True, role=Role.SURNAME))
    if isinstance(entity, Company):
        patterns += [
            build_pattern(entity, word, short=True, role=Role.FIRST_WORD)
            for word in _first_words(entity)
        ]
    if title := _organization_title(entity):
        patterns.append(build_pattern(entity.organization, title, short=True, role=Role.TITLE))
    return [pattern for pattern in patterns if pattern is not None]


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
            brand_words=leading,
            brandless_model=not has_brand,
            transcribed=transcribed,
        )
        for name in model.names
        for variant, leading, has_brand in _brand_spellings(name, model.brand)
    ]
    if model.short_name:
        patterns.append(
            build_pattern(
                model, model.short_name, short=True, brandless_model=True, transcribed=transcribed
            )
        )
    return patterns


def _brand_spellings(name: str, brand: Company) -> Iterator[tuple[str, int, bool]]:
    """``name`` with each of its brand's names in place of the brand's: the
    name, how many first words are the brand, whether the brand is in it."""
    seen: set[str] = set()
    for spelling in brand.names:
        found = re.search(rf"(?<!\w){re.escape(spelling)}(?!\w)", name)
        if not found:
            continue
        for other in brand.names:
            variant = name[: found.start()] + other + name[found.end() :]
            if variant not in seen:
                seen.add(variant)
                leading = len(name_words(other)) if found.start() == 0 else 0
                yield variant, leading, True
        return
    yield name, 0, False


def _first_words(company: Company) -> list[str]:
    """First words of the company's names made of capitalised words («Тулпар
    Моторс» → «Тулпар»), unless a word is an abbreviation («ОсОО») or a name
    already. «Министерство промышленности…» has lower-case words: its first
    word alone says nothing."""
    names = {fold(name) for name in company.names}
    found: dict[str, None] = {}
    for name in company.names:
        words = name_words(name)
        if len(words) < 2 or not all(word[:1].isupper() for word in words):
            continue
        first = words[0]
        letters = [c for c in first if c.isalpha()]
        capitals = sum(c.isupper() for c in letters)
        # An abbreviation, or a legal form written in mixed case («ОсОО»).
        if len(letters) < MIN_FIRST_WORD_LETTERS or capitals * 2 > len(letters):
            continue
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
