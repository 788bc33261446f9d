"""Which articles can mention an entity, told cheaply by substrings of its names.

The linker finds an entity by its patterns (``articles.linking.names``): its
name and aliases, its short forms, a brand's spellings in its models' names.
A pattern matches only where the text holds every one of its words in some
form, and every form of a word contains one of a few substrings (the common
prefixes of its inflected forms, ``articles.search.sqlite.like_patterns``:
«Моторс» for «Моторса», «Моторсом»). So the articles a pattern can match are
among those whose text contains, for each word, one of its substrings, which
the database answers without reading the text in Python (``queries``).

An entity's footprint is those conditions for all its patterns. It is a plain
value (sets of strings), so the footprint of an entity before an edit can be
kept and compared with the one after it, and passed to a job later.

The prefilter only ever widens where it cannot be exact: words it cannot
constrain (stop words) are left out of the condition, and a name of nothing
else («и») is not looked for. A Latin word of a model's name also
matches its Russian spellings by sound («Кобальт» for Cobalt), which no
substring captures: such a model without its brand links only where the
article names the brand or writes the name in Latin, and those are what the
footprint asks for (a model named after a vehicle word alone, «седан
«Кобальт»», waits for the next «Перепроверить связи»).
"""

from __future__ import annotations

from companies.models import Company, Entity, VehicleModel

from ..linking.names import entity_patterns
from ..linking.patterns import NameWord, Pattern, build_pattern
from ..search.sqlite import like_patterns
from ..search.terms import is_stop_word

# Substrings any of which every form of one name word contains.
Needles = frozenset[str]
# The words of one pattern: an article can match it only if it holds each of them.
Group = frozenset[Needles]
# Every pattern of an entity (and of the models named after it, for a brand).
Footprint = frozenset[Group]

EMPTY: Footprint = frozenset()


def footprint(entity: Entity) -> Footprint:
    """The conditions on article text under which the linker may find ``entity``.

    A brand's names are part of its models' names («Шевроле Кобальт»), so a
    brand's footprint covers its models too.
    """
    patterns = entity_patterns(entity)
    if isinstance(entity, Company) and entity.pk is not None:
        for model in entity.brand_models.all():
            model.brand = entity  # the brand as it is now, saved or not
            patterns += entity_patterns(model)
    groups: set[Group] = set()
    for pattern in patterns:
        groups.update(_pattern_groups(pattern))
    return _smallest(groups)


def _pattern_groups(pattern: Pattern) -> list[Group]:
    words = [w for w in pattern.words if not w.sounds and _constrains(w)]
    if words:
        return [frozenset(needles(w) for w in words)]
    if not pattern.words or not all(w.sounds for w in pattern.words):
        return []  # only words that say nothing («и»): not a name to look for
    # A model without its brand: in Latin, or in Russian where its brand is named.
    groups = [frozenset(needles(w) for w in pattern.words)]
    model = pattern.entity
    if isinstance(model, VehicleModel):
        for name in model.brand.names:
            if brand_pattern := build_pattern(model.brand, name):
                groups += _pattern_groups(brand_pattern)
    return groups


def _constrains(word: NameWord) -> bool:
    return word.abbreviation or not is_stop_word(word.text.lower())


def needles(word: NameWord) -> Needles:
    """Substrings one of which every text word the linker matches to ``word`` contains."""
    if word.abbreviation:
        return frozenset([word.text])  # matched only as written
    found = set(like_patterns(word.text.lower()))
    for needle in list(found):
        # As the catalog writes it («КамАЗ»): texts copy the name's own capitals.
        if word.text.lower().startswith(needle.lower()):
            found.add(word.text[: len(needle)])
    return frozenset(found)


def _smallest(groups: set[Group]) -> Footprint:
    """Without the groups another one implies: «Чекушов» alone selects every
    article «Роман Чекушов» does."""
    return frozenset(g for g in groups if not any(other < g for other in groups))
