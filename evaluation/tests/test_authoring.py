"""A marked-up draft becomes a corpus text and annotations that resolve back to the marks."""

import json

import pytest

from evaluation.authoring import annotations, entity_refs, parse_marks, parse_suggestions, write
from evaluation.corpus import load_document


def test_marks_nest_and_come_out_in_reading_order():
    text, marks = parse_marks(
        "В «⟦⟦Шевроле|chevrolet|brand_in_model⟧ Кобальт|chevrolet-cobalt|cyrillic_brand_model⟧» "
        "нет ⟦кобальта|!common_word⟧, а ⟦РФ|?rossiya⟧ рядом."
    )
    assert text == "В «Шевроле Кобальт» нет кобальта, а РФ рядом."
    assert [(m["kind"], text[m["start"] : m["end"]]) for m in marks] == [
        ("mentions", "Шевроле Кобальт"),
        ("mentions", "Шевроле"),
        ("negatives", "кобальта"),
        ("optional", "РФ"),
    ]


def test_an_unclosed_mark_is_refused():
    with pytest.raises(ValueError, match="not closed"):
        parse_marks("⟦Кобальт|chevrolet-cobalt|plain")


def test_occurrences_are_counted_as_the_evaluation_counts_them():
    text, marks = parse_marks(
        "date 2025-01-01\n\nКобальт и ⟦Кобальт|chevrolet-cobalt|plain⟧, ⟦кобальт|!common_word⟧."
    )
    result = annotations(text, marks, entity_refs())
    assert result["mentions"] == [
        {
            "surface": "Кобальт",
            "occurrence": 2,
            "entity": "vehiclemodel:chevrolet-cobalt",
            "class": "plain",
        }
    ]
    assert result["negatives"] == [{"surface": "кобальт", "occurrence": 1, "class": "common_word"}]


def test_an_unknown_entity_is_refused():
    text, marks = parse_marks("date 2025-01-01\n\n⟦Лада|lada|plain⟧ едет.")
    with pytest.raises(ValueError, match="no entity 'lada'"):
        annotations(text, marks, entity_refs())


def test_suggestions_section():
    section = "person: Марат Чекушов\norganisation: Автолайн Ош | ОсОО «Автолайн Ош»\n"
    section += "acceptable: Ош | Бишкек\n"
    assert parse_suggestions(section) == {
        "expected": [
            {"name": "Марат Чекушов", "kind": "person"},
            {"name": "Автолайн Ош", "kind": "organisation", "also": ["ОсОО «Автолайн Ош»"]},
        ],
        "acceptable": ["Ош", "Бишкек"],
    }


def test_a_draft_round_trips_through_the_loader(tmp_path):
    draft = tmp_path / "01_test.draft"
    draft.write_text(
        "date 2025-09-01\n\n⟦Тулпар Моторс|tulpar-motors|plain⟧ в заголовке\n\n"
        "Лид о заводе «⟦Тулпар\nМоторс|tulpar-motors|line_break⟧» и о ⟦Чеку-\n"
        "шове|roman-chekushov|line_end_hyphen⟧.\n"
        "=== suggestions\nperson: Марат Чекушов\n",
        encoding="utf-8",
    )
    out = tmp_path / "corpus"
    out.mkdir()
    target = write(draft, out)
    assert json.loads(target.with_suffix(".json").read_text("utf-8"))["suggestions"] == {
        "expected": [{"name": "Марат Чекушов", "kind": "person"}],
        "acceptable": [],
    }
    document = load_document(target)
    found = [document.pieces[g.span.piece][g.span.start : g.span.end] for g in document.gold]
    # The reader rejoins the word the line end broke, as it does for every document.
    assert found == ["Тулпар Моторс", "Тулпар Моторс", "Чекушове"]
    assert [g.span.piece for g in document.gold] == [0, 1, 1]
