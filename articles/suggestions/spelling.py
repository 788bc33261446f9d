"""One name in either alphabet: «Квазар Нова» is the catalog's «Quazar Nova».

Russian news write foreign names in Cyrillic as often as in Latin, and a
Kyrgyz name in Latin as often as in Cyrillic, with a hyphen or without
(«Zhol-Tash», «Жолташ»). Names are compared here as a coarse Latin
skeleton: Cyrillic letters transliterated, Latin letters that spell one sound
made one («c» outside «ch» and «q» as «k», «x» as «ks», «w» as «v», «y» as
«i»), soft and hard signs, doubled letters, hyphens and spaces dropped. A
word that names a brand in any of the catalog's spellings («Шевроле» for
«Chevrolet») is the brand's own name first. The skeleton is for comparing
whole names only: it is coarse on purpose, and two different names of four
letters or more rarely share one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            *("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n"),
            *("o", "p", "r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sch", "", "i", ""),
            *("e", "iu", "ia"),
        ],
        strict=True,
    )
)
# Latin spellings of one sound, in order: «kh» and «ph» before the single letters.
LATIN_SOUNDS = (
    (re.compile("kh"), "h"),
    (re.compile("ph"), "f"),
    (re.compile("ck"), "k"),
    (re.compile("c(?!h)"), "k"),
    (re.compile("q"), "k"),
    (re.compile("x"), "ks"),
    (re.compile("w"), "v"),
    (re.compile("y"), "i"),
)
NOT_LETTERS_RE = re.compile(r"[^a-z0-9]")
DOUBLED_RE = re.compile(r"(.)\1+")
WORDS_RE = re.compile(r"[^\W_]+", re.UNICODE)


def word_skeleton(word: str) -> str:
    """One word as a coarse Latin skeleton: «Сапар», «Sapar» → «sapar»."""
    latin = "".join(CYRILLIC.get(char, char) for char in word.lower())
    for sound, spelling in LATIN_SOUNDS:
        latin = sound.sub(spelling, latin)
    return DOUBLED_RE.sub(r"\1", NOT_LETTERS_RE.sub("", latin))


def name_skeleton(name: str, brands: Mapping[str, str] | None = None) -> str:
    """A whole name's skeleton, each brand word as the brand's own name
    (``brands``: a word's skeleton → its brand's), words run together."""
    brands = brands or {}
    skeletons = (word_skeleton(word) for word in WORDS_RE.findall(name))
    return "".join(brands.get(skeleton, skeleton) for skeleton in skeletons)
