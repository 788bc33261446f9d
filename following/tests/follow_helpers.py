"""Helpers of the follow-and-confirm tests: the mail as a reader's client reads it."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage
from urllib.parse import urlsplit

from django.core.mail import EmailMultiAlternatives

from following.mail.compose import compose
from following.models import Delivery, Reader

LINK = re.compile(r"https?://[^\s\"'<>]+")


def parsed(delivery: Delivery) -> EmailMessage:
    """The delivery's message as bytes on the wire, parsed back by Python's ``email``."""
    return read_back(compose(delivery))


def read_back(message: EmailMultiAlternatives) -> EmailMessage:
    """A message Django made (``mail.outbox``) as a mail client reads it."""
    raw = message.message().as_bytes()
    return email.message_from_bytes(raw, policy=email.policy.default)


def parts(message: EmailMessage) -> dict[str, str]:
    """Content type → text of each part."""
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if not part.is_multipart()
    }


def links(message: EmailMessage) -> set[str]:
    return {url for text in parts(message).values() for url in LINK.findall(text)}


def confirmation_path(reader: Reader) -> str:
    """The path of the confirm link in the reader's latest confirmation mail."""
    delivery = reader.deliveries.filter(kind=Delivery.Kind.CONFIRM).latest("created_at")
    text = parts(parsed(delivery))["text/plain"]
    (url,) = [url for url in LINK.findall(text) if "/follow/confirm/" in url]
    return urlsplit(url).path
