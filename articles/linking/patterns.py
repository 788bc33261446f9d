"""How a catalog entity's names become patterns, and how a pattern matches text.

Names are matched word by word on lemmas, so every case and number of a name
matches («Романом Чекушовым» → Роман Чекушов); a word the dictionary does not
know matches with a case ending («Моторсом»); «ё» and «е» are one letter. A
Latin word of a model's name also matches its Russian spellings («Кобальта»
for Cobalt, by ``articles.text.transcription``), written with a capital. A
code of letters and digits («T40») matches in either alphabet («Т40» typed with
a Cyrillic «Т», ``articles.text.typography.code_key``).
Which names an entity has (aliases, brand spellings, short forms) is
``names``; an alias may hold «...»: up to ``MAX_GAP`` words may stand there
in the text. The text is read as ``articles.text.typography.name_tokens``
gives it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from companies.models import Entity

from ..text.morphology import CASE_ENDINGS, WORD_RE, analyse, is_common_word
from ..text.tokens import CACHED_WORDS, AnyToken, fast_tokens
from ..text.transcription import latin_keys, spelling_keys
from ..text.typography import code_key, name_tokens

GAP_MARKER = "…"
MAX_GAP = 5
SENTENCE_END = frozenset([".", "!", "?", ";", "…"])
# Index keys of sounds (``transcription``) are told from lemmas by this mark.
SOUND = "~"


def fold(text: str) -> str:
    """Lower case with «ё» as «е»: «Семёнов» and «Семенов» are one name."""
    return text.lower().replace("ё", "е")


class Role:
    """What a pattern stands for, which decides the evidence it needs (``evidence``)."""

    NAME = "name"  # a name or an alias
    SURNAME = "surname"  # an official's surname alone
    FIRST_WORD = "first_word"  # the first word of a company's name alone («Тулпар»)
    TITLE = "title"  # an official's full position, naming the organization


@lru_cache(maxsize=CACHED_WORDS)
def lookup_keys(text: str) -> frozenset[str] | None:
    """Index keys a text word can be found under (None for punctuation).

    Its lemmas, and the word less a one- to three-letter ending, so that a name
    the dictionary does not know («Моторс») is found in its case forms; for a
    capitalised word, the sounds of the Latin names it may spell.
    """
    if not WORD_RE.search(text):
        return None
    lower = fold(text)
    stems = {lower[:-n] for n in (1, 2, 3) if len(lower) - n >= 4}
    keys = analyse(text)[0] | stems
    if code := code_key(text):
        keys |= {code}
    if text[:1].isupper() and (sounds := spelling_keys(text)):
        keys |= {SOUND + key for key in sounds}
    return keys


@dataclass(frozen=True, slots=True)
class NameWord:
    """One word of a catalog name, and how text words may match it."""

    text: str
    lemmas: frozenset[str]
    capitalised: bool  # a name: the text must capitalise it too
    abbreviation: bool
    stem: str  # non-empty when the word is unknown and may take a case ending
    sounds: frozenset[str] = frozenset()  # a Latin word's Russian spellings
    code: str = ""  # a code of letters and digits («T40»), in either alphabet

    @classmethod
    def from_text(cls, text: str, *, transcribe: bool = False) -> NameWord:
        lemmas, known = analyse(text)
        letters = [c for c in text if c.isalpha()]
        abbreviation = 1 < len(letters) <= 5 and all(c.isupper() for c in letters)
        cyrillic = any("а" <= c <= "я" or c == "ё" for c in text.lower())
        stem = fold(text) if (cyrillic and not known and len(text) >= 4) else ""
        capitalised = text[:1].isupper() and not is_common_word(text)
        sounds = latin_keys(text) if transcribe and not abbreviation else frozenset()
        return cls(text, lemmas, capitalised, abbreviation, stem, sounds, code_key(text))

    def matches(self, token: AnyToken) -> bool:
        if self.code:
            return code_key(token.text) == self.code  # «Т40» in Cyrillic is «T40»
        if self.abbreviation:
            return token.text == self.text
        if self.capitalised and not token.text[:1].isupper():
            # Names are written with a capital: «роман» the book is not «Роман».
            return False
        if self.lemmas & token.lemmas:
            return True
        if self.stem:
            lower = fold(token.text)
            if lower.startswith(self.stem) and lower[len(self.stem) :] in CASE_ENDINGS:
                return True
        return bool(self.sounds) and self.spelled_by(token)

    def spelled_by(self, token: AnyToken) -> bool:
        """Whether ``token`` is a Russian spelling of this Latin word, capitalised."""
        return (
            bool(self.sounds)
            and token.text[:1].isupper()
            and not self.sounds.isdisjoint(spelling_keys(token.text))
        )

    def index_keys(self) -> frozenset[str]:
        # Every text word this name word matches has one of these among its
        # ``lookup_keys``: a shared lemma (an abbreviation's text is its lemma),
        # the stem left when its case ending is cut off, or a shared sound.
        keys = self.lemmas | ({self.stem} if self.stem else set()) | ({self.code} - {""})
        return keys | {SOUND + key for key in self.sounds}


@dataclass(frozen=True)
class Pattern:
    entity: Entity
    name: str
    words: tuple[NameWord, ...]
    gap_before: tuple[bool, ...]  # may up to MAX_GAP words stand before words[i]?
    short: bool  # a short form: yields to any other entity's name
    role: str = Role.NAME
    # A model's name: which of its words are the brand (first index, count), if any.
    brand_at: tuple[int, int] | None = None
    brandless_model: bool = False  # a model's name without its brand («Cobalt»)

    @property
    def signature(self) -> tuple[frozenset[str], ...]:
        return tuple(w.lemmas if not w.abbreviation else frozenset([w.text]) for w in self.words)

    @property
    def has_gap(self) -> bool:
        return any(self.gap_before)

    def match_end(self, stream: Sequence[AnyToken], start: int) -> int | None:
        """Index just past the match starting at ``stream[start]``, or None."""
        i = start
        for n, word in enumerate(self.words):
            if n > 0:
                if self.gap_before[n]:
                    i = _find_within_gap(word, stream, i)
                    if i is None:
                        return None
                elif i >= len(stream) or not word.matches(stream[i]):
                    return None
            elif not (stream[i].is_word and word.matches(stream[i])):
                return None
            i += 1
        return i

    def word_places(self, stream: Sequence[AnyToken], start: int) -> list[int]:
        """The places in ``stream`` of this pattern's words, matched from ``stream[start]``
        (which ``match_end`` found to match)."""
        if not self.has_gap:
            return list(range(start, start + len(self.words)))
        places = [start]
        for word, gap in zip(self.words[1:], self.gap_before[1:], strict=True):
            following = places[-1] + 1
            places.append(_find_within_gap(word, stream, following) if gap else following)
        return places


def _find_within_gap(word: NameWord, stream: Sequence[AnyToken], i: int) -> int | None:
    skipped = 0
    while i < len(stream) and skipped <= MAX_GAP:
        token = stream[i]
        if token.text in SENTENCE_END:
            return None
        if token.is_word and token.text[:1].isupper() and not word.matches(token):
            # Another name stands in between: «грузовики КАМАЗ и автобусы Isuzu».
            return None
        if token.is_word:
            if word.matches(token):
                return i
            skipped += 1
        i += 1
    return None


def build_pattern(
    entity: Entity,
    name: str,
    *,
    short: bool = False,
    role: str = Role.NAME,
    brand_at: tuple[int, int] | None = None,
    brandless_model: bool = False,
    transcribed: frozenset[str] = frozenset(),
) -> Pattern | None:
    """The pattern of one name; the words in ``transcribed`` (lower case) also
    match their Russian spellings."""
    words: list[NameWord] = []
    gaps: list[bool] = []
    gap = False
    text = name.replace("...", GAP_MARKER)
    for token in name_tokens(text, fast_tokens(text)):
        if token.text == GAP_MARKER:
            gap = bool(words)
            continue
        if not token.is_word:
            continue
        transcribe = token.text.lower() in transcribed
        words.append(NameWord.from_text(token.text, transcribe=transcribe))
        gaps.append(gap)
        gap = False
    if not words:
        return None
    return Pattern(entity, name, tuple(words), tuple(gaps), short, role, brand_at, brandless_model)


def name_words(name: str) -> list[str]:
    """The words of a name as patterns read them («Mercedes-Benz»: two words)."""
    return [t.text for t in name_tokens(name, fast_tokens(name)) if t.is_word]
