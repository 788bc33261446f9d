"""The words a story is told in, as the fingerprint reads them.

What two sources retelling one story keep is its names, its things and its
figures: the firm, the people, «автобус», «линия», «1200». Their verbs,
adjectives and sentences are their own («завод запустил новую линию» / «запуск
линии на заводе»), and the words of the retelling often outnumber the story's.
So the fingerprint reads nouns (names among them), words the dictionary does not
know (invented and foreign names: «Сарыжон», «Моторс») and numbers, each noun as
its lemma (pymorphy3, the dictionary the linker uses) and each unknown word
without its case ending, so that every case and number of a word is one word.
Numbers are written without their group spaces («12 000» and «12000» are one
number). ``bench/similarity.py`` compares this reading with others on the
labelled texts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from articles.text.morphology import CASE_ENDINGS, analyzer

# A number (its digit groups may be spaced: «12 000»), or a run of letters.
# Hyphens split words: «Кара-Балта» is «кара» and «балта» in either spelling.
WORD_RE = re.compile(r"\d{1,3}(?:[ \xa0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?|[^\W\d_]+")
GROUP_SPACES_RE = re.compile("[ \xa0\u202f]")
CYRILLIC_RE = re.compile("[а-я]+")
# Endings longest first, so that «Моторсом» loses «ом», not «м».
ENDINGS_LONGEST_FIRST = sorted(CASE_ENDINGS, key=len, reverse=True)
# A name shorter than this keeps its last letters: «Ока» is not «Ок» + «а».
SHORTEST_STEM = 4
# The part of speech (OpenCorpora tag) a story's words are read from.
STORY_PARTS_OF_SPEECH = frozenset({"NOUN"})


def story_words(text: str) -> list[str]:
    """The story's words of ``text`` in order, nouns as their lemmas («заводе» → «завод»)."""
    words = []
    for match in WORD_RE.finditer(text):
        word = match.group()
        lemma = GROUP_SPACES_RE.sub("", word) if word[0].isdigit() else content_lemma(word)
        if lemma:
            words.append(lemma)
    return words


@lru_cache(maxsize=100_000)
def content_lemma(word: str) -> str:
    """The most likely lemma of ``word`` when it is a noun or unknown to the
    dictionary, else ``""``.

    Cached: news reuse their words, and the analyzer is most of the cost.
    """
    lower = word.lower().replace("ё", "е")
    parses = analyzer().parse(lower)
    if not parses or not parses[0].is_known:
        return unknown_name_stem(lower)
    best = parses[0]
    if best.tag.POS not in STORY_PARTS_OF_SPEECH:
        return ""
    return best.normal_form.replace("ё", "е")


def unknown_name_stem(word: str) -> str:
    """A Cyrillic word the dictionary does not know without its case ending, as
    the linker reads names: «Моторса», «Моторсом» and «Моторс» are «моторс».

    The dictionary's guess at an unknown word's lemma often keeps the ending
    («моторса»); one stem for every form is what matters here.
    """
    if not CYRILLIC_RE.fullmatch(word):
        return word
    for ending in ENDINGS_LONGEST_FIRST:
        if word.endswith(ending) and len(word) - len(ending) >= SHORTEST_STEM:
            return word[: -len(ending)]
    return word


def shingles(words: list[str], size: int) -> set[str]:
    """Every run of ``size`` consecutive words, written with spaces between them.

    A text shorter than ``size`` words is one shingle of all its words, so a
    short headline still has a fingerprint.
    """
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[start : start + size]) for start in range(len(words) - size + 1)}
