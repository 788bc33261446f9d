"""The admin's own sentences in Russian that reads right, for every model it shows.

Django's Russian admin writes «Добавить статья», «Выберите статья для изменения»,
«Статья … был успешно добавлен», «Добавить еще один Связь с компанией». Here each of
those sentences is written again from the model's noun (``wording.py``), in the case
and gender it needs:

- page titles: Django's title for the model is swapped for ours after the view has
  made it (a title an admin sets itself is left alone);
- messages: ``message_user`` recognises Django's own messages by their translated
  text, with the model's name in place, and says them again;
- the add button, the list's count, the delete pages and the history are in the
  template overrides in ``articles/admin/templates/admin/`` (found before Django's
  own, see ``TEMPLATES``), through the ``admin_wording`` template tags.

``speak_russian(site)`` gives every registered admin, Django's and the libraries'
too, the ``RussianAdmin`` mixin, so a new admin cannot forget it.
"""

import dataclasses
import json
import re
from collections.abc import Callable
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.utils import model_format_dict
from django.db import models
from django.db.models.options import Options
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext

from .wording import FORMS, Noun, noun_for, noun_named

# The desk's name under the site's: shown on the admin's front page.
INDEX_TITLE = "Редакция"


def add_label(noun: Noun) -> str:
    return f"Добавить {noun.accusative}"


def select_all_label(noun: Noun, n: int) -> str:
    every = "всех" if noun.animate else "все"
    return f"Выбрать {every} {noun.accusative_plural} ({n})"


def delete_selected_label(noun: Noun) -> str:
    chosen = "выбранных" if noun.animate else "выбранные"
    return f"Удалить {chosen} {noun.accusative_plural}"


def taken_message(noun: Noun) -> str:
    """A unique field's value that another record already has."""
    other = noun.agree("другого", "другой", "другого")
    return f"Такое значение уже есть у {other} {noun.genitive}."


# What the admin's templates may ask for (``{% russian opts "count" n %}``).
PHRASES: dict[str, Callable[[Noun, int | None], str]] = {
    "add": lambda noun, n: add_label(noun),
    "accusative": lambda noun, n: noun.accusative,
    "genitive": lambda noun, n: noun.genitive,
    "count": lambda noun, n: noun.count(n),
    "count_accusative": lambda noun, n: noun.count_accusative(n),
    "count_genitive": lambda noun, n: noun.count_genitive(n),
    "select_all": select_all_label,
}


def page_titles(opts: Options) -> dict[str, str]:
    """Django's page titles for the model, each mapped to what it should say."""
    noun = noun_for(opts)
    name, names = str(opts.verbose_name), str(opts.verbose_name_plural)
    return {
        gettext("Add %s") % name: add_label(noun),
        gettext("Change %s") % name: f"Изменить {noun.accusative}",
        gettext("View %s") % name: f"Просмотреть {noun.accusative}",
        gettext("Select %s") % name: f"Выберите {noun.accusative}",
        gettext("Select %s to change") % name: f"Выберите {noun.accusative} для изменения",
        gettext("Select %s to view") % name: f"Выберите {noun.accusative} для просмотра",
        gettext("Cannot delete %(name)s") % {"name": name}: f"Нельзя удалить {noun.accusative}",
        gettext("Cannot delete %(name)s")
        % {"name": names}: f"Нельзя удалить {noun.accusative_plural}",
    }


# --- Messages -----------------------------------------------------------------


def _saved(verb: tuple[str, str, str], then: str = "") -> Callable[..., str]:
    """«Статья «…» успешно добавлена.», and what the editor may do next."""

    def say(noun: Noun, obj: str, **_) -> str:
        sentence = f"{noun.capitalised} «{obj}» успешно {noun.agree(*verb)}."
        return f"{sentence} {then}" if then else sentence

    return say


ADDED = ("добавлен", "добавлена", "добавлено")
CHANGED = ("изменён", "изменена", "изменено")
DELETED = ("удалён", "удалена", "удалено")
EDIT_BELOW = "Ниже можно продолжить правку."


def _add_another(verb):
    def say(noun: Noun, obj: str, **_) -> str:
        return _saved(verb, f"Ниже можно добавить {noun.one_more}.")(noun, obj)

    return say


