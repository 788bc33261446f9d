"""The words of a text as the linker compares them with names, whatever the typography.

razdel's tokens keep what typing and pasting leave inside words: a hyphen in
place of a space («Тулпар-Моторс» is one token), a word hyphenated at a line
end as text pasted from a PDF arrives («Чеку-» and «шова»), a soft hyphen or
a zero-width space inside a word, a stress mark. ``name_tokens`` gives the
words a reader sees instead, each keeping the positions of the original text,
so a mention still points at what the text says. No-break and other Unicode
spaces need nothing: they are spaces to razdel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .tokens import AnyToken, FastToken

# A hyphen joins the parts of a compound; dashes («–», «—») stand between words
# and stay punctuation.
HYPHENS = "-\u2010\u2011"
# A zero-width space is a place to break a line between words: it separates
# like a hyphen in a compound.
ZERO_WIDTH_SPACE = "\u200b"
# Invisible inside a word: soft hyphen, zero-width non-joiner, joiner, word
# joiner, byte order mark; and the stress marks some texts carry.
INVISIBLE = "\u00ad\u200c\u200d\u2060\ufeff"
STRESS_MARKS = "\u0300\u0301"

_SPECIAL = re.compile(f"[{HYPHENS}{ZERO_WIDTH_SPACE}{INVISIBLE}{STRESS_MARKS}]")
_BETWEEN_HYPHENS = re.compile(f"[^{HYPHENS}{ZERO_WIDTH_SPACE}]+")
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_DROPPED = str.maketrans("", "", INVISIBLE + STRESS_MARKS)
# A line-end hyphen: a hyphen or a soft hyphen at the end of a word.
_LINE_END_HYPHENS = HYPHENS + "\u00ad"


def name_tokens(text: str, stream: Sequence[AnyToken]) -> Sequence[AnyToken]:
    """``stream`` (the tokens of ``text``) as words a reader sees.

    A word broken at a line end by a hyphen joins its second half when that
    starts in lower case («Чеку-\\nшова» → «Чекушова»); a capital after the
    break means a compound («Тулпар-\\nМоторс»). A hyphenated compound becomes
    its parts («Тулпар-Моторс» → «Тулпар», «Моторс»). Invisible characters
    and stress marks are left out of a word's text. Most texts have none of
    these in a word: then the stream is returned as it is.
    """
    if not _SPECIAL.search(text):
        return stream
    result: list[AnyToken] = []
    i = 0
    while i < len(stream):
        token = stream[i]
        if not _SPECIAL.search(token.text) or not _LETTER_OR_DIGIT.search(token.text):
            result.append(token)  # punctuation («-», «--») stays as it is
            i += 1
            continue
        pieces = _pieces(token)
        if i + 1 < len(stream) and _continues_on_next_line(text, token, stream[i + 1]):
            i += 1
            following = _pieces(stream[i])
            last, first = pieces[-1], following[0]
            pieces = [*pieces[:-1], (last[0] + first[0], last[1], first[2]), *following[1:]]
        result += [
            FastToken(cleaned, start, end)
            for piece, start, end in pieces
            if (cleaned := piece.translate(_DROPPED))
        ]
        i += 1
    return result


def _continues_on_next_line(text: str, token: AnyToken, following: AnyToken) -> bool:
    """Whether ``token`` ends with a hyphen that breaks a word at a line end.

    Any space after it will do: an article's paragraphs are read with their
    line breaks as spaces («Чеку- шова»). A hyphen before «и» that shares a
    word's ending («авто- и мототехника») joins into nothing a name holds.
    """
    if len(token.text) < 2 or token.text[-1] not in _LINE_END_HYPHENS:
        return False
    if not token.text[-2].isalpha() or not text[token.end : following.start].isspace():
        return False
    return following.text[:1].isalpha() and following.text[:1].islower()


def _pieces(token: AnyToken) -> list[tuple[str, int, int]]:
    """The runs of ``token`` between its hyphens, with their places in the text."""
    return [
        (run.group(), token.start + run.start(), token.start + run.end())
        for run in _BETWEEN_HYPHENS.finditer(token.text)
    ] or [("", token.start, token.start)]
