"""Search-engine metadata for templates: ``{% load seo %}``."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Inside <script> the HTML parser ends the element at the first "</script",
# whatever JSON string it sits in, and "<!--" changes how it looks for that end;
# "&" goes too, as in Django's json_script, so an XHTML parser reads no entities.
# JSON may spell any character as \uXXXX, so the data means the same.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.filter
def jsonld(value) -> SafeString:
    """``value`` (a dict) as a ``<script type="application/ld+json">`` element."""
    data = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Safe: nothing in the data can close the element or open markup.
    return mark_safe(
        f'<script type="application/ld+json">{data.translate(_SCRIPT_ESCAPES)}</script>'
    )
