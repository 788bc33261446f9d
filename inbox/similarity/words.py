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
number). Names and numbers tell one story from another of its kind (two firms
each opening a bus line share «завод», «линия», «автобус»), so they weigh more
(``story_features``). ``bench/similarity.py`` compares this reading with others on the
labelled texts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from articles.text.morphology import CASE_ENDINGS, PROPER_GRAMMEMES, analyzer

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


class StoryWord(NamedTuple):
    lemma: str
    # A name (of a person, a firm, a place; any word the dictionary does not
    # know) or a number: what tells one story from another of the same kind.
    telling: bool


def read_story(text: str) -> list[StoryWord]:
    """The story's words of ``text`` in order (see the module's docstring)."""
    words = []
    for match in WORD_RE.finditer(text):
        word = match.group()
        if word[0].isdigit():
            words.append(StoryWord(GROUP_SPACES_RE.sub("", word), telling=True))
        elif read := read_word(word):
            words.append(read)
    return words


def story_words(text: str) -> list[str]:
    """The lemmas of ``read_story``: «на заводе „Сарыжон Моторса“» → «завод»,
    «сарыжон», «моторс»."""
    return [word.lemma for word in read_story(text)]


@lru_cache(maxsize=100_000)
def read_word(word: str) -> StoryWord | None:
    """``word`` as the story reads it, or ``None`` when it is neither a noun nor
    unknown to the dictionary.

    Cached: news reuse their words, and the analyzer is most of the cost.
    """
    lower = word.lower().replace("ё", "е")
    parses = analyzer().parse(lower)
    if not parses or not parses[0].is_known:
        return StoryWord(unknown_name_stem(lower), telling=True)
    best = parses[0]
    if best.tag.POS not in STORY_PARTS_OF_SPEECH:
        return None
    return StoryWord(
        best.normal_form.replace("ё", "е"), telling=bool(PROPER_GRAMMEMES & best.tag.grammemes)
    )


def story_features(words: list[StoryWord], *, shingle_size: int, telling_weight: int) -> set[str]:
    """What the fingerprint is made of: the shingles of the words' lemmas, and
    each telling word ``telling_weight`` times in all («сарыжон», «сарыжон#2»).

    A set counts each element once: the copies are how a name or a figure weighs
    more than a common noun in the Jaccard similarity of two such sets.
    """
    features = shingles([word.lemma for word in words], shingle_size)
    features.update(
        f"{word.lemma}#{copy}"
        for word in words
        if word.telling
        for copy in range(2, telling_weight + 1)
    )
    return features


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
