"""A person's name in the nominative, its parts agreeing: «Айгерим Токтогуловой» → «… Токтогулова».

natasha inflects a name word by word from its tagger's guesses, and unknown
Central Asian names come back half-inflected («Гульнара Абдыкадыровой»). Here
the whole name is read at once: the case and gender that most of its words can
stand in (pymorphy3's readings as a first name, patronymic or surname) are
chosen, the first name counting double since it says the gender best (a
feminine surname shares its masculine lemma, so the lemma alone would turn
«Токтогуловой» into «Токтогулов»); each word is then put in the nominative of
that gender. A word with no reading in that case stays as written (a foreign
surname that does not decline, «Айгерим Ким»). A word pymorphy3 has no name
reading for is put in the nominative by analogy: the nominative whose case
form it is. A first name ending in a consonant may also be a woman's that
does not decline («Мээрим Жумабаевой», «Бактыгуль Осмоновой»: the dictionary
does not know the one and takes the other for a man's), so it fits a woman's
name in any case, as written, and the surname says which.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..text.morphology import analyzer
from .foreign import declines_the_russian_way, is_indeclinable, trusted

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
GENDERS = ("masc", "femn")
PERSON_GRAMMEMES = frozenset(["Name", "Surn", "Patr"])
# natasha's Universal Dependencies features, as pymorphy3 grammemes.
UD_CASES = dict(zip(("Nom", "Gen", "Dat", "Acc", "Ins", "Loc"), CASES, strict=True))
UD_GENDERS = {"Masc": "masc", "Fem": "femn"}
# What a first name or surname may end in, in the nominative («Эрмек», «Дилноза»).
NOMINATIVE_ENDINGS = ("", "а", "я", "й", "ь")
NOMINATIVE_NOUN = frozenset(["NOUN", "nomn", "sing"])
# The case endings of names like «Дилноза», «Зоя» (feminine) and «Эрмек»,
# «Алексей» (masculine), the longer first.
NAME_CASE_ENDINGS = {
    "femn": {"gent": ("ы", "и"), "datv": ("е", "и"), "accs": ("у", "ю"), "ablt": ("ой", "ей")},
    "masc": {"gent": ("а", "я"), "datv": ("у", "ю"), "accs": ("а", "я"), "ablt": ("ом", "ем")},
}
NAME_CASE_ENDINGS["femn"]["loct"] = NAME_CASE_ENDINGS["femn"]["datv"]
NAME_CASE_ENDINGS["masc"]["loct"] = ("е",)
VOWELS = frozenset("аеёиоуыэюя")
# How a family's name ends, and a single person's never does («Асановы», «Асановых»,
# «Кульчицкие»); «-ым», «-им» are also one man's instrumental («Асановым»).
FAMILY_ENDINGS = ("ы", "ых", "ыми", "ие", "их", "ими")
# «Р.», «Дж.»: a capital letter, or two letters for a digraph, read as an initial.
INITIAL_RE = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]?\.?")


@dataclass(frozen=True)
class Hints:
    """What natasha's tagger read in the sentence for the name's head word."""

    case: str | None = None  # a pymorphy3 case
    gender: str | None = None  # masc or femn

    @classmethod
    def from_feats(cls, feats: dict[str, str]) -> Hints:
        return cls(UD_CASES.get(feats.get("Case", "")), UD_GENDERS.get(feats.get("Gender", "")))


def is_initial(word: str) -> bool:
    """«Р.» or a lone capital «Р»: an initial, which never declines."""
    return bool(INITIAL_RE.fullmatch(word)) and (word.endswith(".") or len(word) == 1)


def person_nominative(words: Sequence[str], *, hints: Hints | None = None) -> str:
    """The name ``words`` (initials as «Р.») in the nominative, its parts agreeing in gender."""
    parts = [_Part(word, first=n == 0 and len(words) > 1) for n, word in enumerate(words)]
    case, gender = _best_reading(parts, hints or Hints())
    return " ".join(part.nominative(case, gender) for part in parts)


def names_a_family(words: Sequence[str]) -> bool:
    """«Асановы»: a surname in the plural names a family, not a person.

    The word must end as a family's name does («Асановы», «Асановых»,
    «Кульчицкие»): pymorphy3 guesses an unknown «Курманов» as the genitive
    plural of a surname «Курман», but «-ов» is a man's surname.
    """
    for word in words:
        # Surnames only: the dictionary knows «Исмаилов» as the plural of «Исмаил».
        named = [p for p in analyzer().parse(word.lower()) if "Surn" in p.tag]
        if named and all("plur" in p.tag for p in named) and word.lower().endswith(FAMILY_ENDINGS):
            return True
    return False


class _Part:
    """One word of a name and its readings as a name word, singular."""

    def __init__(self, word: str, *, first: bool = False):
        self.word = word
        self.initial = is_initial(word)
        self.readings = [] if self.initial else _person_readings(word)
        self.first_name = any("Name" in p.tag for p in self.readings)
        # «Мээрим», «Бактыгуль»: perhaps a woman's first name that does not decline;
        # not «Кайратом», a man's name in a case form.
        self.indeclinable_feminine = (
            first
            and not self.initial
            and word[-1:].lower() not in VOWELS | {"-", "."}
            and all("nomn" in p.tag for p in self.readings if "Name" in p.tag and p.is_known)
        )

    def fits(self, case: str, gender: str) -> bool:
        return (gender == "femn" and self.indeclinable_feminine) or self._fits_as_read(case, gender)

    def nominative(self, case: str, gender: str) -> str:
        if self.initial:
            return self.word if self.word.endswith(".") else f"{self.word}."
        if gender == "femn" and self.indeclinable_feminine and not self._fits_as_read(case, gender):
            return self.word
        if not self.readings:
            found = _nominative_by_analogy(self.word.lower(), case, gender)
            return restore_shape(found, self.word) if found else self.word
        fitting = [p for p in self.readings if _agrees(p, case, gender)]
        if not fitting:
            return self.word
        best = max(fitting, key=lambda p: p.score)
        target = {"nomn", "sing"} if best.tag.gender is None else {"nomn", "sing", gender}
        inflected = best.inflect(target) or best.inflect({"nomn"})
        return restore_shape(inflected.word, self.word) if inflected else self.word

    def _fits_as_read(self, case: str, gender: str) -> bool:
        if self.initial:
            return True
        if not self.readings:
            return _nominative_by_analogy(self.word.lower(), case, gender) is not None
        return any(_agrees(p, case, gender) for p in self.readings)


def _person_readings(word: str) -> list:
    parses = [p for p in trusted(word, analyzer().parse(word.lower())) if "plur" not in p.tag]
    named = [p for p in parses if PERSON_GRAMMEMES & p.tag.grammemes]
    if named:
        return named
    # «Кульчицкой» may be read only as an adjective: surnames in -ский decline as one.
    return [p for p in parses if p.tag.POS == "ADJF" and "Poss" not in p.tag]


@lru_cache(maxsize=10_000)
def _nominative_by_analogy(word: str, case: str, gender: str) -> str | None:
    """The nominative whose ``case`` form is ``word``, for a word pymorphy3 has no
    name reading for («Дилнозе» → «Дилноза», «Эрмеку» → «Эрмек»).

    Its guesses for such words are often wrong («Дилнозе» as a masculine
    «дилноз»), so the ending is tried the other way round: each nominative a
    changed ending could give, declined by pymorphy3, must give the word back;
    failing that, the endings of the names' own declensions say it.
    """
    if case == "nomn" or is_indeclinable(word):
        return word  # «Айсулуу» does not decline: it stands in every case
    found = _declined_back(word, case, gender) or _by_name_endings(word, case, gender)
    return found if found and declines_the_russian_way(word, found) else None


def _declined_back(word: str, case: str, gender: str) -> str | None:
    for cut in (1, 2, 3):
        stem = word[:-cut]
        if len(stem) < 2:
            break
        for candidate in (stem + ending for ending in NOMINATIVE_ENDINGS):
            if any(
                _declines_to(parse, word, case, gender) for parse in analyzer().parse(candidate)
            ):
                return candidate
    return None


def _declines_to(parse, word: str, case: str, gender: str) -> bool:
    """``parse`` is a nominative noun of ``gender`` whose ``case`` form is ``word``."""
    if not (parse.tag.grammemes >= NOMINATIVE_NOUN and _agrees_in_gender(parse.tag, gender)):
        return False
    form = parse.inflect({case, "sing"})
    return form is not None and form.word == word


def _by_name_endings(word: str, case: str, gender: str) -> str | None:
    """The nominative by the endings of first-declension names («Дилнозе» → «Дилноза»)."""
    for ending in NAME_CASE_ENDINGS[gender].get(case, ()):
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2 and stem[-1].isalpha():
            after_vowel = stem[-1] in VOWELS
            if gender == "femn":
                return stem + ("я" if after_vowel or stem[-1] == "ь" else "а")
            return stem + ("й" if after_vowel else "")
    return None


def _agrees_in_gender(tag, gender: str) -> bool:
    return gender in tag or "ms-f" in tag or tag.gender is None


def _agrees(parse, case: str, gender: str) -> bool:
    return case in parse.tag and _agrees_in_gender(parse.tag, gender)


def _best_reading(parts: list[_Part], hints: Hints) -> tuple[str, str]:
    """The (case, gender) most of the name's words can stand in together.

    The first name counts double: it is what says a person's gender. natasha's
    reading of the sentence breaks ties (its case more than its gender), then
    the masculine, then the nominative (the order of CASES).
    """
    anchor = next((part for part in parts if part.first_name), None)

    def score(reading: tuple[str, str]) -> tuple[float, int, int]:
        case, gender = reading
        fits = sum((2 if part is anchor else 1) for part in parts if part.fits(case, gender))
        hinted = (case == hints.case) * 0.5 + (gender == hints.gender) * 0.25
        return fits + hinted, gender == "masc", -CASES.index(case)

    return max(((case, gender) for case in CASES for gender in GENDERS), key=score)


def restore_shape(word: str, original: str) -> str:
    """``word`` written as ``original`` is: capitals where it has them, «е» where it avoids «ё»."""
    if "ё" not in original.lower():
        word = word.replace("ё", "е")
    if original.isupper() and len(original) > 1:
        return word.upper()
    pieces = word.split("-")
    originals = original.split("-")
    if len(pieces) != len(originals):
        return word[:1].upper() + word[1:] if original[:1].isupper() else word
    return "-".join(
        _piece_shape(piece, source) for piece, source in zip(pieces, originals, strict=True)
    )


def _piece_shape(piece: str, source: str) -> str:
    if source.isupper() and len(source) > 1:
        return piece.upper()  # an abbreviation: «GPS-навигатор»
    return piece[:1].upper() + piece[1:] if source[:1].isupper() else piece