def _missing(noun: Noun, key: str, **_) -> str:
    found, it = noun.agree("найден", "найдена", "найдено"), noun.agree("его", "её", "его")
    return f"{noun.capitalised} с ID «{key}» не {found}. Возможно, {it} удалили."


def _counted(verb: str) -> Callable[..., str]:
    def say(noun: Noun, count: str, **_) -> str:
        return f"{verb}: {noun.count(int(count))}."

    return say


# Django's messages (their English ids, as the admin passes them to gettext), with
# ours. The model's name may be singular or plural in the counted ones.
SINGLE_MESSAGES = [
    ("The {name} “{obj}” was added successfully.", _saved(ADDED)),
    (
        "The {name} “{obj}” was added successfully. You may edit it again below.",
        _saved(ADDED, EDIT_BELOW),
    ),
    (
        "The {name} “{obj}” was added successfully. You may add another {name} below.",
        _add_another(ADDED),
    ),
    ("The {name} “{obj}” was changed successfully.", _saved(CHANGED)),
    (
        "The {name} “{obj}” was changed successfully. You may edit it again below.",
        _saved(CHANGED, EDIT_BELOW),
    ),
    (
        "The {name} “{obj}” was changed successfully. You may add another {name} below.",
        _add_another(CHANGED),
    ),
    ("The %(name)s “%(obj)s” was deleted successfully.", _saved(DELETED)),
    ("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?", _missing),
]


def _counted_messages() -> list[tuple[str, Callable[..., str]]]:
    changed = "%(count)s %(name)s was changed successfully."
    changed_plural = "%(count)s %(name)s were changed successfully."
    return [
        *(
            (ngettext(changed, changed_plural, n), _counted("Изменено"))
            for n in (1, 2, 5)  # every Russian plural form
        ),
        (gettext("Successfully deleted %(count)d %(items)s."), _counted("Удалено")),
    ]


PLACEHOLDER = re.compile(r"\{(\w+)\}|%\((\w+)\)[sd]")


def match_message(template: str, text: str, **known: str) -> dict[str, str] | None:
    """The values a message made from ``template`` was filled with, or None.

    ``known`` placeholders must hold exactly these values; the others (the object,
    the count) are read from ``text``.
    """
    pattern, position = [], 0
    for placeholder in PLACEHOLDER.finditer(template):
        pattern.append(re.escape(template[position : placeholder.start()]))
        key = placeholder.group(1) or placeholder.group(2)
        value = known.get(key)
        pattern.append(re.escape(value) if value is not None else f"(?P<{key}>.+?)")
        position = placeholder.end()
    pattern.append(re.escape(template[position:]))
    found = re.fullmatch("".join(pattern), text, flags=re.DOTALL)
    return found.groupdict() if found else None


def reword_message(opts: Options, message):
    """Django's message about a record of ``opts``'s model, said right; any other
    message as it is."""
    if not isinstance(message, str):
        return message
    noun = noun_for(opts)
    safe = isinstance(message, SafeData)
    if safe:  # the object's link is HTML: the noun goes in escaped
        noun = dataclasses.replace(noun, **{form: escape(getattr(noun, form)) for form in FORMS})
    names = {str(opts.verbose_name), str(opts.verbose_name_plural)}
    candidates = [(gettext(msgid), say) for msgid, say in SINGLE_MESSAGES]
    candidates += _counted_messages()
    for template, say in candidates:
        for name in names:
            values = match_message(template, str(message), name=name, items=name)
            if values is not None:
                values.pop("name", None)
                values.pop("items", None)
                worded = say(noun, **values)
                return mark_safe(worded) if safe else worded
    return message


# --- History ----------------------------------------------------------------------


def change_message(entry) -> str:
    """A history entry (``LogEntry``) in words that agree with what changed."""
    raw = entry.change_message
    if not raw or raw[0] != "[":
        return entry.get_change_message()
    try:
        parts = json.loads(raw)
    except json.JSONDecodeError:
        return raw
    sentences = [_change_sentence(part) for part in parts]
    return " ".join(s for s in sentences if s) or gettext("No fields changed.")


