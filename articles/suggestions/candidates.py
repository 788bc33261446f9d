"""Candidate names in one text: what NER and the Latin-run rule find, less what is known.

The text is first repaired (``repair``: words broken at line ends made whole).
A candidate is dropped when one catalog mention the linker finds in the text
covers it, when the catalog or the editors know the name in any of its forms
(``known``), or when it repeats a name already found in the same sentence. A
lone surname, initials or first name beside the full name is the same person
and takes the full name; an organisation's or place's case form takes its bare
form when the text has it (``variants``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import EntitySuggestion
from .known import KnownNames, build_known_names, fold
from .latin import LATIN_RUN_RE, latin_candidate
from .names import names_in
from .ner import analyse_text, named_spans
from .repair import repair_text
from .variants import bare_forms, first_spellings, full_person_names

Kind = EntitySuggestion.Kind

PARAGRAPH_RE = re.compile(r"\S(?:(?!\n\s*\n).)*(?<=\S)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name the catalog lacks, what it seems to be, and the sentence it stands in."""

    name: str
    kind: str  # an EntitySuggestion.Kind value
    sentence: str


@dataclass(frozen=True)
class _Found:
    name: str
    kind: str
    start: int  # in the text
    stop: int
    sentence: str


def find_candidates(text: str, *, known: KnownNames | None = None) -> list[Candidate]:
    """Names in ``text`` that the catalog lacks, in order, one per name and sentence.

    Paragraphs are separated by blank lines; a sentence never runs across one
    (a subheading has no full stop). ``known`` defaults to the current catalog.
    Sentences are quoted from the repaired text, each on one line.
    """
    known = build_known_names() if known is None else known
    text = repair_text(text)
    paragraphs = [m.span() for m in PARAGRAPH_RE.finditer(text)]
    if not paragraphs:
        return []
    items = _found_names(text, paragraphs, known)
    mentions = known.mentions(text, paragraphs)
    items = [
        item
        for item in sorted(items, key=lambda item: item.start)
        if not _span_known(text, item, mentions) and not known.knows(item.name, kind=item.kind)
    ]
    seen: set[tuple[str, str, str]] = set()
    result = []
    for item in _one_form_each(items, known):
        key = (fold(item.name), item.kind, item.sentence)
        if key not in seen:
            seen.add(key)
            result.append(Candidate(item.name, item.kind, item.sentence))
    return result


def _found_names(text: str, paragraphs: list[tuple[int, int]], known: KnownNames) -> list[_Found]:
    """Every name NER finds, then every Latin run NER did not take, with its sentence."""
    doc = analyse_text(text, paragraphs)
    sentences = [(s.start, s.stop, s.text) for s in doc.sents]

    def found(name: str, kind: str, start: int, stop: int) -> _Found:
        sentence = next((t for s, e, t in sentences if s <= start < e), text[start:stop])
        # One line, as an editor reads it: a paragraph's line breaks are spaces.
        return _Found(name, kind, start, stop, " ".join(sentence.split()))

    items = [found(*entity) for entity in names_in(named_spans(doc), text)]
    ner_spans = [(item.start, item.stop) for item in items]
    for match in LATIN_RUN_RE.finditer(text):
        if latin := latin_candidate(match, text, ner_spans, known):
            items.append(found(*latin))
    return items


def _span_known(text: str, item: _Found, mentions: list[tuple[int, int]]) -> bool:
    """One catalog mention the linker found covers every word of the name in the text.

    One mention, not several together: «Минпромторг Киргизии» is a ministry of
    its own even though «Минпромторг» and «Киргизии» are both in the catalog.
    """
    letters = [item.start + m.start() for m in re.finditer(r"\w", text[item.start : item.stop])]
    if not letters:
        return False
    first, last = letters[0], letters[-1] + 1
    return any(start <= first and last <= stop for start, stop in mentions)


def _one_form_each(found: list[_Found], known: KnownNames) -> list[_Found]:
    """Each person under their full name, each place or organisation in its barest
    form and under one name of its country."""
    people = full_person_names(item.name for item in found if item.kind == Kind.PERSON)
    bare = bare_forms((item.name, item.kind) for item in found)
    spelt = first_spellings([bare[(i.name, i.kind)] for i in found], known.country_skeleton)
    result = []
    for item in found:
        name, kind = bare[(item.name, item.kind)]
        name = people[name] if kind == Kind.PERSON else spelt[(name, kind)]
        if name:
            result.append(_Found(name, kind, item.start, item.stop, item.sentence))
    return result


def one_per_sentence(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Drop a name's occurrence whose sentence is part of another of its sentences.

    A seed headline is cut from the lead's first sentence («Россия и Киргизия
    обсуждают…» inside «Неожиданный поворот… — Россия и Киргизия обсуждают…»):
    it is the same mention, not a second one.
    """
    candidates = list(candidates)
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: -len(c.sentence)):
        # A headline capitalises its first word where the sentence may not.
        core = candidate.sentence.rstrip("…. ").lower()
        if not any(
            (fold(k.name), k.kind) == (fold(candidate.name), candidate.kind)
            and core in k.sentence.lower()
            for k in kept
        ):
            kept.append(candidate)
    return sorted(kept, key=candidates.index)
