"""Where an annotated surface string stands in the parsed text, whatever became of its whitespace.

An annotation names a surface string (whole words, as the text writes them) and
which of its occurrences it means, counted in the texts the project's own parser
makes of the file. Both sides are compared as *skeletons*: without whitespace of
any kind, soft hyphens and hyphens, and with «ё» as «е». So «Чеку-\\nшова» (a
word hyphenated at a line end, as a PDF gives it), «Чеку- шова» (what joining the
lines makes of it) and «Чекушова» are one string, and so are «Тулпар\\u00a0Моторс»
and «Тулпар Моторс»: an annotation stays valid whatever the loader does to
whitespace and line breaks. Case is kept, so «Роман» is never «роман».

An occurrence counts only where it stands as whole words: no letter or digit
right before its first character or right after its last.
"""

from __future__ import annotations

from dataclasses import dataclass

# Characters a skeleton leaves out besides whitespace: soft hyphen, hyphens,
# zero-width space, word joiner and byte-order mark.
LEFT_OUT = frozenset("\u00ad-\u2010\u2011\u200b\u2060\ufeff")
FOLDED = str.maketrans("ёЁ", "еЕ")


class AnnotationError(ValueError):
    """An annotation that does not resolve to a place in its text."""


@dataclass(frozen=True, order=True)
class Span:
    """Characters ``start:end`` of text number ``piece`` (0 the headline, 1 the lead,
    2 onwards the body blocks)."""

    piece: int
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.piece == other.piece and self.start < other.end and other.start < self.end


def skeleton(text: str) -> tuple[str, list[int]]:
    """``text`` without the characters a skeleton leaves out, and where each kept one stood."""
    kept: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isspace() or char in LEFT_OUT:
            continue
        kept.append(char)
        where.append(index)
    return "".join(kept).translate(FOLDED), where


def occurrences(pieces: list[str], surface: str) -> list[Span]:
    """Every whole-word occurrence of ``surface`` in ``pieces``, in reading order."""
    wanted, _ = skeleton(surface)
    if not wanted:
        raise AnnotationError(f"{surface!r} has no characters to look for")
    found: list[Span] = []
    for number, text in enumerate(pieces):
        bare, where = skeleton(text)
        at = bare.find(wanted)
        while at != -1:
            start, end = where[at], where[at + len(wanted) - 1] + 1
            if _whole_words(text, start, end):
                found.append(Span(number, start, end))
            at = bare.find(wanted, at + 1)
    return found


def resolve(pieces: list[str], surface: str, occurrence: int = 1) -> Span:
    """The span of occurrence number ``occurrence`` (from 1) of ``surface``."""
    found = occurrences(pieces, surface)
    if not 1 <= occurrence <= len(found):
        raise AnnotationError(
            f"«{surface}» occurrence {occurrence}: the text has {len(found)} of it"
        )
    return found[occurrence - 1]


def _whole_words(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return not (before.isalnum() or after.isalnum())
