"""Russian text cut into tokens (words, numbers, punctuation) with their positions.

razdel's tokenizer (``tokens``) is the reference; ``fast_tokens`` gives the
same tokens several times faster, because tokenizing was most of the linker's
time. Each token offers its lemmas (``morphology.analyse``), which is all the
linker and the topic tagger read of a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import NamedTuple

from razdel import tokenize
from razdel.segmenters.punct import DASHES, ENDINGS
from razdel.segmenters.tokenize import ATOM, SMILE

from .morphology import WORD_RE, analyse

# Words whose lemmas are kept: a long load meets ever new words (names,
# numbers), and memory should not grow with it for long.
CACHED_WORDS = 50_000


@dataclass(frozen=True, slots=True)
class Token:
    """One of razdel's tokens."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return bool(WORD_RE.search(self.text))

    @property
    def lemmas(self) -> frozenset[str]:
        return analyse(self.text)[0]

    @property
    def known(self) -> bool:
        return analyse(self.text)[1]


def tokens(text: str) -> list[Token]:
    """razdel's tokens of ``text``: the reference ``fast_tokens`` is checked against."""
    return [Token(t.text, t.start, t.stop) for t in tokenize(text)]


class FastToken(NamedTuple):
    """A token with what ``Token`` offers (text, start, end, is_word, lemmas,
    known), as a tuple: made by the hundred per article, a tuple is made
    several times faster than a frozen dataclass."""

    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return word_lemmas(self.text) is not None

    @property
    def lemmas(self) -> frozenset[str]:
        return analyse(self.text)[0]

    @property
    def known(self) -> bool:
        return analyse(self.text)[1]


_new_token = partial(tuple.__new__, FastToken)
# What the linker reads: razdel's tokens or ours.
AnyToken = Token | FastToken


@lru_cache(maxsize=CACHED_WORDS)
def word_lemmas(text: str) -> frozenset[str] | None:
    """``analyse(text)[0]`` for a word, None for punctuation, in one cached call."""
    return analyse(text)[0] if WORD_RE.search(text) else None


# A run of non-space characters: named "atom" when it is one of razdel's atoms
# as a whole (a word of one alphabet, a number, a single character), which is
# a token whatever stands around it; otherwise razdel's rules decide.
_CHUNK = re.compile(r"(?P<atom>(?:[а-яё]+|[a-z]+|\d+|\S)(?!\S))|\S+", re.IGNORECASE)
_NON_SPACE = re.compile(r"\S")
_LETTERS_OR_OTHER = frozenset(["RU", "LAT", "OTHER"])
# razdel's rules for a delimiter between two atoms: «cho-to» and «a_b» join when
# neither neighbour is punctuation, «3.14» and «1/2» when both are numbers.
# ``x in "..."`` is razdel's own test.
_DELIMITER_RULES = (
    (lambda x: x in DASHES, None),
    (lambda x: x == "_", None),
    (lambda x: x in ".,", "INT"),
    (lambda x: x in "/\\", "INT"),
)
_DIGIT = re.compile(r"\d")

Atom = tuple[int, int, str]  # start, end and razdel's type (RU, LAT, INT, PUNCT, OTHER)


def fast_tokens(text: str) -> list[FastToken]:
    """The tokens of ``tokens(text)`` (razdel's), several times faster.

    Tokenizing was most of the linker's time. razdel cuts the text into atoms
    (letters of one alphabet, digits, one punctuation mark, another symbol)
    and joins two atoms with no space between them when one of its rules says
    so. Most words stand between spaces as a single atom and are a token as
    they are; the rest are cut into razdel's atoms (its own regular expression)
    and joined by the same rules, which look at most one atom beyond the pair,
    across a space too.
    ``test_tokens`` checks both agree on the seed and on many random strings.
    """
    result: list[FastToken] = []
    previous: tuple[int, int] | None = None  # the span of the previous chunk
    for chunk in _CHUNK.finditer(text):
        chunk_start, chunk_end = chunk.span()
        if chunk.lastgroup == "atom":
            result.append(_new_token((chunk.group(), chunk_start, chunk_end)))
            previous = (chunk_start, chunk_end)
            continue
        atoms = [
            (m.start(), m.end(), m.lastgroup) for m in ATOM.finditer(text, chunk_start, chunk_end)
        ]
        before = after = None
        if previous is not None:
            *_others, last = ATOM.finditer(text, *previous)
            before = (last.start(), last.end(), last.lastgroup)
        if following := _NON_SPACE.search(text, chunk_end):
            first = ATOM.match(text, following.start())
            after = (first.start(), first.end(), first.lastgroup)
        context = [before, *atoms, after]
        start = chunk_start
        for i in range(2, len(atoms) + 1):
            if _atoms_join(text, context, i, start):
                continue
            end = context[i - 1][1]
            result.append(_new_token((text[start:end], start, end)))
            start = context[i][0]
        result.append(_new_token((text[start:chunk_end], start, chunk_end)))
        previous = (chunk_start, chunk_end)
    return result


def _atoms_join(text: str, atoms: list[Atom | None], i: int, start: int) -> bool:
    """razdel's rules (dash, underscore, float, fraction, punct, other, yahoo), in order."""
    l_start, l_end, l_type = atoms[i - 1]
    r_start, r_end, r_type = atoms[i]
    left, right = text[l_start:l_end], text[r_start:r_end]
    before = atoms[i - 2] if i >= 2 else None
    after = atoms[i + 1] if i + 1 < len(atoms) else None
    for is_delimiter, wanted in _DELIMITER_RULES:
        if is_delimiter(left):
            a, b = before, atoms[i]
        elif is_delimiter(right):
            a, b = atoms[i - 1], after
        else:
            continue
        if a is None or b is None:
            continue
        if wanted is None:
            if a[2] != "PUNCT" and b[2] != "PUNCT":
                return True
        elif a[2] == wanted and b[2] == wanted:
            return True
    if l_type == "PUNCT" and r_type == "PUNCT":
        if SMILE.match(text[start:l_end] + right):
            return True
        if left in ENDINGS and right in ENDINGS:
            return True
        if left + right in ("--", "**"):
            return True
    if l_type == "OTHER" and r_type in _LETTERS_OR_OTHER:
        return True
    if l_type in _LETTERS_OR_OTHER and r_type == "OTHER":
        return True
    return left.lower() == "yahoo" and right == "!"


def edge_may_join(text: str) -> bool:
    """Whether ``text``, put next to another text, could be tokenized otherwise.

    A tokenizer rule may look one atom past a space, so a piece that starts or
    ends with a dash, underscore, slash or a point after a digit may join its
    neighbour's atoms: its tokens alone are not its tokens in the whole.
    """
    first, last = text[:1], text[-1:]
    if first and first in DASHES + "_.,/\\":
        return True
    if last and last in DASHES + "_":
        return True
    # «2024.» joins a number that follows («2024. 5» is one token to razdel).
    return bool(last) and last in ".,/\\" and bool(_DIGIT.match(text[-2:-1]))
