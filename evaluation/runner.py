"""Run the evaluation in the current database: both catalogs, the linker, the suggester.

``evaluate()`` expects the catalogs loaded (``load_catalogs``); ``run.py`` does
that in a throwaway SQLite database, the floor tests in the test database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from articles.linking import build_matcher
from articles.seeding import DEFAULT_CATALOG, load_catalog
from articles.suggestions import build_known_names

from .adapters import linked_mentions, suggested_names
from .corpus import Document, load_corpus
from .scoring import LinkingScore, SuggestionScore, score_linking, score_suggestions

EVALUATION_CATALOG = Path(__file__).resolve().parent / "catalog.json"


@dataclass
class Report:
    documents: int
    linking: LinkingScore
    suggestions: SuggestionScore


def load_catalogs() -> None:
    """The real catalog, then the evaluation's fictional one (which refers to the real
    one's countries), through the project's own catalog loader."""
    with transaction.atomic():
        load_catalog(DEFAULT_CATALOG)
        load_catalog(EVALUATION_CATALOG)


def evaluate(documents: list[Document] | None = None) -> Report:
    """Link and scan every document of the corpus and score both."""
    documents = load_corpus() if documents is None else documents
    matcher = build_matcher()
    known = build_known_names()
    linking = LinkingScore()
    suggestions = SuggestionScore()
    for document in documents:
        score_linking(document, linked_mentions(matcher=matcher, article=document.article), linking)
        names = suggested_names(article=document.article, known=known)
        score_suggestions(document, names, suggestions)
    return Report(documents=len(documents), linking=linking, suggestions=suggestions)
