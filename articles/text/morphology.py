"""Russian lemmas (pymorphy3): what a word is whatever its case and number.

Shared by the linker, search, topic tags and suggestions: «Романом» and
«Роману» both have the lemma «роман», so a name matches in every form.
"""

import re
import unicodedata
from functools import cache, lru_cache

import pymorphy3

WORD_RE = re.compile(r"\w", re.UNICODE)

# Endings a Russian case form may add to a name the dictionary does not know
# («Тулпар Моторс» → «Тулпар Моторса», «Моторсом»).
CASE_ENDINGS = frozenset(
    [
        "а",
        "я",
        "у",
        "ю",
        "ом",
        "ем",
        "е",
        "ы",
        "и",
        "ов",
        "ев",
        "ам",
        "ям",
        "ами",
        "ями",
        "ах",
        "ях",
        "ой",
        "ей",
        "ым",
        "им",
        "ых",
        "их",
        "ого",
        "ому",
        "ыми",
    ]
)


class Analyzer(pymorphy3.MorphAnalyzer):
    """pymorphy3's analyzer, answering for every word a visitor or a file can hold."""

    def parse(self, word):
        try:
            return super().parse(word)
        except ValueError:
            # pymorphy3 tells Latin words by the Unicode names of their letters,
            # and Python knows no name for some letters (Tangut, U+17000...): a
            # search or a text with one would fail. No Russian word has them.
            if all(unicodedata.name(char, None) for char in word):
                raise
            return []


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    # Loading the dictionaries takes ~0.1 s and ~40 MB: once per process.
    return Analyzer()


PROPER_GRAMMEMES = frozenset(["Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"])


@lru_cache(maxsize=200_000)
def analyse(word: str) -> tuple[frozenset[str], bool]:
    """Every lemma of ``word`` under any parse, and whether the dictionary knows it.

    The lower-cased word itself is always among the lemmas, so words the
    dictionary does not know (Latin names, rare surnames) still match themselves.
    """
    lower = word.lower().replace("ё", "е")
    parses = analyzer().parse(lower)
    lemmas = {lower} | {p.normal_form.replace("ё", "е") for p in parses}
    known = any(p.is_known for p in parses)
    return frozenset(lemmas), known


@lru_cache(maxsize=50_000)
def is_common_word(word: str) -> bool:
    """True when the dictionary knows ``word`` only as an ordinary word («грузовики»).

    Such words match in any letter case; names («Роман», «Киргизия», unknown
    words) must be capitalised in the text too.
    """
    parses = [p for p in analyzer().parse(word.lower()) if p.is_known]
    return bool(parses) and not any(PROPER_GRAMMEMES & p.tag.grammemes for p in parses)


@lru_cache(maxsize=50_000)
def has_grammeme(word: str, grammeme: str) -> bool:
    """Whether some parse of ``word`` has ``grammeme`` («Name», «Surn», «Geox»...)."""
    return any(grammeme in p.tag for p in analyzer().parse(word.lower()))


def best_lemma(word: str) -> str:
    """The most likely lemma: «заводы» → «завод»."""
    parses = analyzer().parse(word.lower())
    return (parses[0].normal_form if parses else word.lower()).replace("ё", "е")