def _change_sentence(part: dict) -> str:
    if "added" in part:
        if not part["added"]:
            return "Добавлено."
        noun = noun_named(part["added"]["name"])
        verb = noun.agree("Добавлен", "Добавлена", "Добавлено")
        return f"{verb} {noun.nominative} «{part['added']['object']}»."
    if "changed" in part:
        changed = part["changed"]
        fields = get_text_list([gettext(name) for name in changed["fields"]], "и")
        if "name" not in changed:
            return f"Изменено: {fields}."
        noun = noun_named(changed["name"])
        return f"Изменено у {noun.genitive} «{changed['object']}»: {fields}."
    if "deleted" in part:
        noun = noun_named(part["deleted"]["name"])
        verb = noun.agree("Удалён", "Удалена", "Удалено")
        return f"{verb} {noun.nominative} «{part['deleted']['object']}»."
    return ""


# --- The mixin --------------------------------------------------------------------


class RussianAdmin:
    """A ``ModelAdmin`` mixin: its titles, messages, action names, inline buttons and
    uniqueness errors in the model's own case and gender."""

    def _reworded(self, response):
        context = getattr(response, "context_data", None)
        if context and isinstance(context.get("title"), str):
            context["title"] = page_titles(self.opts).get(context["title"], context["title"])
        return response

    def changelist_view(self, request, extra_context=None):
        return self._reworded(super().changelist_view(request, extra_context))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        return self._reworded(response)

    def delete_view(self, request, object_id, extra_context=None):
        return self._reworded(super().delete_view(request, object_id, extra_context))

    def message_user(self, request, message, *args, **kwargs):
        return super().message_user(request, reword_message(self.opts, message), *args, **kwargs)

    def get_action_choices(self, request, default_choices=models.BLANK_CHOICE_DASH):
        choices = super().get_action_choices(request, default_choices)
        django_label = gettext("Delete selected %(verbose_name_plural)s") % model_format_dict(
            self.opts
        )
        ours = delete_selected_label(noun_for(self.opts))
        return [(name, ours if label == django_label else label) for name, label in choices]

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(request, formsets, inline_instances, obj)
        for inline_formset in inline_formsets:
            inline = inline_formset.opts
            noun = (
                noun_for(inline.model)
                if inline.verbose_name == inline.model._meta.verbose_name
                else noun_named(inline.verbose_name)
            )
            data = json.loads(inline_formset.inline_formset_data())
            data["options"]["addText"] = f"Добавить {noun.one_more}"
            # The template reads this (a method of Django's helper) for the inline's
            # script: the instance's own value stands in front of the method.
            inline_formset.inline_formset_data = partial(json.dumps, data)
        return inline_formsets

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            yield type(formset.__name__, (DuplicatesByLabel, formset), {}), inline

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if getattr(db_field, "unique", False) and _says_django_unique(db_field):
            # Fields declared by Django or a library (a tag's name, a group's name):
            # the project's own fields carry their own message.
            messages = {"unique": taken_message(noun_for(db_field.model))}
            kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class DuplicatesByLabel:
    """An inline formset that names the field two rows repeat by its label («Тег»),
    not by its name in the code («tag»)."""

    def get_unique_error_message(self, unique_check):
        # The link to the parent record is the same in every row: not worth naming
        # (Django's inline formset leaves it out too, by name).
        fk = getattr(self, "fk", None)
        fields = self.form.base_fields
        labels = [
            str(fields[name].label) if name in fields and fields[name].label else name
            for name in unique_check
            if fk is None or name != fk.name
        ]
        return super().get_unique_error_message(labels)


def _says_django_unique(field: models.Field) -> bool:
    return str(field.error_messages.get("unique")) == str(
        models.Field.default_error_messages["unique"]
    )


def speak_russian(site: AdminSite) -> None:
    """Give the site the portal's name and every registered admin ``RussianAdmin``."""
    site.site_header = site.site_title = settings.SITE_NAME
    site.index_title = INDEX_TITLE
    for model in apps.get_models():
        if not site.is_registered(model):
            continue
        model_admin = site.get_model_admin(model)
        if isinstance(model_admin, RussianAdmin):
            continue
        cls = type(model_admin)
        worded = type(cls.__name__, (RussianAdmin, cls), {"__module__": cls.__module__})
        site.unregister(model)
        site.register(model, worded)
