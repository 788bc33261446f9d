"""Re-linking articles after an editor changed the catalog, and saying so.

The catalog's admin and the accepting of suggestions call
``relink_when_committed`` after a save: once the change is committed, the
articles that name the entity are re-linked (``articles.catalog_changes``) and
the editor reads how many in the message after saving.
"""

import logging

from django.contrib import messages
from django.db import transaction

from companies.models import Entity

from ..catalog_changes import EMPTY, Footprint, RelinkReport, relink_for_entity

logger = logging.getLogger(__name__)

RELINK_HINT = (
    "Остальные перепроверит действие «Перепроверить связи с сущностями» в списке статей "
    "или команда manage.py relink."
)


def relink_when_committed(request, *, entity: Entity, before: Footprint = EMPTY) -> None:
    """Re-link the articles naming ``entity`` (or naming it ``before`` the change)
    right after the current transaction commits, with a message for the editor."""

    def relink() -> None:
        try:
            report = relink_for_entity(entity=entity, before=before)
        except Exception:
            # The editor's save is committed by now: a failure here must not
            # turn it into an error page, only leave the links to a later run.
            logger.exception("re-linking after a change to %r failed", entity)
            messages.warning(request, f"Связи статей перепроверить не удалось. {RELINK_HINT}")
            return
        messages.info(request, relink_message(report))

    transaction.on_commit(relink)


def relink_message(report: RelinkReport) -> str:
    if not report.relinked:
        return "Статей с этими названиями нет: перепроверять связи не пришлось."
    message = f"Связи перепроверены в статьях, где встречаются эти названия: {report.relinked}"
    if report.changed:
        message += f", из них изменились в {report.changed}."
    else:
        message += ". Ни одна связь не изменилась."
    if report.more:
        message += f" Таких статей больше, перепроверены самые новые. {RELINK_HINT}"
    return message
