"""The words of a text as the linker compares them with names, whatever the typography.

razdel's tokens keep what typing and pasting leave inside words: a hyphen in
place of a space («Тулпар-Моторс» is one token), a word hyphenated at a line
end as text pasted from a PDF arrives («Чеку-» and «шова»), a soft hyphen or
a zero-width space inside a word, a stress mark. ``name_tokens`` gives the
words a reader sees instead, each keeping the positions of the original text,
so a mention still points at what the text says. No-break and other Unicode
spaces need nothing: they are spaces to razdel.

A model code is one word: razdel cuts «T40» in two, so letters and digits
written together are joined again into one word (``code_key`` reads it in
either alphabet).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

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


# A letter and a digit with nothing between them: a code such as «T40», «Т40», «4x4».
# Latin and Cyrillic letters, and a digit first: every text is scanned for one,
# and a scan that starts at digits only is several times faster.
_CODE_LETTER = "A-Za-zА-Яа-яЁё"
_GLUED_CODE = re.compile(f"\\d(?:[{_CODE_LETTER}]|(?<=[{_CODE_LETTER}]\\d))")
_GLUED_PAIR = re.compile(f"[{_CODE_LETTER}]\\d|\\d[{_CODE_LETTER}]")
# Cyrillic letters that look like Latin ones, read as those inside a code.
_LOOK_ALIKES = str.maketrans("АВЕКМНОРСТУХаеокрсух", "ABEKMHOPCTYXaeokpcyx")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def name_tokens(
    text: str, stream: Sequence[AnyToken], *, joins: Callable[[str], bool] | None = None
) -> Sequence[AnyToken]:
    """``stream`` (the tokens of ``text``) as words a reader sees.

    A word broken at a line end by a hyphen joins its second half when that
    starts in lower case («Чеку-\\nшова» → «Чекушова»); a capital after the
    break means a compound («Тулпар-\\nМоторс»). A hyphenated compound becomes
    its parts («Тулпар-Моторс» → «Тулпар», «Моторс»), unless ``joins`` says the
    word it makes without its hyphen is a name's («Темир-кана», a line-end
    hyphen the text kept, for «Темиркан»; the second half in lower case).
    Invisible characters and stress marks are left out of a word's text. Letters
    and digits written together are one word, a code (see the module). Most
    texts have none of these in a word: then the stream is returned as it is.
    """
    special, glued = _SPECIAL.search(text), _GLUED_CODE.search(text)
    if not special and not glued:
        return stream
    words = _reader_words(text, stream, joins) if special else stream
    return _codes(words) if glued else words


def _reader_words(
    text: str, stream: Sequence[AnyToken], joins: Callable[[str], bool] | None
) -> list[AnyToken]:
    """The words through hyphens, line-end hyphens and invisible characters."""
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
            pieces = [*pieces[:-1], _joined(pieces[-1], following[0]), *following[1:]]
        if joins is not None and len(pieces) > 1:
            pieces = _rejoined(pieces, joins)
        result += [
            FastToken(cleaned, start, end)
            for piece, start, end in pieces
            if (cleaned := piece.translate(_DROPPED))
        ]
        i += 1
    return result


Piece = tuple[str, int, int]  # a run of a token between hyphens, its start and end


def _joined(left: Piece, right: Piece) -> Piece:
    return (left[0] + right[0], left[1], right[2])


def _rejoined(pieces: list[Piece], joins: Callable[[str], bool]) -> list[Piece]:
    """Pieces a hyphen kept apart joined again where ``joins`` accepts the word they make."""
    result = [pieces[0]]
    for piece in pieces[1:]:
        last = result[-1]
        if piece[0][:1].islower() and last[0][-1:].isalpha() and joins(last[0] + piece[0]):
            result[-1] = _joined(last, piece)
        else:
            result.append(piece)
    return result


def _codes(words: Sequence[AnyToken]) -> list[AnyToken]:
    """Letters and digits written together as one word: «T40», «4x4»."""
    result: list[AnyToken] = []
    for token in words:
        last = result[-1] if result else None
        if (
            last is not None
            and last.end == token.start
            and _GLUED_PAIR.match(last.text[-1:] + token.text[:1])
        ):
            result[-1] = FastToken(last.text + token.text, last.start, token.end)
        else:
            result.append(token)
    return result


def code_key(word: str) -> str:
    """A code of letters and digits as it reads in either alphabet, lower case:
    «Т40» with a Cyrillic «Т» and «T40» are both «t40». Empty for other words.

    Cyrillic letters that look like Latin ones are read as those: a Russian
    text types a model's code with whichever it has at hand."""
    if not (_DIGIT.search(word) and _LETTER.search(word)):
        return ""
    return word.translate(_LOOK_ALIKES).lower()


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
