"""People, organisations and places in Russian text, by natasha's news NER.

natasha also gives each name its initial form («Романа Чекушова» → «Роман
Чекушов»). Its models need about 300 MB and two seconds to load, so natasha is
imported only inside the functions here, which only the ``suggest_entities``
command calls: web workers import this package for the admin without loading it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..models import EntitySuggestion
from ..text.morphology import is_common_word
from .known import QUOTES

Kind = EntitySuggestion.Kind

NER_KINDS = {"PER": Kind.PERSON, "ORG": Kind.ORGANISATION, "LOC": Kind.PLACE}
MAX_NAME_LENGTH = EntitySuggestion._meta.get_field("name").max_length
PAIRS = (("«", "»"), ("„", "“"), ("“", "”"), ("(", ")"))


@dataclass(frozen=True)
class _Pipeline:
    segmenter: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    morph_vocab: Any


# Loaded once per process and kept for its life: the models depend on no
# content, so there is nothing that could make them stale.
@cache
def _pipeline() -> _Pipeline:
    # natasha multiplies small matrices, one sentence at a time: OpenBLAS threads
    # only contend for the cores and made a scan ten times slower on two cores.
    # (Read when numpy loads, so this holds unless numpy was imported before.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from natasha import (
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    # natasha's pymorphy2 announces its dictionaries at INFO on every load.
    logging.getLogger("pymorphy2").setLevel(logging.WARNING)
    embedding = NewsEmbedding()
    return _Pipeline(
        segmenter=Segmenter(),
        morph_tagger=NewsMorphTagger(embedding),
        # Organisation names are put in their initial form along the syntax tree,
        # so only the head is inflected: without it «Министерства экономики»
        # would become «Министерство экономика».
        syntax_parser=NewsSyntaxParser(embedding),
        ner_tagger=NewsNERTagger(embedding),
        morph_vocab=MorphVocab(),
    )


def analyse_text(text: str, paragraphs: list[tuple[int, int]]) -> Any:
    """natasha's analysis of the whole text, in one pass (a pass per paragraph costs
    several times more), with the sentences cut at paragraph breaks."""
    from natasha import Doc
    from natasha.doc import DocSent

    pipeline = _pipeline()
    doc = Doc(text)
    doc.segment(pipeline.segmenter)
    doc.sents = [
        DocSent(start + s.start, start + s.stop, s.text)
        for start, stop in paragraphs
        for s in pipeline.segmenter.sentenize(text[start:stop])
    ]
    doc.envelop_sent_tokens()
    doc.tag_morph(pipeline.morph_tagger)
    doc.parse_syntax(pipeline.syntax_parser)
    doc.tag_ner(pipeline.ner_tagger)
    return doc


def named_entities(doc: Any, text: str) -> Iterator[tuple[str, str, int, int]]:
    """(name in its initial form, suggestion kind, start, stop) of each name NER found."""
    for span in doc.spans:
        if "\n" in span.text:
            continue  # NER ran across a paragraph break: no single name
        span.normalize(_pipeline().morph_vocab)
        if name := clean_name(span.normal or span.text, text, span.stop):
            yield name, NER_KINDS[span.type], span.start, span.stop


def clean_name(name: str, text: str, stop: int) -> str:
    """Tidy a name NER found, or return "" when it is no name at all."""
    name = _balance_quotes(" ".join(name.split()), text, stop)
    name = " ".join(name.split()).strip(" ,.;:!?—–-")
    for opening, closing in (*PAIRS[:3], ('"', '"')):
        inner = name[1:-1]
        if name.startswith(opening) and name.endswith(closing) and not set(QUOTES) & set(inner):
            name = inner.strip()  # «"Тулпар Моторс"» is stored as «Тулпар Моторс»
    if len(name) < 2 or len(name) > MAX_NAME_LENGTH or not any(c.isupper() for c in name):
        return ""
    if " " not in name and is_common_word(name):
        return ""  # a lone dictionary word NER took for a name: «Правительство»
    return name


def _balance_quotes(name: str, text: str, stop: int) -> str:
    for opening, closing in PAIRS:
        # NER may leave a closing quote outside: «ООО «Рога и копыта» + ».
        if name.count(opening) > name.count(closing) and text[stop : stop + 1] == closing:
            name += closing
    for opening, closing in PAIRS:
        if name.count(opening) != name.count(closing):
            name = name.replace(opening, "").replace(closing, "")
    if name.count('"') % 2:
        name = name.replace('"', "")
    return name
