"""Text as an editor reads it, before names are looked for: words whole again.

Text pasted from a PDF or a typeset page breaks words at line ends
(«Чеку-\\nшова») and carries soft hyphens (U+00AD) and no-break spaces; NER
would read «Чеку-» as a name. Here a word hyphenated at a line end is joined
again: without the hyphen when the line goes on in lower case (a soft break),
with it when it goes on with a capital («Жалал-\\nАбадской») or when the
hyphenated form is a dictionary word («торгово-\\nпромышленной»). What still
looks like a piece of a word afterwards (a hyphen left hanging before a blank
line, a name that begins or ends inside a word) is a fragment, never a name.
"""

from __future__ import annotations

import re

from ..text.morphology import analyse

SOFT_HYPHEN = "\u00ad"
# Invisible characters that only say where a line may break or words may join.
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Spaces of other widths, read as ordinary ones (one character for one keeps offsets readable).
SPACES_RE = re.compile("[\u00a0\u2007\u2009\u202f\t]")
LETTER = r"[^\W\d_]"
SOFT_BREAK_RE = re.compile(rf"(?<={LETTER}){SOFT_HYPHEN}[ ]*(?:\n[ ]*)?(?={LETTER})")
LINE_END_HYPHEN_RE = re.compile(rf"({LETTER}+)-[ ]*\n[ ]*({LETTER}+)")
# A hyphen with a letter on one side and a space or the text's end on the other.
HANGING_HYPHEN_RE = re.compile(rf"{LETTER}-(?=\s|$)|(?:^|(?<=\s))-{LETTER}")


def repair_text(text: str) -> str:
    """``text`` with line ends as ``\\n``, odd spaces as spaces and hyphenated words whole."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = INVISIBLE_RE.sub("", text)
    text = SPACES_RE.sub(" ", text)
    text = SOFT_BREAK_RE.sub("", text).replace(SOFT_HYPHEN, "")
    return LINE_END_HYPHEN_RE.sub(_join_hyphenated, text)


def _join_hyphenated(match: re.Match[str]) -> str:
    left, right = match.groups()
    if right[:1].isupper() or analyse(f"{left}-{right}")[1]:
        return f"{left}-{right}"
    return f"{left}{right}"


def is_fragment(text: str, start: int, stop: int) -> bool:
    """Whether ``text[start:stop]`` is not made of whole words of ``text``.

    It begins or ends inside a word, or holds a hyphen left hanging («Чеку-»
    at a paragraph's end, «Жалал- и Ошской»).
    """
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        return True
    if stop < len(text) and (text[stop].isalnum() or text[stop] == "-"):
        return True
    return bool(HANGING_HYPHEN_RE.search(text[start:stop]))
