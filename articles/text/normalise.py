"""Text as it enters the portal, in one form: line ends, spaces, invisible
characters, words broken at a line end.

Browsers send a textarea's line breaks as CRLF; word processors paste vertical
tabs, non-breaking and other Unicode spaces, soft hyphens and zero-width
characters; text copied from a PDF keeps the hyphens that broke words at the
end of its lines («Чеку-\\nшова»). Everything that stores text a reader will
see (the admin's forms, the seed loader, any future import) passes it through
``normalise_text`` first, so the rest of the code (paragraphs split on a blank
line, the linker, search) meets one form only:

- line breaks are "\\n" (CRLF, CR, NEL, vertical tab, form feed, U+2028);
  U+2029, the paragraph separator, is a blank line;
- every space is the ordinary space, one between words, none at either end of
  a line. Non-breaking spaces are not kept: the body's paragraphs already lose
  them when they are displayed (``Article.blocks``), the linker and search
  would meet yet another kind of gap between words, and where Russian
  typography wants a non-breaking space (before a dash, in «5 000») is for the
  renderer to decide for every text alike, not for whichever paste an editor
  happened to make;
- soft hyphens, zero-width spaces, byte order marks and control characters go;
  letters are in their composed form (NFC: «й» pasted as «и» plus a breve);
- a word broken at a line end is rejoined (``rejoin_broken_words``);
- a line starting with "## " (a subheading of the body) stands alone, with a
  blank line before and after it; blank lines come one at a time.

Pure: no Django, no database.
"""

from __future__ import annotations

import re
import unicodedata

from .morphology import analyzer

LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")
PARAGRAPH_SEPARATOR = "\u2029"
# Zs (the Unicode spaces) and the tab; the ordinary space is among them so
# that runs of any spaces collapse to one.
SPACES_RE = re.compile("[ \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
# A soft hyphen at a line end broke a word there: the halves belong together.
SOFT_HYPHEN_BREAK_RE = re.compile(r"\xad[^\S\n]*\n[^\S\n]*(?=\S)")
# Invisible and control characters, soft hyphens (invisible break points)
# among them. Zero-width joiners (U+200C, U+200D) stay: they hold emoji
# sequences together.
INVISIBLE_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\xad\u180e\u200b\u2060\ufeff]")
# A word ending in a hyphen at the end of a line, and a word opening the next:
# letters or digits. Words are searched for in a line's last characters only.
HYPHENATED_END_RE = re.compile(r"(?P<word>[^\W_]+)(?P<hyphen>[-\u2010])$")
WORD_START_RE = re.compile(r"[^\W_]+")
LONGEST_WORD = 64
CYRILLIC_WORD_RE = re.compile("[а-яё]+", re.IGNORECASE)
# The body's subheading marker (``articles.models.SUBHEADING_PREFIX``, which this
# package cannot import; a test checks they agree), also typed without its space.
SUBHEADING_MARK = "## "
SUBHEADING_LINE_RE = re.compile(r"^##(?!#) *(?=\S)(?P<text>.*)$", re.MULTILINE)
BLANK_LINES_RE = re.compile(r"\n{3,}")


def normalise_text(text: str, *, single_line: bool = False) -> str:
    """``text`` in the portal's one form (see the module's docstring).

    ``single_line`` is for values shown on one line (a headline, a caption):
    what would be line breaks becomes spaces.
    """
    text = SOFT_HYPHEN_BREAK_RE.sub("", normalise_line_ends(text))
    # Composed after the invisible characters go, which may have kept a letter
    # and its accent apart.
    text = unicodedata.normalize("NFC", INVISIBLE_RE.sub("", text))
    text = "\n".join(SPACES_RE.sub(" ", line).strip(" ") for line in text.split("\n"))
    text = rejoin_broken_words(text)
    if single_line:
        return " ".join(line for line in text.split("\n") if line)
    text = SUBHEADING_LINE_RE.sub(lambda m: f"\n\n{SUBHEADING_MARK}{m['text']}\n\n", text)
    return BLANK_LINES_RE.sub("\n\n", text).strip("\n")


def normalise_line_ends(text: str) -> str:
    """Every line break as "\\n", and U+2029 (the paragraph separator) as a blank line.

    Lines stay where they were, so a seed file's errors can name them.
    """
    return LINE_BREAK_RE.sub("\n", text).replace(PARAGRAPH_SEPARATOR, "\n\n")


def rejoin_broken_words(text: str) -> str:
    """Words broken by a hyphen at a line end made whole again; other text is unchanged.

    The hyphen either broke a word («произ-\\nводство», «Чеку-\\nшова») or
    belongs to it («Кара-\\nБалта», «северо-\\nзапад», «экс-\\nминистр»): the
    line break goes either way, the hyphen only when ``hyphen_broke_the_word``.
    Lines are expected without spaces at their ends (``normalise_text``).
    """
    lines: list[str] = []
    for line in text.split("\n"):
        # The previous line may itself be rejoined halves: a word broken over
        # three lines is judged whole («доку-» + «мент»).
        end = HYPHENATED_END_RE.search(lines[-1][-LONGEST_WORD:]) if lines else None
        start = WORD_START_RE.match(line)
        if end and start:
            broke = hyphen_broke_the_word(end["word"], start.group())
            lines[-1] = lines[-1][:-1] + ("" if broke else end["hyphen"]) + line
        else:
            lines.append(line)
    return "\n".join(lines)


def hyphen_broke_the_word(left: str, right: str) -> bool:
    """Whether «left-» at a line end followed by «right» is one word broken in two.

    Only Cyrillic halves are judged, by the dictionary; the second must go on in
    the first's letter case (a capital starts the second part of a name:
    «Кара-Балта», «Нур-Султан»). The hyphen goes when the joined word is in the
    dictionary, or when the hyphenated one is not and either half is no word on
    its own («Чеку-шова», «Мо-торс»). It stays for dictionary compounds
    («северо-запад», «кто-нибудь») and for two words the dictionary knows apart
    but not together («экс-министр», «пресс-секретарь»). Latin and digits keep
    their hyphen: no dictionary speaks for them.
    """
    if not (CYRILLIC_WORD_RE.fullmatch(left) and CYRILLIC_WORD_RE.fullmatch(right)):
        return False
    continues_case = right.islower() or (left.isupper() and right.isupper())
    if not continues_case:
        return False
    if is_dictionary_word(left + right):
        return True
    if is_dictionary_word(f"{left}-{right}"):
        return False
    return not (is_dictionary_word(left) and is_dictionary_word(right))


def is_dictionary_word(word: str) -> bool:
    """True when the dictionary knows ``word`` as a word (abbreviations such as «МО» aside)."""
    return any(
        parse.is_known and "Abbr" not in parse.tag for parse in analyzer().parse(word.lower())
    )
