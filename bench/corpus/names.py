"""Catalog names in their grammatical cases, as the corpus writes them into sentences.

«Тулпар Моторс» in the genitive is «Тулпар Моторса», «Роман Чекушов» in the
instrumental «Романом Чекушовым»; Latin names and abbreviations stay as they
are. Each proposed form is kept only if the real linker finds it as that
entity, and with it every mention the linker finds in it, so the generator
knows the links of a sentence without running the linker on it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from articles.linking import Matcher
from articles.text.morphology import analyzer, is_common_word
from companies.models import Entity, Official, VehicleModel

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def _restore_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _parse(word: str, test: Callable) -> object | None:
    return next((p for p in analyzer().parse(word.lower()) if test(p)), None)


def _inflect_word(word: str, case: str, test: Callable, extra: frozenset = frozenset()) -> str:
    parse = _parse(word, test)
    if parse is None:
        return word
    form = parse.inflect({case} | extra)
    return _restore_case(word, form.word) if form else word


def _is_cyrillic(word: str) -> bool:
    return bool(re.search("[а-яё]", word.lower()))


def _nominative(pos: str) -> Callable:
    return lambda p: pos == p.tag.POS and p.tag.case == "nomn"


def inflect_name(entity: Entity, name: str, case: str) -> str:
    """``name`` of ``entity`` in a grammatical case: «Тулпар Моторс» → «Тулпар Моторса».

    People decline every word (first name and surname agree in gender);
    «Кыргызская Республика» declines the adjective and its noun; a name led by
    a dictionary noun declines that noun («Министерства промышленности…»); a
    name of unknown words declines its last one («Тулпар Моторса»), unless it
    ends in a vowel (foreign names like «Исузу» do not decline). Latin names
    stay. The result is only a proposal: ``entity_forms`` keeps it only if the
    linker recognises it.
    """
    words = name.split()
    if case == "nomn" or not words or not _is_cyrillic(words[0]) or name.isupper():
        # Latin names and abbreviations («КР», «РФ») do not decline.
        return name
    if isinstance(entity, Official):
        return _inflect_person(words, case)
    first = words[0]
    if _parse(first, _nominative("ADJF")):
        phrase = _inflect_adjective_phrase(words, case)
        if phrase is not None:
            return phrase
    if any(p.is_known for p in analyzer().parse(first.lower())):
        if _parse(first, _nominative("NOUN")):
            return " ".join([_inflect_word(first, case, _nominative("NOUN")), *words[1:]])
        return name
    # Unknown words: the name proper runs while the words are unknown Cyrillic.
    run = 1
    while run < len(words) and _is_cyrillic(words[run]) and words[run][:1].isupper():
        if any(p.is_known for p in analyzer().parse(words[run].lower())):
            break
        run += 1
    last = words[run - 1]
    if last[-1:].lower() in "аеёиоуыэюя":
        return name
    inflected = _inflect_word(last, case, _nominative("NOUN"))
    return " ".join([*words[: run - 1], inflected, *words[run:]])


def _inflect_person(words: list[str], case: str) -> str:
    """Every word of a person's name, in the gender of the first name."""
    first = _parse(words[0], lambda p: "Name" in p.tag and p.tag.case == "nomn")
    gender = {first.tag.gender} if first and first.tag.gender else set()
    person = {"Name", "Surn", "Patr"}

    def test(p):
        return p.tag.case == "nomn" and person & p.tag.grammemes and gender <= p.tag.grammemes

    return " ".join(_inflect_word(w, case, test) for w in words)


def _inflect_adjective_phrase(words: list[str], case: str) -> str | None:
    """The adjectives up to their noun, and the noun: «Кыргызская Республика»,
    «Тестовый завод 17»; ``None`` when no noun follows."""
    noun_at = next((i for i, w in enumerate(words) if i and _parse(w, _nominative("NOUN"))), None)
    if noun_at is None:
        return None
    noun = _parse(words[noun_at], _nominative("NOUN"))
    # Masculine and plural adjectives have two accusatives: «тестовый завод»,
    # «тестового директора»; the noun's animacy picks one.
    two_forms = noun.tag.gender == "masc" or noun.tag.number == "plur"
    extra = frozenset()
    if case == "accs" and two_forms and noun.tag.animacy:
        extra = frozenset({noun.tag.animacy})
    inflected = [_inflect_word(w, case, _nominative("ADJF"), extra) for w in words[:noun_at]]
    inflected.append(_inflect_word(words[noun_at], case, _nominative("NOUN")))
    return " ".join(inflected + words[noun_at + 1 :])


@dataclass(frozen=True)
class Form:
    """A name in one case, and every mention the linker finds in it (relative positions)."""

    text: str
    mentions: tuple[tuple[int, int, str, int], ...]


def _names(entity: Entity) -> list[str]:
    names = [n for n in entity.names if "…" not in n and "..." not in n]
    if isinstance(entity, Official) and entity.surname:
        names.append(entity.surname)
    if isinstance(entity, VehicleModel) and entity.short_name:
        names.append(entity.short_name)
    return names


def entity_forms(entity: Entity, matcher: Matcher) -> dict[str, list[Form]]:
    """Every case form of every name of ``entity`` that the linker finds as this entity."""
    key = (type(entity), entity.pk)
    forms: dict[str, list[Form]] = {}
    for case in CASES:
        for name in _names(entity):
            text = inflect_name(entity, name, case)
            if isinstance(entity, VehicleModel) and is_common_word(text.split()[0]):
                # «грузовики Isuzu» in running text, not «Грузовики Isuzu».
                text = text[:1].lower() + text[1:]
            found = matcher.find(text)
            if not any(
                (type(m.entity), m.entity.pk) == key and (m.start, m.end) == (0, len(text))
                for m in found
            ):
                continue
            mentions = tuple(
                (m.start, m.end, m.entity._meta.label_lower, m.entity.pk) for m in found
            )
            forms.setdefault(case, []).append(Form(text, mentions))
    return forms
