"""An organisation's or a place's name in the nominative: only its head phrase declines.

«Министерством энергетики Таджикистана» → «Министерство энергетики
Таджикистана», «Ошской области» → «Ошская область»: the leading adjectives
and the noun they qualify (the head phrase) go into the nominative, agreeing
in gender and number; the words after the head (genitive dependents,
«по инвестициям», a name in quotes) stay as written. The case and number are
the ones every word of the head phrase can share (natasha tags them one word
at a time and may disagree with itself: «Ошская области»).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..text.morphology import analyzer
from .foreign import trusted
from .persons import CASES, Hints, restore_shape

# A word with its hyphenated parts: «Жалал-Абадской», «Торгово-промышленная».
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
ADJECTIVES = frozenset(["ADJF", "PRTF"])
ABBREVIATION_RE = re.compile(r"[A-ZА-ЯЁ]{2,6}")


@dataclass(frozen=True)
class _Reading:
    """One way the head phrase can be read: a case and number all its words share."""

    score: float
    case: str
    number: str
    gender: str | None
    parses: tuple  # pymorphy3 parses: the adjectives', then the noun's


def phrase_nominative(name: str, *, hints: Hints | None = None) -> str:
    """``name`` with its head phrase in the nominative (unchanged when it has none)."""
    hints = hints or Hints()
    words = list(WORD_RE.finditer(name))
    head = _head_phrase(name, words)
    after = words[len(head)].group() if head and len(words) > len(head) else None
    guess = after is None or can_depend(after)
    reading = _best_reading([w.group() for w in head], hints, guess=guess) if head else None
    if reading is None:
        return _last_word_nominative(name, words, hints)
    pieces, last = [], 0
    for match, parse in zip(head, reading.parses, strict=True):
        pieces += [name[last : match.start()], _nominative(parse, reading, match.group())]
        last = match.end()
    return "".join(pieces) + name[last:]


def _last_word_nominative(name: str, words: Sequence[re.Match[str]], hints: Hints) -> str:
    """A name of capitalised words whose first does not decline declines at its last,
    in the case natasha read («Жогорку Кенеша» → «Жогорку Кенеш»)."""
    if len(words) < 2 or hints.case in (None, "nomn") or not name[:1].isupper():
        return name
    if not all(w.group()[:1].isupper() for w in words) or "«" in name or '"' in name:
        return name
    last = words[-1]
    parses = [
        p
        for p in _singular_or_plural(last.group())
        if p.tag.POS == "NOUN" and hints.case in p.tag and "sing" in p.tag
    ]
    if not parses or ABBREVIATION_RE.fullmatch(last.group()):
        return name
    inflected = max(parses, key=lambda p: p.score).inflect({"nomn", "sing"})
    if inflected is None:
        return name
    return name[: last.start()] + restore_shape(inflected.word, last.group()) + name[last.end() :]


def _head_phrase(name: str, words: Sequence[re.Match[str]]) -> list[re.Match[str]]:
    """The leading adjectives and the noun after them, or [] when the name starts otherwise.

    A name in quotes never declines («Ак-Тилек»), nor does a word after a quote
    or a digit, which belongs to another part of the name.
    """
    phrase: list[re.Match[str]] = []
    for match in words:
        if re.search(r"[\d«»\"“”„(]", name[phrase[-1].end() if phrase else 0 : match.start()]):
            return []
        parses = _singular_or_plural(match.group())
        if not parses:
            return []
        phrase.append(match)
        if parses[0].tag.POS not in ADJECTIVES:
            return phrase if any(p.tag.POS == "NOUN" for p in parses) else []
    return []


def _singular_or_plural(word: str) -> list:
    parses = trusted(word, analyzer().parse(word.lower()))
    return [p for p in parses if p.tag.POS in ADJECTIVES | {"NOUN"}]


def phrase_cases(name: str) -> set[str]:
    """The cases ``name``'s head phrase can stand in (empty when it has none).

    An abbreviation («КР») never declines: it stands in every case.
    """
    if ABBREVIATION_RE.fullmatch(name.strip()):
        return set(CASES)
    words = list(WORD_RE.finditer(name))
    head = _head_phrase(name, words)
    readings = _readings([w.group() for w in head], Hints(), guess=True) if head else []
    return {reading.case for reading in readings}


def is_lone_adjective(name: str) -> bool:
    """One word read first as an adjective («Хоргосский»): NER cut the noun off."""
    words = WORD_RE.findall(name)
    parses = _singular_or_plural(words[0]) if len(words) == 1 else []
    return bool(parses) and parses[0].tag.POS in ADJECTIVES


def can_depend(word: str) -> bool:
    """A dictionary word that can stand in the genitive, or an abbreviation (which
    stands in any case): it may depend on the word before («энергетики КР»)."""
    if ABBREVIATION_RE.fullmatch(word):
        return True
    return any(p.is_known and "gent" in p.tag for p in analyzer().parse(word.lower()))


def _best_reading(words: list[str], hints: Hints, *, guess: bool) -> _Reading | None:
    """The likeliest case and number the noun and its adjectives agree in.

    A noun the dictionary does not know (its reading a guess from its ending)
    declines only when it ends the name or a genitive follows it
    («Ак-Тилеку», «Минпромторга Киргизии»): in «Тулпар Моторса» the last word
    takes the ending, and guessing at the first would only spoil it. A reading
    that leaves the phrase as it stands (the nominative singular) is preferred
    a little.
    """
    return max(_readings(words, hints, guess=guess), key=lambda r: r.score, default=None)


def _readings(words: list[str], hints: Hints, *, guess: bool) -> list[_Reading]:
    *adjectives, noun = words
    readings = []
    for noun_parse in _singular_or_plural(noun):
        tag = noun_parse.tag
        if tag.POS != "NOUN" or tag.case is None or not (guess or noun_parse.is_known):
            continue
        if ABBREVIATION_RE.fullmatch(noun) and not noun_parse.is_known:
            continue  # «ЕАБР» is no case form of a guessed «еабра»
        number = "plur" if "plur" in tag else "sing"
        gender = tag.gender if number == "sing" else None
        chosen = [_agreeing(adjective, tag.case, number, gender) for adjective in adjectives]
        if any(parse is None for parse in chosen):
            continue
        score = noun_parse.score + sum(parse.score for parse in chosen)
        score += 0.5 * (tag.case == hints.case) + 0.3 * (gender == hints.gender is not None)
        score += 0.3 * (tag.case == "nomn" and number == "sing")
        readings.append(_Reading(score, tag.case, number, gender, (*chosen, noun_parse)))
    return readings


def _agreeing(word: str, case: str, number: str, gender: str | None):
    fitting = [
        p
        for p in _singular_or_plural(word)
        if p.tag.POS in ADJECTIVES
        and case in p.tag
        and number in p.tag
        and (gender is None or gender in p.tag)
    ]
    return max(fitting, key=lambda p: p.score, default=None)


def _nominative(parse, reading: _Reading, original: str) -> str:
    if ABBREVIATION_RE.fullmatch(original):
        return original  # an abbreviation is written the same in every case
    wanted = {"nomn", reading.number}
    if parse.tag.POS in ADJECTIVES and reading.gender:
        wanted.add(reading.gender)
    inflected = parse.inflect(wanted) or parse.inflect({"nomn"})
    return restore_shape(inflected.word, original) if inflected else original
