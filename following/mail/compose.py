"""A delivery record made into an email message, whatever its kind.

Each kind's text lives in its own module; this one adds what every message
carries (sender, recipient, the one-click unsubscribe headers).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from ..models import Delivery
from . import confirm_message, digest_message
from .links import list_headers

log = logging.getLogger(__name__)
digest_render = digest_message.render

# kind -> function(delivery) -> (subject, text, html)
RENDERERS = {
    Delivery.Kind.CONFIRM: confirm_message.render,
    Delivery.Kind.INSTANT: digest_render,
    Delivery.Kind.DAILY: digest_render,
    Delivery.Kind.WEEKLY: digest_render,
}


def render_batch(deliveries: list[Delivery]) -> dict[int, tuple[str, str, str]]:
    """The alerts' and digests' parts of a batch, rendered together (their articles and
    names loaded once: ``digest_message.render_many``), by record id. Empty when the
    batch cannot be rendered together: each message is then composed, and fails, alone."""
    digests = [delivery for delivery in deliveries if RENDERERS[delivery.kind] is digest_render]
    if not digests:
        return {}
    try:
        parts = digest_message.render_many(digests)
    except Exception:
        log.exception("a batch of %d messages not rendered together", len(digests))
        return {}
    return {delivery.pk: rendered for delivery, rendered in zip(digests, parts, strict=True)}


def compose(delivery: Delivery, *, connection=None, rendered=None) -> EmailMultiAlternatives:
    """The message of ``delivery``; ``rendered``, its parts if ``render_batch`` made them."""
    subject, text, html = rendered or RENDERERS[delivery.kind](delivery)
    headers = {} if delivery.kind == Delivery.Kind.CONFIRM else list_headers(delivery.reader)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.reader.email],
        headers=headers,
        connection=connection,
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message
