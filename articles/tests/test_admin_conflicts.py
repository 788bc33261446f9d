"""Two editors save one article: the refused save shows what the other changed and what
this one is saving, field by field with the whole body, and lets them merge by hand."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from articles.admin.textdiff import DELETE, EQUAL, INSERT, Piece, text_diff, word_diff
from articles.models import Article
from articles.roles import EDITOR, setup_roles
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory

# A long body whose change sits far past the first 80 characters.
PARAGRAPHS = [
    "Завод «Вымышленные моторы» в Токмоке отчитался о полугодии: выпуск вырос, "
    "а очередь дилеров растянулась до осени.",
    "Директор завода Арсен Примеров сказал, что линия сварки работает в две смены.",
    "Новая покрасочная камера заработает в декабре, если оборудование придёт вовремя.",
]
BODY = "\n\n".join(PARAGRAPHS)


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def signed_in(name: str) -> Client:
    user = User.objects.create_user(name, password="x", is_staff=True, first_name=name.title())
    user.groups.add(Group.objects.get(name=EDITOR))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editors(db):
    setup_roles()
    return signed_in("anna"), signed_in("boris")


@pytest.fixture
def article(db):
    return ArticleFactory(title="Завод отчитался", body=BODY)


def conflict_panel(response) -> str:
    content = response.content.decode()
    start = content.index('<section class="edit-conflict"')
    return content[start : content.index("<fieldset", start)]


def section(panel: str, field: str) -> str:
    start = panel.index(f'id="conflict-{field}"')
    end = panel.find('<section class="conflict-field', start)
    return panel[start : end if end > 0 else len(panel)]


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def edited_body(paragraph: int, old: str, new: str) -> str:
    parts = list(PARAGRAPHS)
    parts[paragraph] = parts[paragraph].replace(old, new)
    return "\n\n".join(parts)


@pytest.fixture
def refused(editors, article):
    """Anna opens the article; Boris saves a change deep in the body; Anna saves a new
    headline from her stale form."""
    anna, boris = editors
    annas_form = form_data(anna.get(change_url(article)))
    boris_form = form_data(boris.get(change_url(article)))
    boris_form["body"] = edited_body(2, "в декабре", "в ноябре")
    assert boris.post(change_url(article), boris_form).status_code == 302
    annas_form["title"] = "Завод отчитался о полугодии"
    response = anna.post(change_url(article), annas_form)
    assert response.status_code == 200
    return response


def test_the_refused_save_names_who_saved_in_between(refused):
    content = refused.content.decode()
    assert "уже сохранил другой редактор (Boris," in content
    assert Article.objects.get().title == "Завод отчитался"


def test_the_other_editors_change_is_shown_as_theirs_body_included(refused):
    body = section(conflict_panel(refused), "body")
    theirs = body[: body.index("conflict-side--yours")]
    assert '<del><span class="visually-hidden">[удалено: </span>декабре' in theirs
    assert '<ins><span class="visually-hidden">[добавлено: </span>ноябре' in theirs
    assert "без изменений: абзацев 2" in theirs  # the first two paragraphs, left out
    assert "Вы не меняли: в форму подставлено сохранённое значение" in body


def test_your_own_change_is_shown_as_yours(refused):
    title = section(conflict_panel(refused), "title")
    theirs, yours = title.split("conflict-side--yours")
    assert "Не менялось" in theirs
    assert "о полугодии" in text(yours)
    assert "<ins>" in yours


def test_the_saved_value_is_there_in_full_to_copy(refused):
    body = section(conflict_panel(refused), "body")
    saved = re.search(r"<textarea readonly[^>]*>(.*?)</textarea>", body, re.S).group(1)
    assert saved.strip() == edited_body(2, "в декабре", "в ноябре")


def test_the_form_keeps_your_values_and_takes_theirs_where_only_they_changed(refused):
    form = refused.context["adminform"].form
    assert form["title"].value() == "Завод отчитался о полугодии"
    assert "в ноябре" in form["body"].value()
    assert int(form["edit_version"].value()) == Article.objects.get().version


def test_saving_again_after_the_refusal_keeps_both_changes(editors, refused):
    anna, _ = editors
    response = anna.post(change_url(Article.objects.get()), form_data(refused))
    assert response.status_code == 302
    saved = Article.objects.get()
    assert saved.title == "Завод отчитался о полугодии"
    assert "в ноябре" in saved.body


def test_both_changed_the_body_you_merge_by_hand(editors, article):
    anna, boris = editors
    annas_form = form_data(anna.get(change_url(article)))
    boris_form = form_data(boris.get(change_url(article)))
    boris_form["body"] = edited_body(2, "в декабре", "в ноябре")
    boris.post(change_url(article), boris_form)
    annas_form["body"] = edited_body(1, "в две смены", "в три смены")
    refused = anna.post(change_url(article), annas_form)

    body = section(conflict_panel(refused), "body")
    theirs, yours = body.split("conflict-side--yours")
    assert "ноябре" in theirs and "ноябре" not in yours
    assert "три" in yours and "три" not in theirs
    form = refused.context["adminform"].form
    assert "в три смены" in form["body"].value()  # hers, not replaced
    assert "в ноябре" not in form["body"].value()

    merged = form_data(refused)
    merged["body"] = merged["body"].replace("в декабре", "в ноябре")  # by hand
    assert anna.post(change_url(article), merged).status_code == 302
    saved = Article.objects.get().body
    assert "в три смены" in saved and "в ноябре" in saved


def test_the_comparison_is_escaped_and_styled_only_by_the_stylesheet(editors, article):
    anna, boris = editors
    annas_form = form_data(anna.get(change_url(article)))
    boris_form = form_data(boris.get(change_url(article)))
    boris_form["body"] = BODY + "\n\nВставка <script>alert(1)</script> & ещё."
    boris.post(change_url(article), boris_form)
    annas_form["title"] = "Другой заголовок"
    refused = anna.post(change_url(article), annas_form)
    panel = conflict_panel(refused)
    assert "<script>" not in panel
    assert "&lt;script&gt;" in panel
    assert "style=" not in panel
    assert "articles/admin/conflicts.css" in refused.content.decode()


def test_a_form_without_its_starting_version_still_compares_saved_and_sent(editors, article):
    anna, boris = editors
    annas_form = form_data(anna.get(change_url(article)))
    del annas_form["edit_base"]
    boris_form = form_data(boris.get(change_url(article)))
    boris_form["title"] = "Заголовок Бориса"
    boris.post(change_url(article), boris_form)
    refused = anna.post(change_url(article), annas_form)
    title = section(conflict_panel(refused), "title")
    assert "Бориса" in text(title)
    assert Article.objects.get().title == "Заголовок Бориса"


# The differences themselves ----------------------------------------------------------


def test_word_diff_marks_changed_words_only():
    assert word_diff("выпуск вырос на треть", "выпуск упал на треть") == [
        Piece(EQUAL, "выпуск "),
        Piece(DELETE, "вырос"),
        Piece(INSERT, "упал"),
        Piece(EQUAL, " на треть"),
    ]


def test_text_diff_leaves_unchanged_paragraphs_out_and_keeps_new_ones_whole():
    blocks = text_diff(BODY, BODY + "\n\nНовый абзац.")
    assert blocks[0].skipped == 3
    assert blocks[1].pieces == (Piece(INSERT, "Новый абзац."),)


def test_a_huge_paragraph_is_shown_replaced_whole():
    old, new = "слово " * 5000, "другое " * 5000
    assert [piece.kind for piece in word_diff(old, new)] == [DELETE, INSERT]


@pytest.mark.parametrize("base", ["", "не base64!", "eJzLSM3JyQcABiwCFQ=="])
def test_a_garbled_starting_version_is_ignored(editors, article, base):
    anna, _ = editors
    data = form_data(anna.get(change_url(article)))
    data.update(edit_base=base, title="Правка")
    assert anna.post(change_url(article), data).status_code == 302
    assert Article.objects.get().title == "Правка"
