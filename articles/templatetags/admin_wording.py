"""Template tags for the admin's template overrides: a model's noun in the case a
sentence needs, and history entries in words that agree (``articles/admin/russian.py``)."""

from django import template
from django.db.models.options import Options

from ..admin.russian import PHRASES, change_message
from ..admin.wording import noun_for

register = template.Library()


@register.simple_tag
def russian(opts: Options, phrase: str, n: int | None = None) -> str:
    """``{% russian opts "count" 137 %}`` → «137 статей»; the phrases are ``PHRASES``."""
    return PHRASES[phrase](noun_for(opts), n)


@register.simple_tag
def history_message(entry) -> str:
    """``{% history_message action %}``: what a history entry (``LogEntry``) changed."""
    return change_message(entry)
