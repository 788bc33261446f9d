"""Text entering the portal in one form: the rule itself, and the admin's forms using it."""

import importlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations import RunPython
from hypothesis import given, settings
from hypothesis import strategies as st

from articles import migrations
from articles.models import SUBHEADING_PREFIX, Article
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory
from articles.text.normalise import (
    SUBHEADING_MARK,
    hyphen_broke_the_word,
    normalise_line_ends,
    normalise_text,
)

ADD_URL = "/admin/articles/article/add/"

# The rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # Line ends, as browsers, old Macs, word processors and Unicode send them.
        ("Первый.\r\n\r\nВторой.", "Первый.\n\nВторой."),
        ("Первый.\r\rВторой.", "Первый.\n\nВторой."),
        ("Строка\u2028вторая", "Строка\nвторая"),
        ("Абзац\u2029Абзац", "Абзац\n\nАбзац"),
        ("Строка\x0bвторая\x0cтретья\x85четвёртая", "Строка\nвторая\nтретья\nчетвёртая"),
        # Subheadings stand alone, whatever the line ends around them.
        ("Лид.\r\n\r\n## План\r\n\r\nТекст.", "Лид.\n\n## План\n\nТекст."),
        ("Лид.\n## План\nТекст.", "Лид.\n\n## План\n\nТекст."),
        ("##План", "## План"),
        ("   ##   План  ", "## План"),
        # Spaces: trailing, leading, runs, tabs, non-breaking and other Unicode spaces.
        ("Абзац.  \n\nДальше.\t", "Абзац.\n\nДальше."),
        ("5\xa0000\u202fсомов,\u2009т.\u00a0е.\tмного", "5 000 сомов, т. е. много"),
        ("  \n\n\n\n  текст \n \n\n  ещё ", "текст\n\nещё"),
        # Invisible characters go; composed letters stay composed (NFC).
        ("Тек\xadст\u200b и\ufeff всё\x07", "Текст и всё"),
        ("и\u0306од и е\u0308лка", "йод и ёлка"),
        # Words broken at a line end, as pasted from a PDF.
        ("Айгерим Чеку-\nшова", "Айгерим Чекушова"),
        ("произ-\nводство", "производство"),
        ("ПРОИЗ-\nВОДСТВО", "ПРОИЗВОДСТВО"),
        ("Тулпар Мо-\nторс", "Тулпар Моторс"),
        ("до-\nку-\nмент", "документ"),
        ("Чеку\xad\nшова", "Чекушова"),
        # ... and hyphens that belong to the word stay, only the line break goes.
        ("город Кара-\nБалта", "город Кара-Балта"),
        ("на северо-\nзапад", "на северо-запад"),
        ("кто-\nнибудь", "кто-нибудь"),
        ("экс-\nминистр", "экс-министр"),
        ("пресс-\nсекретарь", "пресс-секретарь"),
        ("e-\nmail", "e-mail"),
        ("2024-\n2025", "2024-2025"),
        # Not a word broken at a line end: left alone.
        ("Завод -\nэто", "Завод -\nэто"),
        ("Конец-\n\nНовый абзац", "Конец-\n\nНовый абзац"),
        ("- пункт\n- пункт", "- пункт\n- пункт"),
        ("###  Не подзаголовок", "### Не подзаголовок"),
        ("", ""),
    ],
)
def test_normalise_text(typed, stored):
    assert normalise_text(typed) == stored


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ("Заголовок\r\nс переносом", "Заголовок с переносом"),
        ("  Заголовок\xa0 с\tпробелами  ", "Заголовок с пробелами"),
        ("Про-\nизводство растёт", "Производство растёт"),
        ("Первый\n\n## второй", "Первый ## второй"),
    ],
)
def test_single_line_values_lose_their_line_breaks(typed, line):
    assert normalise_text(typed, single_line=True) == line


def test_line_ends_alone_keep_every_line_where_it_was():
    assert normalise_line_ends("а\r\nб\rв\nг  \n\n\n") == "а\nб\nв\nг  \n\n\n"


@pytest.mark.parametrize(
    ("left", "right", "broke"),
    [
        ("Чеку", "шова", True),  # the right half is no word
        ("маши", "ны", True),  # the joined word is in the dictionary
        ("Мо", "торс", True),  # «МО» is an abbreviation, not a word
        ("Кара", "Балта", False),  # a capital: the second part of a name
        ("северо", "запад", False),  # a dictionary compound
        ("экс", "министр", False),  # two words, not one
        ("Chev", "rolet", False),  # Latin: no dictionary to ask
        ("5", "го", False),
    ],
)
def test_hyphen_at_a_line_end(left, right, broke):
    assert hyphen_broke_the_word(left, right) is broke


