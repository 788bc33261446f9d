"""People, organisations and places in Russian text, by natasha's news NER.

Besides the names, natasha's tokens carry the tagger's reading of the sentence
(case, gender) and the syntax tree, which ``names`` uses to put each name in
its initial form. Its models need about 300 MB and two seconds to load, so natasha is
imported only inside the functions here, which only the ``suggest_entities``
command calls: web workers import this package for the admin without loading it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..models import EntitySuggestion
from .persons import Hints

Kind = EntitySuggestion.Kind

NER_KINDS = {"PER": Kind.PERSON, "ORG": Kind.ORGANISATION, "LOC": Kind.PLACE}


@dataclass(frozen=True)
class _Pipeline:
    segmenter: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any


# Loaded once per process and kept for its life: the models depend on no
# content, so there is nothing that could make them stale.
@cache
def _pipeline() -> _Pipeline:
    # natasha multiplies small matrices, one sentence at a time: OpenBLAS threads
    # only contend for the cores and made a scan ten times slower on two cores.
    # (Read when numpy loads, so this holds unless numpy was imported before.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from natasha import (
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    embedding = NewsEmbedding()
    return _Pipeline(
        segmenter=Segmenter(),
        morph_tagger=NewsMorphTagger(embedding),
        # The syntax tree says which word of a name the others depend on (whose
        # case is the name's) and whether a place after an organisation
        # belongs to its name («Министерства энергетики Таджикистана»).
        syntax_parser=NewsSyntaxParser(embedding),
        ner_tagger=NewsNERTagger(embedding),
    )


def analyse_text(text: str, paragraphs: list[tuple[int, int]]) -> Any:
    """natasha's analysis of the whole text (tokens, morphology, syntax, names) in one
    pass (a pass per paragraph costs several times more), with the sentences cut at
    paragraph breaks."""
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


@dataclass(frozen=True)
class NamedSpan:
    """A name NER found: its kind, where it stands and natasha's tokens for it."""

    kind: str  # an EntitySuggestion.Kind value
    start: int
    stop: int
    tokens: tuple[Any, ...]  # natasha's DocTokens: text, start, stop, pos, feats, id, head_id

    @property
    def head(self) -> Any:
        """The token the others depend on: the first whose head lies outside the span."""
        ids = {token.id for token in self.tokens}
        return next((t for t in self.tokens if t.head_id not in ids), self.tokens[0])

    @property
    def hints(self) -> Hints:
        return Hints.from_feats(self.head.feats or {})


def named_spans(doc: Any) -> list[NamedSpan]:
    """Every name NER found in ``doc``, in order; none runs across a paragraph break."""
    return [
        NamedSpan(NER_KINDS[span.type], span.start, span.stop, tuple(span.tokens))
        for span in sorted(doc.spans, key=lambda span: span.start)
        if "\n" not in span.text and span.tokens
    ]
