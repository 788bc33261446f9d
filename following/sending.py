"""Sending the queued messages (a first, plain version: one try each)."""

from __future__ import annotations

from django.core.mail import get_connection
from django.utils import timezone

from .mail.compose import compose
from .models import Delivery


def send_due(*, limit: int = 100) -> int:
    """Send up to ``limit`` due messages; how many went out."""
    now = timezone.now()
    deliveries = list(Delivery.objects.due(now=now).select_related("reader")[:limit])
    sent = 0
    with get_connection() as connection:
        for delivery in deliveries:
            compose(delivery, connection=connection).send()
            delivery.status, delivery.sent_at = Delivery.Status.SENT, timezone.now()
            delivery.attempts += 1
            delivery.save(update_fields=["status", "sent_at", "attempts"])
            sent += 1
    return sent