def test_subheading_mark_is_the_bodys():
    assert SUBHEADING_MARK == SUBHEADING_PREFIX


PIECES = st.one_of(
    st.sampled_from(["\r\n", "\r", "\n", "-\n", "\xad", "\xa0", "## ", " ", "\u2029", "\u200b"]),
    st.sampled_from(["Чеку", "шова", "Кара", "Балта", "и", "\u0306", "x", "5"]),
    st.characters(blacklist_categories=("Cs",)),
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(PIECES, max_size=30).map("".join))
def test_normalising_twice_changes_nothing_more(text):
    once = normalise_text(text)
    assert normalise_text(once) == once
    assert "\r" not in once and "\n\n\n" not in once
    assert normalise_text(text, single_line=True).count("\n") == 0


# The admin's forms -----------------------------------------------------------


def add_form(admin_client, **values) -> dict:
    data = form_data(admin_client.get(ADD_URL))
    data.update(slug="", status="published", published_at_0="2025-08-20", published_at_1="10:00:00")
    data.update(values)
    return data


def test_text_typed_in_the_admin_is_stored_normalised(admin_client):
    response = admin_client.post(
        ADD_URL,
        add_form(
            admin_client,
            title="Завод\xa0расширяет цех ",
            lead="Лид первой строкой,\r\nвторой строкой.\r\n",
            body="Первый абзац.\r\n\r\n## Планы\r\n\r\nВторой абзац: произ-\r\nводство растёт.",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.title == "Завод расширяет цех"
    assert article.lead == "Лид первой строкой,\nвторой строкой."
    assert article.body == "Первый абзац.\n\n## Планы\n\nВторой абзац: производство растёт."
    assert [(b.kind, b.text) for b in article.blocks()] == [
        ("paragraph", "Первый абзац."),
        ("subheading", "Планы"),
        ("paragraph", "Второй абзац: производство растёт."),
    ]


def test_form_sent_back_with_crlf_is_no_edit(admin_client):
    article = ArticleFactory(body="Первый.\n\n## План\n\nВторой.")
    data = form_data(admin_client.get(f"/admin/articles/article/{article.pk}/change/"))
    form_class = admin_client.get(ADD_URL).context["adminform"].form.__class__
    data["body"] = data["body"].replace("\n", "\r\n")
    form = form_class(data=data, instance=article)
    assert form.is_valid(), form.errors
    assert "body" not in form.changed_data


# Rows stored before the forms normalised ----------------------------------------


def line_ends_migration():
    """The data migration's module, found by name whatever number it is given."""
    folder = Path(migrations.__file__).parent
    (path,) = folder.glob("*_line_ends.py")
    return importlib.import_module(f"articles.migrations.{path.stem}")


def run_migration(function):
    function(django_apps, SimpleNamespace(connection=connection))


def test_data_migration_repairs_line_ends_stored_by_the_admin(db):
    typed = ArticleFactory(
        lead="Лид,\r\nпродолжение.", body="Первый.\r\n\r\n## План\r\n\r\nВторой.\rТретий."
    )
    clean = ArticleFactory(body="Первый.\n\nВторой.")
    untouched = Article.objects.filter(pk=clean.pk).values_list("updated_at", flat=True).get()

    run_migration(line_ends_migration().repair_line_ends)

    typed.refresh_from_db()
    assert typed.lead == "Лид,\nпродолжение."
    assert typed.body == "Первый.\n\n## План\n\nВторой.\nТретий."
    assert [block.kind for block in typed.blocks()] == ["paragraph", "subheading", "paragraph"]
    clean.refresh_from_db()
    assert (clean.body, clean.updated_at) == ("Первый.\n\nВторой.", untouched)


def test_data_migration_handles_more_rows_than_a_batch(db, monkeypatch):
    module = line_ends_migration()
    monkeypatch.setattr(module, "BATCH_SIZE", 2)
    ArticleFactory.create_batch(5, body="А.\r\n\r\nБ.")
    run_migration(module.repair_line_ends)
    assert set(Article.objects.values_list("body", flat=True)) == {"А.\n\nБ."}


def test_data_migration_reverses_as_nothing():
    operation = line_ends_migration().Migration.operations[0]
    assert operation.reverse_code is RunPython.noop
