"""A headline made from a document's opening sentence, when it has none of its own.

The sentence keeps what it means: a question stays a question («?»), an
exclamation or an ellipsis stays, quotes and brackets stay closed; only a final
period goes (an abbreviation's «г.» or «т. д.» keeps it). A sentence too long
for a page title gives way to its longest part that reads on its own: a whole
clause between dashes, colons or semicolons, or the sentence up to the comma
before a conjunction («…, и», «…, который») with «…». Failing both, it is cut
at a word with «…», never after a preposition, a conjunction or a particle and
never inside an unclosed quote.

Pure: no database, so the rules can be tested on strings alone.
"""

from __future__ import annotations

import re

from razdel import sentenize

from articles.text.morphology import analyzer

TITLE_MAX = 110
# A part shorter than this says too little to stand for the sentence.
MIN_PART = 20
ELLIPSIS = "…"
CLAUSE_SPLIT_RE = re.compile(r"\s+[—–]\s+|:\s+|;\s+")
# Marks a headline may not end with: they announce more text.
HANGING = ",;:—–- "
PAIRS = {"«": "»", "(": ")", "[": "]", "„": "“"}
CLOSERS = {closer: opener for opener, closer in PAIRS.items()}
# Abbreviations that end a sentence with their own period («в 2025 г.», «и т. д.»):
# these, and any single lower-case letter.
ABBREVIATIONS = frozenset(["гг", "вв", "др", "пр", "руб", "коп", "тыс", "млн", "млрд", "долл"])
# Words after which a sentence cannot stop: they need what follows.
FUNCTION_POS = frozenset(["PREP", "CONJ", "PRCL"])
RELATIVE_LEMMAS = frozenset(["который", "где", "куда", "откуда", "чей"])


def derive_title(lead: str) -> str:
    """A headline from the opening sentence of ``lead``, at most ``TITLE_MAX`` characters."""
    sentence = first_sentence(lead)
    whole = finish(sentence)
    if len(whole) <= TITLE_MAX:
        return whole
    parts = _whole_clauses(sentence) + _clause_openings(sentence)
    if parts:
        return max(parts, key=len)
    # The longest clause holds the most of the news; a sentence of short
    # clauses is cut as a whole.
    longest = max(CLAUSE_SPLIT_RE.split(sentence), key=len)
    return cut_at_word(longest if len(longest) > TITLE_MAX else sentence)


def first_sentence(text: str) -> str:
    sentence = next(iter(sentenize(text)), None)
    return " ".join(sentence.text.split()) if sentence else ""


def finish(text: str) -> str:
    """``text`` as a headline ends: no hanging mark, no final period but an abbreviation's."""
    text = text.strip().rstrip(HANGING)
    if text.endswith(".") and not text.endswith("..."):
        words = text[:-1].split()
        if not (words and _is_abbreviation(words[-1])):
            text = text[:-1].rstrip(HANGING)
    return text


def _is_abbreviation(word: str) -> bool:
    last = word.rsplit(".", 1)[-1]  # «т.д» ends in «д»
    # A sentence can end in one letter only as an abbreviation, or as «я».
    return last in ABBREVIATIONS or (len(last) == 1 and last.islower() and last != "я")


def is_balanced(text: str) -> bool:
    return _unclosed(text) is None


def _unclosed(text: str) -> int | None:
    """Where the last quote or bracket that ``text`` opens without closing stands, if any."""
    open_at: list[int] = []
    for position, char in enumerate(text):
        last = text[open_at[-1]] if open_at else None
        if char == '"' and last == '"':  # the same mark opens and closes
            open_at.pop()
        elif char in PAIRS or char == '"':
            open_at.append(position)
        elif char in CLOSERS and last == CLOSERS[char]:
            open_at.pop()
    return open_at[-1] if open_at else None


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _whole_clauses(sentence: str) -> list[str]:
    """The sentence's clauses that fit and read on their own, as headlines."""
    clauses = (_capitalised(finish(c)) for c in CLAUSE_SPLIT_RE.split(sentence))
    return [c for c in clauses if MIN_PART <= len(c) <= TITLE_MAX and is_balanced(c)]


def _clause_openings(sentence: str) -> list[str]:
    """Each clause up to a comma before a conjunction or «который», with «…»."""
    openings = []
    for clause in CLAUSE_SPLIT_RE.split(sentence):
        for comma in re.finditer(r",\s+(\w+)", clause):
            if not _opens_a_clause(comma.group(1)):
                continue
            opening = _capitalised(finish(clause[: comma.start()]))
            if MIN_PART <= len(opening) < TITLE_MAX and is_balanced(opening):
                openings.append(opening + ELLIPSIS)
    return openings


def _opens_a_clause(word: str) -> bool:
    parse = analyzer().parse(word.lower())[0]
    return parse.tag.POS == "CONJ" or parse.normal_form in RELATIVE_LEMMAS


def _needs_more(word: str) -> bool:
    """A word a sentence cannot stop at: a preposition, a conjunction, a particle."""
    bare = word.strip('.,;:!?…—–-«»"()[]„“')
    if not bare:
        return True
    parse = analyzer().parse(bare.lower())[0]
    return parse.tag.POS in FUNCTION_POS or parse.normal_form in RELATIVE_LEMMAS


def cut_at_word(text: str) -> str:
    """``text`` cut at a word so that it fits with «…», ending where a sentence could.

    A quote or brackets left open are cut off before they open; when that would
    leave too little (a long quotation), the quotation is closed after «…» instead.
    """
    words = text.split()
    kept = _ending_well(words[: _words_that_fit(words, TITLE_MAX - len(ELLIPSIS))])
    while (opened := _unclosed(cut := finish(" ".join(kept)))) is not None:
        before = _ending_well(cut[:opened].split())
        if len(" ".join(before)) >= TITLE_MAX // 2:
            kept = before
            continue
        return _closed_quotation(kept)
    return f"{_capitalised(cut or finish(text[: TITLE_MAX - 1]))}{ELLIPSIS}"


def _words_that_fit(words: list[str], limit: int) -> int:
    """How many of ``words``, joined by spaces, fit in ``limit`` characters."""
    length = -1
    for count, word in enumerate(words):
        length += len(word) + 1
        if length > limit:
            return count
    return len(words)


def _ending_well(words: list[str]) -> list[str]:
    """``words`` without the prepositions, conjunctions and particles left at their end."""
    words = list(words)
    while words and _needs_more(words[-1]):
        words.pop()
    return words


def _closed_quotation(words: list[str]) -> str:
    """The cut text with «…» and the closing marks of every quote or bracket still open."""
    while True:
        cut = finish(" ".join(words))
        closers, rest = "", cut
        while (opened := _unclosed(rest)) is not None:
            closers += PAIRS.get(rest[opened], rest[opened])
            rest = rest[:opened]
        headline = f"{_capitalised(cut)}{ELLIPSIS}{closers}"
        if len(headline) <= TITLE_MAX or len(words) <= 1:
            return headline
        words = _ending_well(words[:-1])
