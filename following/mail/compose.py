"""A delivery record made into an email message, whatever its kind.

Each kind's text lives in its own module; this one adds what every message
carries (sender, recipient, the one-click unsubscribe headers).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from ..models import Delivery
from . import confirm_message, digest_message
from .links import list_headers

# kind -> function(delivery) -> (subject, text, html)
RENDERERS = {
    Delivery.Kind.CONFIRM: confirm_message.render,
    Delivery.Kind.INSTANT: digest_message.render,
    Delivery.Kind.DAILY: digest_message.render,
    Delivery.Kind.WEEKLY: digest_message.render,
}


def compose(delivery: Delivery, *, connection=None) -> EmailMultiAlternatives:
    subject, text, html = RENDERERS[delivery.kind](delivery)
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
