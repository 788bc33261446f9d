"""The annotated corpus: each text parsed as the loader parses it, each annotation resolved.

``corpus/NN_slug.txt`` is a seed document; ``corpus/NN_slug.json`` beside it
annotates it (see ``evaluation/README.md``). A text is read with the project's
own reader (``articles.seeding.read_document``) and split into the texts the
linker reads: the headline, the lead and each body block (``Article.blocks``).
Annotations are resolved there by surface string and occurrence (``spans``).
A headline the parser derived from the lead repeats the lead's words, so it is
not scored: only a headline the file states is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from articles.models import Article
from articles.seeding import read_document

from .classes import MENTION_CLASSES, NEGATIVE_CLASSES
from .spans import AnnotationError, Span, resolve

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class GoldMention:
    span: Span
    entity: str  # "kind:slug", e.g. "vehiclemodel:chevrolet-cobalt"
    kind: str  # the class of difficulty
    surface: str


@dataclass(frozen=True)
class OptionalMention:
    """A span where linking ``entity`` is neither required nor wrong («РФ» in «Минпромторг РФ»)."""

    span: Span
    entity: str
    surface: str


@dataclass(frozen=True)
class Negative:
    """A span that must link nothing."""

    span: Span
    kind: str
    surface: str


@dataclass(frozen=True)
class ExpectedSuggestion:
    names: tuple[str, ...]  # the name an editor would accept, then other acceptable forms
    kind: str  # person, organisation, place, vehicle_model


@dataclass(frozen=True)
class Document:
    key: str
    pieces: list[str]  # headline, lead, body blocks: what the linker reads
    scored_from: int  # 1 when the headline was derived (not scored), else 0
    article: Article  # unsaved: what the linker and the suggester are given
    gold: list[GoldMention]
    optional: list[OptionalMention]
    negatives: list[Negative]
    expected: list[ExpectedSuggestion]
    acceptable: list[str]


def load_corpus(folder: Path = CORPUS_DIR) -> list[Document]:
    return [load_document(path) for path in sorted(folder.glob("*.txt"))]


def load_document(path: Path) -> Document:
    parsed = read_document(path)
    article = Article(title=parsed.title, lead=parsed.lead, body=parsed.body)
    pieces = article.mention_texts()
    scored_from = 1 if parsed.title_derived else 0
    annotations = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    scored = [piece if n >= scored_from else "" for n, piece in enumerate(pieces)]

    def span(item: dict) -> Span:
        try:
            return resolve(scored, item["surface"], item.get("occurrence", 1))
        except AnnotationError as exc:
            raise AnnotationError(f"{path.name}: {exc}") from None

    gold = [
        GoldMention(
            span(item),
            item["entity"],
            _known(item["class"], MENTION_CLASSES, path),
            item["surface"],
        )
        for item in annotations.get("mentions", [])
    ]
    optional = [
        OptionalMention(span(item), item["entity"], item["surface"])
        for item in annotations.get("optional", [])
    ]
    negatives = [
        Negative(span(item), _known(item["class"], NEGATIVE_CLASSES, path), item["surface"])
        for item in annotations.get("negatives", [])
    ]
    suggestions = annotations.get("suggestions", {})
    expected = [
        ExpectedSuggestion((item["name"], *item.get("also", [])), item["kind"])
        for item in suggestions.get("expected", [])
    ]
    return Document(
        key=path.stem,
        pieces=pieces,
        scored_from=scored_from,
        article=article,
        gold=gold,
        optional=optional,
        negatives=negatives,
        expected=expected,
        acceptable=list(suggestions.get("acceptable", [])),
    )


def _known(kind: str, classes: dict[str, str], path: Path) -> str:
    if kind not in classes:
        raise AnnotationError(f"{path.name}: unknown class {kind!r}; see evaluation/classes.py")
    return kind
