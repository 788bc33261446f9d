"""The Jinja2 environment of the public pages (``templates/``).

Jinja2 compiles each template to Python code once, so printing a value costs a
function call instead of the Django template language's lookup machinery; the
public pages spend most of their time printing values. The admin keeps Django's
own templates (the second engine in ``TEMPLATES``).

Templates get what Django templates would: ``url()`` and ``static()``, the
``_()`` and ``gettext()`` calls of Django's translation machinery, and the few
filters the pages use, spelt like Django's.
"""

import datetime as dt
import json
from functools import lru_cache
from types import SimpleNamespace

from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from jinja2 import Environment

# Inside <script> the HTML parser ends the element at the first "</script",
# whatever JSON string it sits in, and "<!--" changes how it looks for that end;
# "&" goes too, as in Django's json_script, so an XHTML parser reads no entities.
# JSON may spell any character as \uXXXX, so the data means the same.
_SCRIPT_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def jsonld(value) -> SafeString:
    """``value`` (a dict) as a ``<script type="application/ld+json">`` element."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Safe: nothing in the data can close the element or open markup.
    for character, escape in _SCRIPT_ESCAPES:
        data = data.replace(character, escape)
    return mark_safe(f'<script type="application/ld+json">{data}</script>')


def date(value: dt.date | dt.datetime | None, format_string: str) -> str:
    """Django's ``date`` filter: ``format_string`` as in Django's date formats, the
    time in the current time zone."""
    if value is None:
        return ""
    return _formatted_date(
        value, format_string, timezone.get_current_timezone_name(), translation.get_language()
    )


# Pages print the same few dates in the same few formats over and over, and
# Django's formatting (month names, time zones) is slow next to a dict lookup.
@lru_cache(maxsize=4096)
def _formatted_date(value, format_string: str, zone: str, language: str) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, format_string)


@lru_cache(maxsize=2048)
def _translated(language: str, message: str) -> str:
    return translation.gettext(message)


# What the i18n extension calls for _() and gettext(): Django's catalogs, each
# message looked up once per language.
_translations = SimpleNamespace(
    gettext=lambda message: _translated(translation.get_language(), message),
    ngettext=translation.ngettext,
    pgettext=translation.pgettext,
    npgettext=translation.npgettext,
)


def truncatechars(value: str, length: int) -> str:
    return Truncator(value).chars(length)


def truncatewords(value: str, length: int) -> str:
    return Truncator(value).words(length, truncate=" …")


def plural_ru(number: int, forms: str) -> str:
    """«1 публикация», «3 публикации», «5 публикаций»: forms for 1, 2–4 and 5+."""
    one, few, many = forms.split(",")
    n = abs(int(number))
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{number} {word}"


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_translations(_translations, newstyle=True)
    env.globals.update(url=url, static=static)
    env.filters.update(
        date=date,
        jsonld=jsonld,
        plural_ru=plural_ru,
        truncatechars=truncatechars,
        truncatewords=truncatewords,
    )
    return env
