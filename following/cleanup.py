"""Forgetting what was never confirmed: the address typed by someone else stays no longer
than its confirmation link works (``FOLLOWING_CONFIRM_DAYS``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction

from .models import ConfirmationRequest, Reader, Subscription

logger = logging.getLogger(__name__)

# The confirmation limits count the requests of the last hour (``signup.py``); older
# ones count for nothing and are deleted.
LIMIT_WINDOW = dt.timedelta(hours=1)


def remove_unconfirmed(*, now: dt.datetime) -> int:
    """Delete readers still unconfirmed after ``FOLLOWING_CONFIRM_DAYS`` (with all they
    had), unconfirmed subscriptions as old, and the limits' requests older than their
    hour; how many readers and subscriptions went."""
    cutoff = now - dt.timedelta(days=settings.FOLLOWING_CONFIRM_DAYS)
    with transaction.atomic():
        # Counted per model: a reader's delete also takes its subscriptions and mail.
        _, gone = Reader.objects.unconfirmed().filter(created_at__lt=cutoff).delete()
        readers_gone = gone.get(Reader._meta.label, 0)
        _, gone = Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=cutoff
        ).delete()
        subscriptions = gone.get(Subscription._meta.label, 0)
        ConfirmationRequest.objects.filter(created_at__lt=now - LIMIT_WINDOW).delete()
    removed = readers_gone + subscriptions
    if removed:
        logger.info(
            "Removed %d unconfirmed reader(s) and %d unconfirmed subscription(s)",
            readers_gone,
            subscriptions,
        )
    return removed
