"""One name, one spelling: case forms the dictionary cannot undo, and people named twice.

pymorphy3 does not know most company and place names («Тулпар Моторса»), so
their case forms may reach the suggestions as they stand. When the same text
(or the same scan) also has the name with its words bare («Тулпар Моторс»),
the inflected form is that name. People: a lone surname, an initial or a
first name beside the full name is that person («Асанова», «Б. Асанов» →
«Бакыт Асанов»); a lone first name with no full name is nobody in particular.
A name that names its country otherwise («Министерство энергетики КР» beside
«… Киргизии») is one name too, given the way it was first written.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Iterable

from ..models import EntitySuggestion
from ..text.morphology import CASE_ENDINGS, analyse, analyzer
from .known import fold
from .persons import is_initial

Kind = EntitySuggestion.Kind

# Names longer than this are not reduced (the forms multiply with every word).
MAX_WORDS = 5
MIN_STEM = 3


def bare_forms(names: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """For each (name, kind), the (name, kind) of its barest form among ``names``.

    That is an organisation or place whose name is this one with case endings
    off its words («Жол Моторса» → «Жол Моторс»), or the same name: NER may
    take a company's case form for a person («акционеры Ак-Тилека»), and the
    company it is elsewhere in the text says what it is. Vehicle models and
    names without such a form are their own.
    """
    names = set(names)
    targets: dict[str, tuple[str, str]] = {}
    for name, kind in sorted(names, key=lambda item: (item[1] != Kind.ORGANISATION, item)):
        if kind in (Kind.ORGANISATION, Kind.PLACE):
            targets.setdefault(fold(name), (name, kind))
    result = {}
    for name, kind in names:
        forms = [targets[r] for r in _reductions(fold(name)) if r in targets]
        if kind == Kind.VEHICLE_MODEL or not forms:
            result[(name, kind)] = (name, kind)
        else:
            result[(name, kind)] = min(forms, key=lambda form: (len(form[0]), form))
    return result


def first_spellings(
    names: Iterable[tuple[str, str]], key: Callable[[str], Hashable | None]
) -> dict[tuple[str, str], str]:
    """For each (name, kind), the first name of that kind in ``names`` with the
    same ``key`` (when the key is not None): «Министерство энергетики Киргизии»
    and «… КР» are one ministry, named as it was first."""
    first: dict[tuple[Hashable, str], str] = {}
    result = {}
    for name, kind in names:
        shape = key(name)
        result[(name, kind)] = name if shape is None else first.setdefault((shape, kind), name)
    return result


def _reductions(folded: str) -> Iterable[str]:
    words = folded.split()
    if len(words) > MAX_WORDS:
        return []
    options = [[word, *_without_ending(word)] for word in words]
    return (" ".join(choice) for choice in itertools.product(*options))


def _without_ending(word: str) -> list[str]:
    return [
        word[:-n]
        for n in (1, 2, 3)
        if len(word) - n >= MIN_STEM and word[-n:] in CASE_ENDINGS and word[-n - 1].isalpha()
    ]


def full_person_names(names: Iterable[str]) -> dict[str, str]:
    """For each person's name that is only part of a name (a surname, initials and
    surname, a first name), the one full name in ``names`` it belongs to; "" for a
    lone first name that belongs to none. Full names map to themselves."""
    names = list(dict.fromkeys(names))
    full = [name for name in names if _is_full(name)]
    result = {}
    for name in names:
        if _is_full(name):
            result[name] = name
            continue
        owners = {f for f in full if _belongs(name, f)}
        if len(owners) == 1:
            result[name] = owners.pop()
        elif _only_first_name(name):
            result[name] = ""
        else:
            result[name] = name
    return result


def _is_full(name: str) -> bool:
    words = name.split()
    return len(words) > 1 and not any(is_initial(word) for word in words)


def _belongs(part: str, full: str) -> bool:
    """«Асанова», «Б. Асанов» or «Бакыт» is part of «Бакыт Асанов»."""
    words, full_words = part.split(), full.split()
    if len(words) == 1 and fold(words[0]) == fold(full_words[0]):
        return _only_first_name(part)
    if not _same_surname(words[-1], full_words[-1]):
        return False
    initials = [fold(word)[0] for word in words[:-1]]
    return all(
        fold(name).startswith(initial)
        for initial, name in zip(initials, full_words[:-1], strict=False)
    ) and len(initials) < len(full_words)


def _same_surname(word: str, surname: str) -> bool:
    """One surname: a feminine or an inflected form shares the masculine lemma."""
    return fold(word) == fold(surname) or bool(analyse(word)[0] & analyse(surname)[0])


def _only_first_name(name: str) -> bool:
    if " " in name:
        return False
    parses = [p for p in analyzer().parse(name.lower()) if p.is_known]
    return bool(parses) and all("Name" in p.tag for p in parses)
