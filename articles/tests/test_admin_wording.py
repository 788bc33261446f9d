"""The admin's nouns (``articles/admin/wording.py``): a row for every model the admin
shows, in step with the models' verbose names, and Russian counts and cases."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.utils import formats, translation

from articles.admin.russian import (
    delete_selected_label,
    match_message,
    page_titles,
    select_all_label,
)
from articles.admin.wording import NOUNS, noun_for, noun_named, plural
from articles.models import Article, EntitySuggestion
from companies.models import Official

PROJECT_APPS = ("articles", "companies", "portal")
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def shown_models():
    """Every model the admin shows: registered ones and those of their inlines."""
    for model in apps.get_models():
        if admin.site.is_registered(model):
            yield model
            for inline in admin.site.get_model_admin(model).inlines:
                yield inline.model


@pytest.mark.parametrize("model", sorted(set(shown_models()), key=lambda m: m._meta.label))
def test_every_model_the_admin_shows_has_its_noun(model):
    with translation.override("ru"):
        assert NOUNS[model._meta.label_lower].nominative == str(model._meta.verbose_name).lower()


def test_every_row_of_the_table_names_an_installed_model():
    with translation.override("ru"):
        for label, noun in NOUNS.items():
            assert noun.nominative == str(apps.get_model(label)._meta.verbose_name).lower()


@pytest.mark.parametrize(
    "model",
    [m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models()],
    ids=lambda m: m._meta.label,
)
def test_the_projects_models_and_fields_have_russian_names(model):
    opts = model._meta
    assert CYRILLIC.search(str(opts.verbose_name))
    assert CYRILLIC.search(str(opts.verbose_name_plural))
    assert opts.verbose_name_plural != opts.verbose_name
    unnamed = [
        field.name
        for field in opts.get_fields()
        if field.concrete and not field.primary_key and not CYRILLIC.search(str(field.verbose_name))
    ]
    assert not unnamed


PLURALS = {0: "статей", 1: "статья", 2: "статьи", 4: "статьи", 5: "статей", 11: "статей"}
PLURALS |= {12: "статей", 14: "статей", 21: "статья", 22: "статьи", 101: "статья", 111: "статей"}


@pytest.mark.parametrize(("n", "expected"), PLURALS.items())
def test_plural_forms(n, expected):
    assert plural(n, "статья", "статьи", "статей") == expected


def test_counts_in_each_case():
    suggestion, official = noun_for(EntitySuggestion), noun_for(Official)
    assert noun_for(Article).count(137) == "137 статей"
    assert suggestion.count(7) == "7 предложенных сущностей"
    assert suggestion.count(3) == "3 предложенные сущности"
    assert suggestion.count(21) == "21 предложенная сущность"
    assert official.count(2) == "2 должностных лица"
    assert noun_for(Article).count_accusative(1) == "1 статью"
    assert noun_for(User).count_accusative(3) == "3 пользователей"
    assert noun_for(Article).count_genitive(3) == "3 статей"


def test_agreement_with_gender_and_animacy():
    assert noun_for(Article).one_more == "ещё одну статью"
    assert noun_named("тег").one_more == "ещё один тег"
    assert noun_named("упоминание").one_more == "ещё одно упоминание"
    assert noun_for(User).one_more == "ещё одного пользователя"
    assert delete_selected_label(noun_for(Article)) == "Удалить выбранные статьи"
    assert delete_selected_label(noun_for(Official)) == "Удалить выбранных должностных лиц"
    assert select_all_label(noun_for(User), 5) == "Выбрать всех пользователей (5)"


def test_a_name_outside_the_table_reads_as_django_would_write_it():
    noun = noun_named("Запись чего-то нового")
    assert noun.accusative == noun.genitive_plural == "Запись чего-то нового"


def test_page_titles_replace_djangos_for_the_model():
    with translation.override("ru"):
        titles = page_titles(Article._meta)
    assert titles["Добавить статья"] == "Добавить статью"
    assert titles["Выберите статья для изменения"] == "Выберите статью для изменения"
    assert titles["Изменить статья"] == "Изменить статью"


def test_match_message_reads_the_values_a_template_was_filled_with():
    template = "{name} «{obj}» был успешно добавлен."
    found = match_message(template, "статья «Завод открыт» был успешно добавлен.", name="статья")
    assert found == {"obj": "Завод открыт"}
    assert match_message(template, "тег «Завод» был успешно добавлен.", name="статья") is None
    assert match_message("Удалено %(count)d %(items)s.", "Удалено 3 статьи.", items="статьи") == {
        "count": "3"
    }


def test_a_day_of_a_month_takes_the_genitive():
    with translation.override("ru"):
        assert formats.date_format(dt.date(2025, 8, 16), "MONTH_DAY_FORMAT") == "16 августа"
        assert formats.date_format(dt.date(2025, 5, 1), "MONTH_DAY_FORMAT") == "1 мая"
