"""The query's words and what a text word must share with each to match it.

Every word of the query must occur in an article, in any form: «заводы
Киргизии» finds «завод в Киргизии». A text word matches a query word when
they share a lemma; a Cyrillic word the dictionary does not know (a name such as
«Моторса») also matches by its stem, the word without its case ending. Words
that carry no meaning of their own (prepositions, pronouns…) are left out:
every article would match them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..text.morphology import CASE_ENDINGS, analyse, analyzer

MAX_QUERY_LENGTH = 200

WORD_RE = re.compile(r"\w+")
CYRILLIC_RE = re.compile(r"[а-яё]")
# Parts of speech PostgreSQL's Russian stop-word list consists of: prepositions,
# conjunctions, particles, interjections, pronouns. Matching them finds everything.
STOP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
MIN_STEM = 4


@dataclass(frozen=True)
class Term:
    """One word of the query and everything a text word may share with it to match."""

    word: str  # lower-cased
    keys: frozenset[str]


def clean_query(raw: str) -> tuple[str, bool]:
    """The query with control characters and runs of spaces removed, cut to
    ``MAX_QUERY_LENGTH``; and whether it had to be cut."""
    # NUL and other control characters: PostgreSQL rejects NUL in text outright.
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw)
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


def query_terms(query: str) -> tuple[Term, ...]:
    """The query's words that carry meaning, each once."""
    terms: dict[str, Term] = {}
    for word in WORD_RE.findall(query.lower()):
        if word not in terms and not is_stop_word(word):
            terms[word] = Term(word, word_keys(word))
    return tuple(terms.values())


@lru_cache(maxsize=20_000)
def is_stop_word(word: str) -> bool:
    parses = analyzer().parse(word)
    return bool(parses) and parses[0].is_known and parses[0].tag.POS in STOP_POS


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """Lemmas of a lower-cased word, plus for a Cyrillic word the dictionary does
    not know the word without a case ending: names such as «Моторса» (Моторс)."""
    lemmas, known = analyse(word)
    if known or not CYRILLIC_RE.search(word):
        return lemmas
    return lemmas | set(stems(word.replace("ё", "е")))


def stems(word: str) -> Iterable[str]:
    """``word`` without each case ending it may have, where enough is left of it."""
    for ending in CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            yield word[: -len(ending)]
