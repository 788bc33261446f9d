"""HTML and plain text of incoming items as the portal's plain-text paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from inbox.parsing import parse
from inbox.parsing.cleaning import (
    MAX_NESTING,
    UnreadableMarkup,
    html_to_text,
    one_line,
    plain_to_text,
    to_line,
    to_text,
)

pytestmark = pytest.mark.once

FEEDS = Path(__file__).resolve().parent / "feeds"


def test_script_and_style_go_with_their_content():
    markup = (
        "<p>До.</p><script>document.write('реклама')</script>"
        "<style>p { color: red }</style><noscript>Включите JavaScript</noscript><p>После.</p>"
    )
    assert html_to_text(markup) == "До.\n\nПосле."


def test_entities_are_decoded():
    markup = (
        "<p>ООО&nbsp;&laquo;Сарыбулак&raquo; &amp; партнёры &#8212; "
        "&lt;итоги&gt; &#x2116;&nbsp;5</p>"
    )
    assert html_to_text(markup) == "ООО «Сарыбулак» & партнёры — <итоги> № 5"


def test_nested_blocks_each_make_a_paragraph():
    markup = (
        "<div>Вступление<div><p>Первый <b>абзац</b>.</p>"
        "<blockquote><p>Цитата.</p></blockquote></div>Хвост</div>"
    )
    assert html_to_text(markup) == "Вступление\n\nПервый абзац.\n\nЦитата.\n\nХвост"


def test_one_line_break_joins_lines_two_end_the_paragraph():
    markup = "Первая строка<br>вторая строка<br /><br/>  Новый абзац.<br>"
    assert html_to_text(markup) == "Первая строка вторая строка\n\nНовый абзац."


def test_headings_become_subheadings():
    assert html_to_text("<p>Текст.</p><h3>Планы <i>на</i> год</h3><p>Ещё.</p>") == (
        "Текст.\n\n## Планы на год\n\nЕщё."
    )


def test_source_line_ends_and_runs_of_spaces_are_one_space():
    assert html_to_text("<p>Слово\n   другое\t\tслово</p>") == "Слово другое слово"


def test_list_items_and_table_rows_are_paragraphs():
    markup = "<ul><li>один;</li><li>два.</li></ul><table><tr><th>Год</th><td>2025</td></tr></table>"
    assert html_to_text(markup) == "один;\n\nдва.\n\nГод 2025"


def test_frames_objects_forms_and_comments_leave_no_text():
    markup = (
        '<p>Текст.</p><iframe src="https://ads.example/">рамка</iframe><!-- заметка -->'
        "<svg><text>рисунок</text></svg><select><option>пункт</option></select>"
        '<img src="x" alt="фото">'
    )
    assert html_to_text(markup) == "Текст."


def test_markup_with_no_text_is_empty():
    assert html_to_text("<p>&nbsp;</p><div> <br> </div>") == ""


def test_plain_text_keeps_its_paragraphs_and_joins_their_lines():
    assert plain_to_text("  Первый\nабзац.\r\n\r\n\r\nВторой\u00a0абзац.  ") == (
        "Первый абзац.\n\nВторой абзац."
    )


def test_plain_values_have_entities_escaped_twice_decoded():
    assert to_text("&laquo;Сталь&raquo; &amp; руда", content_type="text/plain") == "«Сталь» & руда"


def test_one_line_joins_paragraphs():
    assert one_line("Заголовок\n\nв два абзаца") == "Заголовок в два абзаца"


def test_feed_item_with_every_kind_of_markup():
    entry = parse((FEEDS / "rss-html.xml").read_bytes(), kind="rss").entries[0]
    assert entry.title == "Рудник «Кара-Таш» — итоги года"
    assert entry.body == (
        "Рудник «Кара-Таш» добыл 1,2 млн тонн руды & концентрата.\n\n"
        "Об этом сообщил начальник рудника Эрмек Калыков.\n\n"
        "Мы выполнили план…\n\n"
        "## Планы на следующий год\n\n"
        "новый карьер;\n\n"
        "дробильная фабрика.\n\n"
        "Строка первая строка вторая\n\n"
        "Отдельный абзац после двух переводов строки.\n\n"
        "Добыча 1,2 млн т"
    )


def test_headline_in_markup_is_one_line_without_subheading_marks():
    value = "<h1>Цех</h1><p>открылся<br>в понедельник</p>"
    assert to_line(value, content_type="text/html") == "Цех открылся в понедельник"


def test_blocks_nested_within_the_limit_are_read():
    markup = "<div>" * MAX_NESTING + "Текст." + "</div>" * MAX_NESTING
    assert html_to_text(markup) == "Текст."


def test_blocks_nested_beyond_the_limit_are_refused():
    depth = MAX_NESTING + 1
    with pytest.raises(UnreadableMarkup, match=f"вложен на {depth} уровней"):
        html_to_text("<blockquote>" * depth + "Текст.")


def test_paragraphs_and_list_items_left_open_are_no_nesting():
    assert html_to_text("<p>абзац" * 1000 + "<li>пункт" * 1000).count("\n\n") == 1999
