"""The article's history («История»): who changed what and when, by any route.

Django's admin writes the entry for a save through the change form. Every
other way an editor changes an article (the list's actions, the mentions
panel's buttons) writes its entry through ``record_changes``, with a message in
words that names what changed, so the history page reads the same whatever
the route.
"""

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.formats import date_format

from companies.kinds import kind_of
from companies.models import Entity

from ..models import Article
from ..publishing import StatusChange

FROM_LIST = "действие в списке статей"


def record_changes(*, user, changes: Iterable[tuple[Article, str]]) -> list[LogEntry]:
    """One history entry per (article, message), by ``user``, now; one insert."""
    content_type = ContentType.objects.get_for_model(Article)
    entries = [
        LogEntry(
            user_id=user.pk,
            content_type=content_type,
            object_id=str(article.pk),
            object_repr=str(article)[:200],
            action_flag=CHANGE,
            change_message=message,
        )
        for article, message in changes
    ]
    return LogEntry.objects.bulk_create(entries)


def record_change(*, user, article: Article, message: str) -> LogEntry:
    """The history entry for one change of one article."""
    return record_changes(user=user, changes=[(article, message)])[0]


def moment(value: dt.datetime) -> str:
    """A date and time as editors read them, in the site's time zone."""
    return date_format(timezone.localtime(value), "j E Y, H:i")


def _status_label(value: str) -> str:
    return str(Article.Status(value).label)


def record_status_changes(*, user, changes: Sequence[StatusChange]) -> list[LogEntry]:
    """The entries for articles the list published or unpublished."""
    return record_changes(user=user, changes=[(c.article, status_message(c)) for c in changes])


def status_message(change: StatusChange) -> str:
    if change.article.status == Article.Status.PUBLISHED:
        return published_message(change)
    return unpublished_message(change)


def published_message(change: StatusChange) -> str:
    article = change.article
    return (
        f"Опубликовано ({FROM_LIST}): статус «{_status_label(change.old_status)}» → "
        f"«{_status_label(article.status)}»; дата публикации "
        f"{moment(change.old_published_at)} → {moment(article.published_at)}."
    )


def unpublished_message(change: StatusChange) -> str:
    return (
        f"Снято с публикации ({FROM_LIST}): статус «{_status_label(change.old_status)}» → "
        f"«{_status_label(change.article.status)}»."
    )


def tag_added_message(tag_name: str) -> str:
    return f"Добавлен тег «{tag_name}» ({FROM_LIST})."


def _entities(entities: Sequence[Entity]) -> str:
    return ", ".join(f"{entity} ({kind_of(entity).label})" for entity in entities)


def relinked_message(*, added: Sequence[Entity], removed: Sequence[Entity]) -> str:
    parts = []
    if added:
        parts.append(f"связаны {_entities(added)}")
    if removed:
        parts.append(f"сняты связи с {_entities(removed)}")
    return f"Связи перепроверены ({FROM_LIST}): {'; '.join(parts)}."


def with_changed_field(message: list, label: str) -> list:
    """Django's change message (``construct_change_message``) also naming ``label``."""
    for part in message:
        changed = part.get("changed", {})
        if "fields" in changed and "name" not in changed:  # the article's own fields
            if label not in changed["fields"]:
                changed["fields"].append(label)
            return message
    return [{"changed": {"fields": [label]}}, *message]
