"""The editor sees what the linker saw: the mentions panel of the article form.

A read-only part of the change form shows the headline, lead and body with
every mention the linker recorded highlighted and labelled in words (the
entity, its kind, found by the linker, added or rejected by an editor, linked
on the public page; see ``mentions_panel``). A table lists each entity once with
a button to reject it (``remove_link``: the link goes and re-linking never
brings it back) or to undo that (``add_link``).

The form's fields live in one ``<form>``; the buttons belong to a small form
of their own outside it (``form="…"``, see the change form template), so
pressing Enter in a field still saves the article, and nothing here needs
JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from companies.kinds import kind_named, kind_of
from companies.models import Entity

from ..linking import add_link, remove_link
from ..models import Article
from .history import record_change
from .mentions_panel import build_panel, render_panel


@dataclass(frozen=True)
class Decision:
    """What a panel button does, and the link permission the form's inline would need."""

    apply: Callable[..., None]
    permission: str  # "delete" or "add", on the kind's link model
    outcome: str


REJECT = Decision(remove_link, "delete", "Связь отклонена и не вернётся при перепроверке")
RESTORE = Decision(add_link, "add", "Связь восстановлена редактором")


class MentionsPanelMixin:
    """For ``ArticleAdmin``: the panel's fieldset, read-only field and views.

    People who may change the article get the reject and undo buttons; those
    who may only view it see the same panel without them.
    """

    mentions_fieldset_title = "Упоминания в тексте"
    mentions_fieldset_description = (
        "Что нашёл линкер в сохранённом тексте. Отклонённая сущность больше не будет "
        "связана со статьёй, даже при повторной проверке связей. Кнопки действуют сразу: "
        "несохранённые правки формы при этом пропадут, поэтому сначала сохраните статью."
    )

    class Media:
        css = {"all": ["articles/admin/mentions.css"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets  # nothing is found before the first save
        name = "mentions_panel" if self.has_change_permission(request, obj) else "mentions_view"
        panel = (
            self.mentions_fieldset_title,
            {"fields": [name], "description": self.mentions_fieldset_description},
        )
        return [*fieldsets[:1], panel, *fieldsets[1:]]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "mentions_panel", "mentions_view"]

    @admin.display(description="Упоминания")
    def mentions_panel(self, obj: Article) -> SafeString:
        panel = build_panel(obj)
        panel.actions = True
        panel.reject_url = self._mentions_url("reject_mention", obj)
        panel.restore_url = self._mentions_url("restore_mention", obj)
        return render_panel(panel)

    @admin.display(description="Упоминания")
    def mentions_view(self, obj: Article) -> SafeString:
        return render_panel(build_panel(obj))

    def _mentions_url(self, action: str, obj: Article) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[quote(obj.pk)])

    def get_urls(self):
        opts = self.opts
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/mentions/reject/",
                view(require_POST(self.reject_mention_view)),
                name=f"{opts.app_label}_{opts.model_name}_reject_mention",
            ),
            path(
                "<path:object_id>/mentions/restore/",
                view(require_POST(self.restore_mention_view)),
                name=f"{opts.app_label}_{opts.model_name}_restore_mention",
            ),
            *super().get_urls(),
        ]

    def reject_mention_view(self, request, object_id):
        return self._decide(request, object_id, REJECT)

    def restore_mention_view(self, request, object_id):
        return self._decide(request, object_id, RESTORE)

    @transaction.atomic  # get_object locks the article's row for a POST
    def _decide(
        self, request, object_id: str, decision: Decision
    ) -> HttpResponseRedirect | HttpResponseBadRequest:
        """What removing or adding the link in the form's inline would check and do."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("Нет такой статьи.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        entity = _posted_entity(request.POST.get("entity", ""))
        if entity is None:
            return HttpResponseBadRequest("Не указана сущность.")
        links = kind_of(entity).links._meta
        if not request.user.has_perm(f"{links.app_label}.{decision.permission}_{links.model_name}"):
            raise PermissionDenied
        decision.apply(article=article, entity=entity)
        message = f"{decision.outcome}: {entity} ({kind_of(entity).label})."
        record_change(user=request.user, article=article, message=message)
        messages.success(request, message)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(article.pk)]
        )
        return HttpResponseRedirect(f"{change_url}#mentions")


def _posted_entity(value: str) -> Entity | None:
    """The entity a button names («companies.company:3»); None if it names none."""
    label, _, pk = value.partition(":")
    try:
        model = kind_named(label).model
    except KeyError:
        return None
    if model._meta.label_lower != label or not pk.isdigit():
        return None
    entity = model.objects.filter(pk=int(pk)).first()
    if entity is None:
        raise Http404("Нет такой сущности.")
    return entity
