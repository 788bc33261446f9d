"""How a catalog entity's names become patterns, and how a pattern matches text.

Names are matched word by word on lemmas, so every case and number of a name
matches («Романом Чекушовым» → Роман Чекушов); a word the dictionary does not
know matches with a case ending («Моторсом»). Besides its names and aliases an
entity has short patterns: a bare surname, a model name without its brand
(«Cobalt»), the ministry a full position names. An alias may hold «...»: up to
``MAX_GAP`` words may stand there in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from companies.models import Entity, Official, VehicleModel

from ..text.morphology import CASE_ENDINGS, WORD_RE, analyse, is_common_word
from ..text.tokens import CACHED_WORDS, AnyToken, fast_tokens

GAP_MARKER = "…"
MAX_GAP = 5
SENTENCE_END = frozenset([".", "!", "?", ";", "…"])


@lru_cache(maxsize=CACHED_WORDS)
def lookup_keys(text: str) -> frozenset[str] | None:
    """Index keys a text word can be found under (None for punctuation).

    Its lemmas, and the word less a one- to three-letter ending, so that a name
    the dictionary does not know («Моторс») is found in its case forms.
    """
    if not WORD_RE.search(text):
        return None
    lower = text.lower()
    stems = {lower[:-n] for n in (1, 2, 3) if len(lower) - n >= 4}
    return analyse(text)[0] | stems


@dataclass(frozen=True, slots=True)
class NameWord:
    """One word of a catalog name, and how text words may match it."""

    text: str
    lemmas: frozenset[str]
    capitalised: bool  # a name: the text must capitalise it too
    abbreviation: bool
    stem: str  # non-empty when the word is unknown and may take a case ending

    @classmethod
    def from_text(cls, text: str) -> NameWord:
        lemmas, known = analyse(text)
        letters = [c for c in text if c.isalpha()]
        abbreviation = 1 < len(letters) <= 5 and all(c.isupper() for c in letters)
        cyrillic = any("а" <= c <= "я" or c == "ё" for c in text.lower())
        stem = text.lower() if (cyrillic and not known and len(text) >= 4) else ""
        capitalised = text[:1].isupper() and not is_common_word(text)
        return cls(text, lemmas, capitalised, abbreviation, stem)

    def matches(self, token: AnyToken) -> bool:
        if self.abbreviation:
            return token.text == self.text
        if self.capitalised and not token.text[:1].isupper():
            # Names are written with a capital: «роман» the book is not «Роман».
            return False
        if self.lemmas & token.lemmas:
            return True
        lower = token.text.lower()
        return (
            bool(self.stem)
            and lower.startswith(self.stem)
            and (lower[len(self.stem) :] in CASE_ENDINGS)
        )

    def index_keys(self) -> frozenset[str]:
        # Every text word this name word matches has one of these among its
        # ``lookup_keys``: a shared lemma (an abbreviation's text is its lemma),
        # or the stem left when its case ending is cut off.
        return self.lemmas | ({self.stem} if self.stem else set())


@dataclass(frozen=True)
class Pattern:
    entity: Entity
    name: str
    words: tuple[NameWord, ...]
    gap_before: tuple[bool, ...]  # may up to MAX_GAP words stand before words[i]?
    short: bool  # a surname or a model name without its brand

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


def entity_patterns(entity: Entity) -> list[Pattern]:
    """The patterns ``entity`` may be mentioned by: its names and aliases first
    (the order breaks ties between equal matches), then its short forms."""
    patterns = [_pattern(entity, name) for name in entity.names]
    patterns += [_pattern(entity, name, short=True) for name in _short_names(entity)]
    if title := _organization_title(entity):
        patterns.append(_pattern(entity.organization, title, short=True))
    return [pattern for pattern in patterns if pattern is not None]


def _pattern(entity: Entity, name: str, *, short: bool = False) -> Pattern | None:
    words: list[NameWord] = []
    gaps: list[bool] = []
    gap = False
    for token in fast_tokens(name.replace("...", GAP_MARKER)):
        if token.text == GAP_MARKER:
            gap = bool(words)
            continue
        if not token.is_word:
            continue
        words.append(NameWord.from_text(token.text))
        gaps.append(gap)
        gap = False
    if not words:
        return None
    return Pattern(entity, name, tuple(words), tuple(gaps), short)


def _short_names(entity: Entity) -> list[str]:
    if isinstance(entity, Official):
        return [entity.surname] if entity.surname else []
    if isinstance(entity, VehicleModel):
        return [entity.short_name] if entity.short_name else []
    return []


def _organization_title(entity: Entity) -> str:
    """An official's full position names the organization: «заместитель министра
    промышленности и торговли РФ» mentions the ministry. One- and two-word
    positions («министр», «премьер-министр») are too generic to say which."""
    if isinstance(entity, Official) and entity.organization and len(entity.position.split()) > 2:
        return entity.position
    return ""
