"""From the names NER found to names an editor can accept as they stand.

Each name is written in its initial form: a person's every part in the
nominative, agreeing in gender (``persons``); an organisation or a place with
its head phrase in the nominative and its dependents as written (``phrases``);
an organisation without legal form or quotes (``organisations``). An
organisation's name goes on through a place or organisation in the genitive
right after it: NER cuts «Министерства энергетики | Таджикистана» in two, but
the ministry is Tajikistan's. A name that is not made of whole words of the
text (``repair.is_fragment``) is no name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..models import EntitySuggestion
from ..text.morphology import is_common_word
from .common import (
    is_common_compound,
    is_function_word,
    is_generic_abbreviation,
    names_a_group,
    names_nothing,
)
from .ner import NamedSpan
from .organisations import own_name, strip_generic_words
from .persons import names_a_family, person_nominative
from .phrases import is_lone_adjective, phrase_cases, phrase_nominative
from .repair import is_fragment

Kind = EntitySuggestion.Kind

MAX_NAME_LENGTH = EntitySuggestion._meta.get_field("name").max_length
PAIRS = (("«", "»"), ("„", "“"), ("“", "”"), ("(", ")"))
# Where a sentence starts: the text's start, a line's, or after a full stop and spaces.
SENTENCE_START_RE = re.compile(r"(?:^|\n|[.!?…]\s)[\s«\"„“(—–-]*$")
QUOTED_GAPS = frozenset([" «", ' "', " „", " “"])
# natasha's (Universal Dependencies) tags of prepositions, conjunctions and particles.
FUNCTION_TAGS = frozenset(["ADP", "CCONJ", "SCONJ", "PART", "INTJ"])
PERSON_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*(?:\.(?=\s*[^\W\d_]))?")


def names_in(spans: Sequence[NamedSpan], text: str) -> Iterator[tuple[str, str, int, int]]:
    """(name in its initial form, kind, start, stop) of every name NER found in ``text``."""
    spans = [span for span in map(_without_function_words, spans) if span is not None]
    for span in _with_genitive_dependents(spans, text):
        if is_fragment(text, span.start, span.stop):
            continue
        raw = _balance_quotes(" ".join(text[span.start : span.stop].split()), text, span.stop)
        if name := tidy(_initial_form(span, raw, starts_sentence=_starts_sentence(text, span))):
            yield name, span.kind, span.start, span.stop


def _initial_form(span: NamedSpan, raw: str, *, starts_sentence: bool) -> str:
    if span.kind == Kind.PERSON:
        words = PERSON_WORD_RE.findall(strip_generic_words(raw, starts_sentence=starts_sentence))
        return "" if names_a_family(words) else person_nominative(words, hints=span.hints)
    if span.kind == Kind.ORGANISATION:
        own = own_name(raw, starts_sentence=starts_sentence)
        if own.quoted:
            return own.name
        raw = own.name
    if is_lone_adjective(raw) or names_a_group(raw):
        return ""
    if names_nothing(raw, starts_sentence=starts_sentence):
        return ""
    return phrase_nominative(raw, hints=span.hints)


def _without_function_words(span: NamedSpan) -> NamedSpan | None:
    """The span without a preposition, conjunction or particle at either end («Для
    Таджикистана» → «Таджикистана»): natasha's tagger and the dictionary must agree
    that it is one. None when nothing is left."""
    tokens = list(span.tokens)
    # «В. Петров»: a capital before a full stop is an initial, whatever it spells.
    while tokens and _is_function_token(tokens[0]) and [t.text for t in tokens[1:2]] != ["."]:
        tokens.pop(0)
    while tokens and _is_function_token(tokens[-1]):
        tokens.pop()
    if len(tokens) == len(span.tokens):
        return span
    return NamedSpan(span.kind, tokens[0].start, tokens[-1].stop, tuple(tokens)) if tokens else None


def _is_function_token(token) -> bool:
    return token.pos in FUNCTION_TAGS and is_function_word(token.text)


def _starts_sentence(text: str, span: NamedSpan) -> bool:
    return bool(SENTENCE_START_RE.search(text, max(0, span.start - 8), span.start))


def _with_genitive_dependents(spans: Sequence[NamedSpan], text: str) -> list[NamedSpan]:
    """The spans, each organisation joined with what NER cut off its name.

    A place or organisation in the genitive that follows with nothing but a
    space between («Министерства энергетики | Таджикистана») belongs to it: it
    must be able to stand in the genitive (pymorphy3), and natasha must read it
    so or hang it on a word of the organisation. It stays a name of its own as
    well: «Таджикистан» is mentioned too. A name in quotes right after it
    («университета | «Манас»») is its own name, and only part of it.
    """
    result: list[NamedSpan] = []
    owner: NamedSpan | None = None  # the organisation the next span may belong to
    for span in spans:
        gap = text[owner.stop : span.start] if owner else ""
        quoted = gap in QUOTED_GAPS and span.kind == Kind.ORGANISATION
        genitive = gap == " " and span.kind in (Kind.PLACE, Kind.ORGANISATION)
        if owner is not None and (quoted or (genitive and _genitive_of(span, owner, text))):
            result.remove(owner)
            owner = NamedSpan(owner.kind, owner.start, span.stop, owner.tokens + span.tokens)
            result += [owner] if quoted else [owner, span]
            continue
        result.append(span)
        owner = span if span.kind == Kind.ORGANISATION else None
    return result


def _genitive_of(span: NamedSpan, owner: NamedSpan, text: str) -> bool:
    depends = span.head.head_id in {token.id for token in owner.tokens}
    return (depends or span.hints.case == "gent") and "gent" in phrase_cases(
        text[span.start : span.stop]
    )


def tidy(name: str) -> str:
    """``name`` without stray punctuation at its ends, or "" when it is no name at all."""
    name = " ".join(name.split()).strip(" ,;:!?—–-")
    if name.endswith(".") and not re.search(r"(?:^|\s)[^\W\d_]{1,2}\.$", name):
        name = name[:-1]  # a full stop, not an initial's («Р.»)
    if len(name) < 2 or len(name) > MAX_NAME_LENGTH or not any(c.isupper() for c in name):
        return ""
    if " " not in name and (
        is_common_word(name) or is_common_compound(name) or is_generic_abbreviation(name)
    ):
        return ""  # a lone dictionary word NER took for a name: «Правительство», «ТЭЦ»
    return name


def _balance_quotes(name: str, text: str, stop: int) -> str:
    for opening, closing in PAIRS:
        # NER may leave a closing quote outside: «ООО «Рога и копыта» + ».
        if name.count(opening) > name.count(closing) and text[stop : stop + 1] == closing:
            name += closing
    for opening, closing in PAIRS:
        if name.count(opening) != name.count(closing):
            name = name.replace(opening, "").replace(closing, "")
    if name.count('"') % 2 and text[stop : stop + 1] == '"':
        name += '"'
    if name.count('"') % 2:
        name = name.replace('"', "")
    return name
