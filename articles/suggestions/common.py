"""Phrases NER takes for names that are ordinary words, and the words at a name's edges.

natasha tags what looks like a name in its context, and a capital letter at a
sentence's start or an abbreviation looks like one. None of these is a name an
editor would add to the catalog:

- a preposition, conjunction or particle at either end («Для Таджикистана»): it
  belongs to the sentence, not to the name (``is_function_word``);
- a bare abbreviation of a kind of thing («ТЭЦ», «АЭС», «ТРЦ», «АЗС»): a class,
  not an organisation, until its own name follows («ТЭЦ-2», АЭС «Северная»)
  (``is_generic_abbreviation``);
- an abbreviation or a modifier joined to a common noun («GPS-навигатор»,
  «научно-производственный») (``is_common_compound``);
- adjectives with no noun («Вторым крупным»: NER cut the noun off), an ordinal
  or a pronoun heading ordinary words at a sentence's start («Второй цех»,
  «Наш завод») (``names_nothing``);
- a common noun in the plural heading the name («Автосалоны Нарына»: the town's
  car dealers, not one organisation nor a place) (``names_a_group``).
"""

from __future__ import annotations

import re

from ..text.morphology import analyzer, is_common_word

WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
FUNCTION_POS = frozenset(["PREP", "CONJ", "PRCL", "INTJ"])
ADJECTIVES = frozenset(["ADJF", "PRTF", "NUMR"])
# Abbreviations of kinds of things that the dictionary does not know; those it
# knows («ТЭЦ», «АЭС», «вуз», «СТО») it knows with a plural, unlike the
# names of single bodies («ООН», «МВД», «РЖД»: singularia tantum).
GENERIC_ABBREVIATIONS = frozenset(
    ["ТЦ", "ТРЦ", "ТРК", "СЭЗ", "АЗС", "АГЗС", "НПЗ", "ГОК", "МФЦ", "ЖК", "ЛЭП", "ТЭС", "СТО"]
)
ABBREVIATION_RE = re.compile(r"[A-ZА-ЯЁ]{2,6}")


def is_function_word(word: str) -> bool:
    """A preposition, conjunction, particle or interjection first of all («Для», «и»).

    The caller makes sure it is no initial («В. Петров»).
    """
    parses = analyzer().parse(word.lower())
    return bool(parses) and parses[0].is_known and parses[0].tag.POS in FUNCTION_POS


def is_generic_abbreviation(name: str) -> bool:
    """«ТЭЦ», «ТРЦ»: an abbreviation of a kind of thing, which names no one body."""
    if not ABBREVIATION_RE.fullmatch(name):
        return False
    if name in GENERIC_ABBREVIATIONS:
        return True
    parses = [p for p in analyzer().parse(name.lower()) if p.is_known and "Abbr" in p.tag]
    return bool(parses) and any("plur" in p.tag for p in parses)


def is_common_compound(word: str) -> bool:
    """«GPS-навигатор», «научно-производственный»: a common word with a modifier joined
    by a hyphen (an abbreviation, or a word's stem), every later part in lower case."""
    first, *rest = word.split("-")
    if not rest or not all(part.islower() for part in rest) or not is_common_word(rest[-1]):
        return False
    return bool(ABBREVIATION_RE.fullmatch(first)) or first.lower().endswith(("о", "е"))


def names_nothing(name: str, *, starts_sentence: bool) -> bool:
    """The organisation's or place's name is ordinary words: adjectives without a noun
    («Вторым крупным»), or an ordinal or a pronoun heading ordinary words that only
    the sentence capitalised («Второй цех»)."""
    words = WORD_RE.findall(name)
    if not words or _quoted(name):
        return False
    parses = [_known_parses(word) for word in words]
    if all(p and p[0].tag.POS in ADJECTIVES for p in parses):
        return True
    return (
        starts_sentence
        and bool(parses[0])
        and bool({"Anum", "Apro"} & parses[0][0].tag.grammemes)  # its likeliest reading
        and all(is_common_word(word) for word in words)
    )


def names_a_group(name: str) -> bool:
    """«Автосалоны Нарына»: a common noun in the plural, then names in the genitive, is
    a town's or a country's businesses of a kind, not one organisation («Врачи без
    границ», whose words go on in lower case, is a name as a whole)."""
    words = WORD_RE.findall(name)
    if len(words) < 2 or _quoted(name) or not all(word[:1].isupper() for word in words[1:]):
        return False
    head = _known_parses(words[0])
    return (
        is_common_word(words[0])
        and bool(head)
        and all(p.tag.POS == "NOUN" and "plur" in p.tag for p in head)
    )


def _quoted(name: str) -> bool:
    return any(quote in name for quote in '«"“„')


def _known_parses(word: str) -> list:
    return [p for p in analyzer().parse(word.lower()) if p.is_known]
