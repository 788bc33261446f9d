"""The scorer on tiny cases whose true and false positives are known by hand, so it
cannot silently count wrong."""

import pytest

from evaluation.adapters import Predicted
from evaluation.corpus import Document, ExpectedSuggestion, GoldMention, Negative, OptionalMention
from evaluation.scoring import normalise, score_linking, score_suggestions
from evaluation.spans import Span


def document(**fields) -> Document:
    defaults = dict(
        key="t",
        pieces=["Headline X", "lead A B", "body C D E"],
        scored_from=0,
        article=None,
        gold=[],
        optional=[],
        negatives=[],
        expected=[],
        acceptable=[],
    )
    return Document(**{**defaults, **fields})


def predicted(piece, start, end, entity):
    return Predicted(Span(piece, start, end), entity, "")


@pytest.fixture
def linked():
    doc = document(
        gold=[
            GoldMention(Span(0, 9, 10), "e:x", "plain", "X"),
            GoldMention(Span(1, 5, 6), "e:a", "cyrillic_model", "A"),
            GoldMention(Span(1, 7, 8), "e:b", "surname", "B"),
            GoldMention(Span(2, 5, 6), "e:c", "plain", "C"),
        ],
        optional=[OptionalMention(Span(2, 7, 8), "e:d", "D")],
        negatives=[Negative(Span(2, 9, 10), "common_word", "E")],
    )
    predictions = [
        predicted(0, 9, 10, "e:x"),  # right
        predicted(1, 5, 6, "e:b"),  # the wrong entity over A (B is elsewhere)
        predicted(2, 5, 6, "e:c"),  # right
        predicted(2, 4, 6, "e:c"),  # the same mention again
        predicted(2, 7, 8, "e:d"),  # optional: neither way
        predicted(2, 9, 10, "e:e"),  # a hard negative
        predicted(2, 8, 10, "e:f"),  # the same negative again: false, hit once
        predicted(2, 0, 4, "e:z"),  # nothing annotated there
    ]
    return score_linking(doc, predictions)


def test_overall_counts(linked):
    overall = linked.overall
    assert (overall.gold, overall.found, overall.false) == (4, 2, 5)
    assert overall.precision == pytest.approx(2 / 7)
    assert overall.recall == pytest.approx(2 / 4)
    assert (overall.negatives, overall.negatives_hit, overall.negatives_kept) == (1, 1, 0)


def test_counts_per_class(linked):
    counts = {k: (t.gold, t.found, t.false, t.negatives_hit) for k, t in linked.classes.items()}
    assert counts == {
        "plain": (2, 2, 1, 0),  # the duplicate counts against its class
        "cyrillic_model": (1, 0, 1, 0),  # missed, and the wrong entity over it
        "surname": (1, 0, 0, 0),
        "common_word": (0, 0, 2, 1),
    }


def test_counts_per_position(linked):
    counts = {p: (t.gold, t.found, t.false) for p, t in linked.positions.items()}
    assert counts == {"headline": (1, 1, 0), "lead": (2, 0, 1), "body": (1, 1, 4)}


def test_errors_say_what_went_wrong(linked):
    found = sorted((e.what, e.kind, e.entity) for e in linked.errors)
    assert found == [
        ("duplicate", "plain", "e:c"),
        ("missed", "cyrillic_model", "e:a"),
        ("missed", "surname", "e:b"),
        ("negative", "common_word", "e:e"),
        ("negative", "common_word", "e:f"),
        ("unannotated", "", "e:z"),
        ("wrong entity", "cyrillic_model", "e:b"),
    ]
    missed = next(e for e in linked.errors if e.entity == "e:a")
    assert (missed.position, missed.surface, missed.context) == ("lead", "A", "lead [A] B")


def test_a_derived_headline_is_not_scored():
    doc = document(scored_from=1, gold=[GoldMention(Span(1, 5, 6), "e:a", "plain", "A")])
    score = score_linking(doc, [predicted(0, 0, 8, "e:a"), predicted(1, 5, 6, "e:a")])
    assert (score.overall.found, score.overall.false) == (1, 0)


def test_scores_add_up_over_documents():
    doc = document(gold=[GoldMention(Span(1, 5, 6), "e:a", "plain", "A")])
    score = score_linking(doc, [])
    score_linking(doc, [predicted(1, 5, 6, "e:a")], score)
    assert (score.overall.gold, score.overall.found) == (2, 1)


def test_names_are_compared_without_case_yo_quotes_or_extra_spaces():
    assert normalise(" ОсОО  «Алёна\u00a0Моторс» ") == "осоо алена моторс"


def test_suggestions_scored_on_unique_normalised_names():
    doc = document(
        expected=[
            ExpectedSuggestion(("Марат Чекушов",), "person"),
            ExpectedSuggestion(("Автолайн Ош", "ОсОО «Автолайн Ош»"), "organisation"),
            ExpectedSuggestion(("Алёна Иванова",), "person"),
            ExpectedSuggestion(("Министерство энергетики Таджикистана",), "organisation"),
        ],
        acceptable=["Бишкек"],
    )
    suggested = [
        "марат  чекушов",  # right, whatever the case and spaces
        "ОсОО «Автолайн Ош»",  # right: an accepted form
        "Автолайн Ош",  # the same organisation a second time
        "Бишкек",  # acceptable: neither way
        "Ошская области",  # half-inflected: false
        "Алена Иванова",  # right: «е» for «ё»
        "Алёна Иванова",  # the same name again: counted once
        "Министерство энергетики",  # the country dropped: false, and the right one missed
    ]
    score = score_suggestions(doc, suggested)
    assert (score.expected, score.found, score.false) == (4, 3, 3)
    assert score.precision == pytest.approx(3 / 6)
    assert score.recall == pytest.approx(3 / 4)
    assert sorted(score.errors) == [
        ("t", "missed", "Министерство энергетики Таджикистана"),
        ("t", "second form of «ОсОО «Автолайн Ош»»", "Автолайн Ош"),
        ("t", "unexpected", "Министерство энергетики"),
        ("t", "unexpected", "Ошская области"),
    ]


def test_no_suggestions_expected_and_none_made_has_no_figures():
    score = score_suggestions(document(), [])
    assert (score.precision, score.recall) == (None, None)
