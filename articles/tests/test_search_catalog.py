"""The catalog matchers a search compiles are kept with the catalog: a repeated
query compiles none, and the results are those of a freshly compiled one."""

import pytest

from articles.search import entities, match_catalog, query_terms
from articles.search.entities import Catalog


@pytest.fixture
def compiled(monkeypatch):
    """How many matchers were compiled."""
    count = []
    real = entities.Matcher

    def counting(found):
        count.append(1)
        return real(found)

    monkeypatch.setattr(entities, "Matcher", counting)
    return count


def found(query: str):
    return match_catalog(query=query, terms=query_terms(query))


def test_a_repeated_query_compiles_no_matcher_and_finds_the_same(catalog, compiled):
    entities.catalog.clear()
    first = found("заводы Киргизии")
    assert len(compiled) == 1
    assert found("заводы Киргизии") == first
    assert found("заводы киргизии") == first  # the same words, the same matcher
    assert len(compiled) == 1
    assert [e.name for e in first.entities] == ["Кыргызстан"]
    assert first.namings


def test_a_query_sharing_no_word_with_the_catalog_compiles_nothing(catalog, compiled):
    entities.catalog.clear()
    assert found("непонятное слово") == entities.CatalogMatch([], ())
    assert compiled == []


def test_kept_matchers_are_bounded(db, monkeypatch):
    monkeypatch.setattr(entities, "MATCHERS_KEPT", 3)
    kept = Catalog([])
    for word in ["а", "б", "в", "г", "д"]:
        kept.matcher(frozenset([word]))
        assert len(kept._matchers) <= 3
