"""Annotations find their place whatever became of the whitespace, and only whole words."""

import pytest

from evaluation.spans import AnnotationError, Span, occurrences, resolve, skeleton


def test_skeleton_drops_whitespace_hyphens_and_folds_yo():
    assert skeleton("Королё-\nва\u00a0и\u00adко")[0] == "Королеваико"


def test_skeleton_remembers_where_each_character_stood():
    bare, where = skeleton("а б")
    assert (bare, where) == ("аб", [0, 2])


@pytest.mark.parametrize(
    "text",
    [
        "сказал Чеку-\nшова вчера",  # a PDF's line-end hyphen
        "сказал Чеку- шова вчера",  # what joining the lines makes of it
        "сказал Чекушова вчера",  # what a loader that mends it makes
        "сказал Чеку\u00adшова вчера",  # a soft hyphen
    ],
)
def test_a_word_broken_at_a_line_end_is_found_in_any_later_form(text):
    span = resolve(["", text], "Чеку-\nшова")
    assert span.piece == 1
    assert text[span.start : span.end].replace("\u00ad", "").startswith("Чеку")
    assert text[span.end - 4 : span.end] == "шова"


def test_non_breaking_spaces_and_line_breaks_inside_a_name():
    assert resolve(["Тулпар\u00a0Моторс"], "Тулпар Моторс") == Span(0, 0, 13)
    assert resolve(["x Роман\nЧекушов"], "Роман Чекушов") == Span(0, 2, 15)


def test_only_whole_words_count():
    text = "Чекушова и Чекушов"
    assert occurrences([text], "Чекушов") == [Span(0, 11, 18)]


def test_case_is_kept_so_the_novel_is_not_the_name():
    text = "роман и Роман"
    assert occurrences([text], "Роман") == [Span(0, 8, 13)]


def test_occurrences_are_counted_in_reading_order_across_pieces():
    pieces = ["Кобальт", "кобальт и Кобальт", "Кобальт"]
    assert [s.piece for s in occurrences(pieces, "Кобальт")] == [0, 1, 2]
    assert resolve(pieces, "Кобальт", 2) == Span(1, 10, 17)


def test_an_occurrence_never_runs_across_two_pieces():
    assert occurrences(["Тулпар", "Моторс"], "Тулпар Моторс") == []


def test_a_missing_occurrence_is_an_error_that_says_how_many_there_are():
    with pytest.raises(AnnotationError, match="occurrence 3: the text has 1"):
        resolve(["Кобальт"], "Кобальт", 3)


def test_spans_overlap_only_in_the_same_piece():
    assert Span(1, 0, 5).overlaps(Span(1, 4, 8))
    assert not Span(1, 0, 5).overlaps(Span(1, 5, 8))
    assert not Span(1, 0, 5).overlaps(Span(2, 0, 5))
