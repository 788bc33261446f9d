"""Whom a surname names: the official, or a namesake the text gives another first name.

A bare surname («Чекушов») may be the official's; «Марат Чекушов», «М.
Чекушов» and «Айгерим Чекушова» are other people. What the text puts beside a
surname (``given_beside``): initials before it («Р. Чекушов», «Р. Н.
Чекушов»), a first name before it, perhaps with a patronymic («Роман
Николаевич Чекушов»), or a first name after it («Чекушов Роман»). The
article-wide rule that uses it is in ``evidence``.

A bare surname is the person the article last introduced with that surname
(``People``): «Нурбек Осмонов … по словам Осмонова … инженер Т. Осмонов» gives
the second to Нурбек Осмонов, whoever comes later. Only someone whose gender
the form fits counts: «Королевой» can only be a woman, «Королёвым» a man,
«Королёва» either (her nominative, his genitive). Before any introduction, it is
the official only if the article introduces no one else it could be. A
surname in a plural form («Чекушовых», «Чекушовы») names a family, not one person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from companies.models import Official

from ..text.morphology import analyse, analyzer
from ..text.tokens import AnyToken
from ..text.transcription import cyrillic_key
from .patterns import fold

_LETTERS = re.compile(r"[^\W\d_]+")
# Surnames in -ов/-ев/-ин/-ын: a man's forms and a woman's differ in the ending.
_MASCULINE_SURNAME = re.compile(r"(ов|ев|ин|ын)$")
_FEMININE_SURNAME = re.compile(r"(ова|ева|ина|ына)$")
# The endings a surname in -ов/-ев/-ин/-ын takes, for a man and for a woman.
_MASCULINE_ENDINGS = frozenset(["", "а", "у", "ым", "е"])  # «Чекушов», «Чекушову», «Чекушовым»
_FEMININE_ENDINGS = frozenset(["а", "у", "ой", "ою"])  # «Чекушова», «Чекушову», «Чекушовой»
_PLURAL_ENDINGS = frozenset(["ы", "ых", "ыми"])  # «Чекушовы», «Чекушовых»: a family
MASCULINE, FEMININE = "masc", "femn"
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


def surname_form_agrees(surname: str, form: str, gender: str | None = None) -> bool:
    """Whether ``form`` in the text can be the catalog's ``surname`` in a case,
    worn by one person of ``gender`` (by default, the surname's own): «Чекушовой»
    is a woman's form, never Роман Чекушов's; «Чекушовым» a man's; «Чекушовых» a family's."""
    stem, own_gender = _surname_stem(fold(surname))
    form = fold(form)
    if not stem or not form.startswith(stem):
        return True  # a surname of another shape: its forms are not told apart here
    ending = form[len(stem) :]
    if ending in _PLURAL_ENDINGS:
        return False
    gender = gender or own_gender
    if gender == MASCULINE:
        return ending in _MASCULINE_ENDINGS
    return ending in _FEMININE_ENDINGS


def _surname_stem(surname: str) -> tuple[str, str | None]:
    """A surname in -ов/-ев/-ин/-ын without a woman's «-а», and whose form it is."""
    if _MASCULINE_SURNAME.search(surname):
        return surname, MASCULINE
    if _FEMININE_SURNAME.search(surname):
        return surname[:-1], FEMININE
    return "", None


def form_gender(surname: str, form: str) -> str | None:
    """The gender a surname's ``form`` can only be worn by, if one: «Чекушовой» a woman."""
    fits = [g for g in (MASCULINE, FEMININE) if surname_form_agrees(surname, form, g)]
    return fits[0] if len(fits) == 1 else None


@lru_cache(maxsize=10_000)
def name_gender(first_name: str) -> str | None:
    """The gender a first name says, if the dictionary knows it as one («Павел», «Алёна»).

    A form two names share («Алена»: Алёна, or Ален in the genitive) is read
    as the nominative it can be."""
    parses = [p for p in analyzer().parse(first_name.lower()) if "Name" in p.tag]
    nominative = [p for p in parses if "nomn" in p.tag] or parses
    genders = {p.tag.gender for p in nominative} & {MASCULINE, FEMININE}
    return genders.pop() if len(genders) == 1 else None


def official_gender(official: Official) -> str | None:
    """The official's gender, from the first name or else the surname's form."""
    first_name = official.name.split()[0]
    return name_gender(first_name) or _surname_stem(fold(official.surname))[1]


@dataclass(frozen=True)
class Person:
    """Someone an article introduces with an official's surname («Марат Чекушов»,
    «Р. Чекушов», the official's full name): where, whether it is the official,
    their gender if known and the initial given."""

    place: tuple[int, int]  # the text and the character it starts at
    official: bool
    gender: str | None
    initial: str = ""


class People:
    """The people one article introduces with an official's surname, in reading order."""

    def __init__(self, official: Official):
        self.official = official
        self.gender = official_gender(official)
        self.introduced: list[Person] = []

    def add(self, person: Person) -> None:
        self.introduced.append(person)

    def bare_surname(self, form: str, place: tuple[int, int]) -> bool:
        """Whether the surname alone in ``form`` at ``place`` is the official."""
        if not surname_form_agrees(self.official.surname, form, self.gender):
            return False
        fitting = [
            person
            for person in sorted(self.introduced, key=lambda p: p.place)
            if person.official or surname_form_agrees(self.official.surname, form, person.gender)
        ]
        before = [person for person in fitting if person.place < place]
        if before:
            return before[-1].official
        return all(person.official for person in fitting)

    def initial(self, initial: str) -> bool:
        """Whether an initial that agrees with the official's is theirs: not when
        the article gives someone else the surname with the same initial."""
        return not any(
            not person.official and person.initial == initial for person in self.introduced
        )


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
