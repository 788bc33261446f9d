"""How a Latin name sounds, so that its Russian spellings are recognised.

Russian news write «Кобальт», «Трекер», «Оникс», «Джентра», «Хайлюкс» for
Cobalt, Tracker, Onix, Gentra, Hilux. Practical transcription follows the
sound, not the letters, and English spelling does not say the sound: «a» is
«а» in Cobalt and «е» in Tracker, «ch» is «ш» in Chevrolet and «ч» in
Chery. So both alphabets are read into one coarse sound key: consonants by
sound, every run of vowels as one ``VOWEL``, doubled letters once. A Latin
word has a few keys (one for each reading of its ambiguous letters), a
Cyrillic word one, and a Cyrillic word in a case form also the keys of the
form without its ending. Equal keys: a spelling of the name.

The key is coarse on purpose (vowels are not told apart); whoever uses it
decides when a match is trusted (the linker asks for a capital letter and for
context, see ``articles.linking.evidence``). PyPI's transliterators reverse a
letter-by-letter romanisation of Russian and do not read English spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from .morphology import CASE_ENDINGS

VOWEL = "*"
# Shorter words and keys with fewer consonants sound like too many Russian words.
MIN_LETTERS = 4
MIN_CONSONANTS = 2
MAX_KEYS = 256  # readings of one Latin word, a bound for pathological names

_CYRILLIC_SOUNDS = {
    **dict.fromkeys("аеёиоуыэюяй", VOWEL),
    **dict.fromkeys("ьъ", ""),
    "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "к": "k", "л": "l",
    "м": "m", "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "h",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
}  # fmt: skip

# Latin letter groups, longest first, and the sounds Russian writes them with.
_LATIN_GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("sch", ("sh",)),
    ("tch", ("ch",)),
    ("ch", ("ch", "sh", "k")),  # Chery, Chevrolet, Chrysler
    ("sh", ("sh",)),
    ("zh", ("zh",)),
    ("kh", ("h",)),
    ("ph", ("f",)),
    ("th", ("t",)),
    ("ck", ("k",)),
    ("gh", ("g", "")),
    ("qu", ("kv", "k")),
    ("tz", ("ts",)),
    ("x", ("ks",)),
    ("j", ("j", "zh")),  # Jetta «Джетта», Juke «Жук»
    ("h", ("h", "")),  # Hilux «Хайлюкс», Tahoe «Тахо» or silent
    ("s", ("s", "z")),  # Isuzu «Исузу», Rosa «Роза»
    ("z", ("z", "ts")),  # Benz «Бенц»
    ("w", ("v", VOWEL)),  # Wuling «Вулинг», Crown «Краун»
    ("q", ("k",)),
    ("y", (VOWEL,)),
    *((letter, (VOWEL,)) for letter in "aeiou"),
    *((letter, (letter,)) for letter in "bdfgklmnprtv"),
]
_SOFT_BEFORE = frozenset("eiy")
_LATIN_WORD = re.compile(r"[a-z]+")
_CYRILLIC_WORD = re.compile(r"[а-яё]+")
_REPEATS = re.compile(r"(.)\1+")


def _key(sounds: list[str] | tuple[str, ...]) -> str:
    return _REPEATS.sub(r"\1", "".join(sounds))


def _distinct_enough(key: str) -> bool:
    return sum(char != VOWEL for char in key) >= MIN_CONSONANTS


def cyrillic_key(word: str) -> str:
    """The sound key of a Cyrillic word: «Кобальт» → ``k*b*lt``."""
    lower = word.lower()
    # «дж» is one sound, the one English writes «j» or a soft «g».
    lower = lower.replace("дж", "\0")
    return _key([_CYRILLIC_SOUNDS.get(char, "j" if char == "\0" else "") for char in lower])


@lru_cache(maxsize=50_000)
def spelling_keys(word: str) -> frozenset[str]:
    """The sound keys a Cyrillic word may spell a Latin name by: its own, and
    those of the word less a case ending («Кобальта» → «Кобальт»)."""
    lower = word.lower()
    if len(lower) < MIN_LETTERS or not _CYRILLIC_WORD.fullmatch(lower):
        return frozenset()
    forms = [lower] + [
        lower[: -len(ending)]
        for ending in CASE_ENDINGS
        if lower.endswith(ending) and len(lower) - len(ending) >= MIN_LETTERS - 1
    ]
    return frozenset(key for form in forms if _distinct_enough(key := cyrillic_key(form)))


@lru_cache(maxsize=10_000)
def latin_keys(word: str) -> frozenset[str]:
    """The sound keys of the Russian spellings of a Latin word (empty when the
    word is too short or not Latin): «Cobalt» → {``k*b*lt``, ...}."""
    lower = word.lower()
    if len(lower) < MIN_LETTERS or not _LATIN_WORD.fullmatch(lower):
        return frozenset()
    choices = []
    i = 0
    while i < len(lower):
        length, sounds = _group_at(lower, i)
        choices.append(sounds)
        i += length
    keys: set[str] = set()
    for sounds in product(*choices):
        keys.add(_key(sounds))
        if len(keys) >= MAX_KEYS:
            break
    return frozenset(key for key in keys if _distinct_enough(key))


def _group_at(word: str, i: int) -> tuple[int, tuple[str, ...]]:
    """The letter group starting at ``word[i]``: its length and its sounds."""
    letter, following = word[i], word[i + 1 : i + 2]
    if letter == "c" and following not in ("h", "k"):
        return 1, (("s", "ch", "ts") if following in _SOFT_BEFORE else ("k",))
    if letter == "g" and following in _SOFT_BEFORE:
        return 1, ("g", "j")  # Getz «Гетц», Gentra «Джентра»
    if letter == "e" and i == len(word) - 1 and word[i - 1] not in "aeiouy":
        return 1, (VOWEL, "")  # a silent final «e»: Cruze «Круз»
    for group, sounds in _LATIN_GROUPS:
        if word.startswith(group, i):
            return len(group), sounds
    return 1, ("",)
