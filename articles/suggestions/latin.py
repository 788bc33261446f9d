"""Vehicle models, which NER does not know: runs of capitalised Latin words.

«Lada Granta», «Haval H6», «Lada 4x4» are models; a run ending in a corporate
word («General Motors») is a company; a lone word is a model only right after a
word such as «кроссовер», since elsewhere it is as likely a brand or a news
agency («Reuters»); a legal form at the end («Ltd») is dropped and says the run
is a company; runs of acronyms («CASA CIS») are dropped unless the first
is a brand («MAN TGS»).
"""

from __future__ import annotations

import re

from ..models import EntitySuggestion
from ..text.morphology import analyse
from .known import KnownNames, fold
from .organisations import LEGAL_ABBREVIATIONS

Kind = EntitySuggestion.Kind

# A run of capitalised Latin words: «Chevrolet Onix», «Lada 4x4», «Haval H6».
# Later words may also be model codes that start with a digit («408», «4x4»).
_LATIN_FIRST = r"[A-Z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*"
_LATIN_NEXT = r"(?:[A-Z][A-Za-z0-9]*|[0-9][A-Za-z0-9]*)(?:[-'][A-Za-z0-9]+)*"
LATIN_RUN_RE = re.compile(rf"(?<![\w-]){_LATIN_FIRST}(?:[ \u00a0]{_LATIN_NEXT})*(?![\w-])")
YEAR_RE = re.compile(r"\d{4}")
# A lone Latin word is a model only right after one of these («кроссоверы Tracker»);
# elsewhere it is as likely a brand, a company or a news agency («Reuters»).
VEHICLE_WORDS = frozenset(
    [
        "автобус",
        "автомобиль",
        "внедорожник",
        "грузовик",
        "кабриолет",
        "кроссовер",
        "купе",
        "лимузин",
        "машина",
        "микроавтобус",
        "минивэн",
        "модель",
        "пикап",
        "седан",
        "самосвал",
        "спорткар",
        "тягач",
        "универсал",
        "фургон",
        "хэтчбек",
        "хетчбек",
        "хэтчбэк",
        "электрокар",
        "электромобиль",
    ]
)
# A Latin run ending in one of these is a company, not a model: «General Motors».
CORPORATE_WORDS = frozenset(
    [
        "ag",
        "auto",
        "automotive",
        "bank",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "group",
        "holding",
        "holdings",
        "inc",
        "industries",
        "llc",
        "ltd",
        "motor",
        "motors",
        "plc",
    ]
)


def latin_candidate(
    match: re.Match[str], text: str, ner_spans: list[tuple[int, int]], known: KnownNames
) -> tuple[str, str, int, int] | None:
    """(name, suggestion kind, start, stop) for a Latin run, or None when it names nothing new."""
    words = match.group().split()
    while words and YEAR_RE.fullmatch(words[-1]):
        words.pop()  # «Onix 2024»: the year is not part of the name
    if not words:
        return None
    start, stop = match.start(), match.start() + len(" ".join(words))
    if any(s <= start and stop <= e for s, e in ner_spans):
        return None  # NER already has it, as a company («Isuzu») or a person
    legal_form = False
    while len(words) > 1 and words[-1].rstrip(".") in LEGAL_ABBREVIATIONS:
        words.pop()  # «Kia Motors Ltd» is «Kia Motors», as in the catalog
        legal_form = True
    name = " ".join(words)
    if legal_form or (words[-1].lower() in CORPORATE_WORDS and len(words) > 1):
        return name, Kind.ORGANISATION, start, start + len(name)
    if len(words) == 1:
        if words[0].isupper() or not _after_vehicle_word(text, start):
            # An acronym («SUV») or a lone word with nothing saying it is a model.
            return None
        return name, Kind.VEHICLE_MODEL, start, stop
    if all(word.isalpha() and word.isupper() for word in words) and (
        fold(words[0]) not in known.brands
    ):
        return None  # «CASA CIS»: acronyms, unless the first is a brand («MAN TGS»)
    return name, Kind.VEHICLE_MODEL, start, stop


def _after_vehicle_word(text: str, start: int) -> bool:
    before = re.findall(r"\w+", text[text.rfind("\n", 0, start) + 1 : start])
    return bool(before) and bool(analyse(before[-1])[0] & VEHICLE_WORDS)
