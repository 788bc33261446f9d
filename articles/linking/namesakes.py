"""Whom a surname names: the official, or a namesake the text gives another first name.

A bare surname («Чекушов») may be the official's; «Марат Чекушов», «М.
Чекушов» and «Айгерим Чекушова» are other people. What the text puts beside a
surname (``given_beside``): initials before it («Р. Чекушов», «Р. Н.
Чекушов»), a first name before it, perhaps with a patronymic («Роман
Николаевич Чекушов»), or a first name after it («Чекушов Роман»). The
article-wide rule that uses it is in ``evidence``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from companies.models import Official

from ..text.morphology import analyse, analyzer
from ..text.tokens import AnyToken
from ..text.transcription import cyrillic_key
from .patterns import fold

_LETTERS = re.compile(r"[^\W\d_]+")
# Surnames in -ов/-ев/-ин/-ын: a man's forms and a woman's differ in the ending.
_MASCULINE_SURNAME = re.compile(r"(ов|ев|ин|ын)$")
_FEMININE_SURNAME = re.compile(r"(ова|ева|ина|ына)$")
_FEMININE_ONLY_ENDINGS = frozenset(["ой", "ою"])  # «Чекушовой» is a woman
_FEMININE_ENDINGS = frozenset(["а", "у", "ой", "ою"])  # «Чекушова», «Чекушову», «Чекушовой»
# A longer unknown word before a surname is a compound name of a body
# («Минэкономкоммерции»), not a first name.
MAX_FIRST_NAME_LETTERS = 12


@dataclass(frozen=True)
class Given:
    """A first name or initial the text gives a surname."""

    initial: str  # its first letter, upper case, «Ё» as «Е»
    name: str  # the first name as written, empty for initials
    start: int  # where it starts in the text, when it stands before the surname
    before: bool


def given_beside(
    stream: Sequence[AnyToken], first: int, end: int, *, taken: Callable[[int], bool]
) -> Given | None:
    """The first name or initials beside the surname ``stream[first:end]``.

    ``taken(i)`` says the word ``stream[i]`` belongs to another mention (a
    company or a country just before a surname is not a first name).
    """
    i = first - 1
    initials: list[AnyToken] = []
    while i >= 1 and stream[i].text == "." and _is_initial(stream[i - 1]):
        initials.insert(0, stream[i - 1])
        i -= 2
    if initials:
        return Given(_initial(initials[0].text), "", initials[0].start, True)
    if i >= 0 and _has_grammeme(stream[i].text, "Patr") and i >= 1:
        i -= 1  # «Роман Николаевич Чекушов»: the first name is before the patronymic
    if i >= 0 and not taken(i) and _may_be_first_name(stream[i]):
        return Given(_initial(stream[i].text), stream[i].text, stream[i].start, True)
    after = stream[end] if end < len(stream) else None
    if after is not None and not taken(end) and _has_grammeme(after.text, "Name"):
        return Given(_initial(after.text), after.text, after.start, False)
    return None


def agrees(given: Given, official: Official) -> bool:
    """Whether ``given`` can be the official's first name (or its initial)."""
    first_name = official.name.split()[0]
    if given.initial != _initial(first_name):
        return False
    if not given.name:
        return True
    if analyse(given.name)[0] & analyse(first_name)[0]:
        return True
    # Another spelling of the same name («Адилбек» for «Адылбек»).
    return cyrillic_key(given.name) == cyrillic_key(first_name)


def surname_form_agrees(surname: str, form: str) -> bool:
    """Whether ``form`` in the text can be the catalog's ``surname`` in a case:
    «Чекушовой» is a woman's form, never Роман Чекушов's; «Чекушовым» a man's."""
    surname, form = fold(surname), fold(form)
    if _MASCULINE_SURNAME.search(surname) and form.startswith(surname):
        return form[len(surname) :] not in _FEMININE_ONLY_ENDINGS
    if _FEMININE_SURNAME.search(surname) and form.startswith(stem := surname[:-1]):
        return form[len(stem) :] in _FEMININE_ENDINGS
    return True


def _is_initial(token: AnyToken) -> bool:
    return len(token.text) == 1 and token.text.isalpha() and token.text.isupper()


def _initial(text: str) -> str:
    return fold(text[:1]).upper()


def _may_be_first_name(token: AnyToken) -> bool:
    """A capitalised word a dictionary knows as a first name, or does not know at all.

    A word it knows otherwise («Вчера», «Глава», «Минпромторга») is not one,
    nor an abbreviation («РФ»), nor an unknown word that looks like a body's name.
    """
    text = token.text
    if not _LETTERS.fullmatch(text) or not text[:1].isupper() or len(text) < 2:
        return False
    if text.isupper():
        return False
    parses = analyzer().parse(text.lower())
    if any("Name" in p.tag for p in parses):
        return True
    if any(p.is_known for p in parses) or len(text) > MAX_FIRST_NAME_LETTERS:
        return False
    # An unknown word the dictionary guesses is an organization
    # («Госкомпромэнерго Касымалиев») is not a first name either.
    return not any({"Orgn", "Abbr"} & p.tag.grammemes for p in parses)


def _has_grammeme(text: str, grammeme: str) -> bool:
    if not _LETTERS.fullmatch(text) or not text[:1].isupper():
        return False
    return any(grammeme in p.tag for p in analyzer().parse(text.lower()))
