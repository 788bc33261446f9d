"""Readable differences between two versions of a text, word by word (difflib).

A text is compared paragraph by paragraph first (paragraphs are separated by a
blank line, as in an article's body); runs of unchanged paragraphs are left
out and counted, changed ones are compared word by word. The result is plain
data (``Block`` and ``Piece``): the template escapes and marks it up.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import zip_longest

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# Words, single punctuation marks and runs of spaces: the units a reader sees change.
TOKENS = re.compile(r"\w+|[^\w\s]|\s+")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Word matching is quadratic at worst: a paragraph longer than this is shown as
# replaced whole rather than compared word by word.
MAX_TOKENS = 4000


@dataclass(frozen=True)
class Piece:
    kind: str  # EQUAL, INSERT or DELETE
    text: str


@dataclass(frozen=True)
class Block:
    """A paragraph as changed, or ``skipped`` unchanged paragraphs left out."""

    pieces: tuple[Piece, ...] = ()
    skipped: int = 0


def text_diff(old: str, new: str) -> list[Block]:
    """How ``new`` differs from ``old``: changed paragraphs, word by word."""
    old_paragraphs, new_paragraphs = _paragraphs(old), _paragraphs(new)
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.append(Block(skipped=i2 - i1))
            continue
        pairs = zip_longest(old_paragraphs[i1:i2], new_paragraphs[j1:j2], fillvalue="")
        blocks.extend(Block(pieces=tuple(word_diff(a, b))) for a, b in pairs)
    return blocks


def word_diff(old: str, new: str) -> list[Piece]:
    """``old`` turned into ``new``: unchanged, deleted and inserted runs of words."""
    old_tokens, new_tokens = TOKENS.findall(old), TOKENS.findall(new)
    if max(len(old_tokens), len(new_tokens)) > MAX_TOKENS:
        return _merged([Piece(DELETE, old), Piece(INSERT, new)])
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    pieces = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece(EQUAL, "".join(old_tokens[i1:i2])))
            continue
        pieces.append(Piece(DELETE, "".join(old_tokens[i1:i2])))
        pieces.append(Piece(INSERT, "".join(new_tokens[j1:j2])))
    return _merged(pieces)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in PARAGRAPH_BREAK.split(text.strip())] if text.strip() else []


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Empty pieces dropped, neighbours of one kind joined."""
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].kind == piece.kind:
            merged[-1] = Piece(piece.kind, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
