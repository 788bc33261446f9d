"""Absolute links in mail (mail has no request to build them from)."""

from django.conf import settings
from django.urls import reverse

from ..models import Reader
from ..tokens import manage_token


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def manage_url(reader: Reader) -> str:
    return absolute(reverse("following:manage", args=[manage_token(reader)]))


def unsubscribe_url(reader: Reader) -> str:
    return absolute(reverse("following:unsubscribe", args=[manage_token(reader)]))


def list_headers(reader: Reader) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers: the mail client's one-click «unsubscribe»."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(reader)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
