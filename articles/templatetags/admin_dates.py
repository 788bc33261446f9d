"""The article list's date drill-down, without reading every article for its years.

Django's drill-down starts by finding the first and last date of the list and
then every year that has articles: at 100,000 articles two reads of the whole
list (or of every match of a filter), on each list view. Here the years offered
are those from the archive's first to its last article, two index look-ups; once
a year is chosen, Django's own drill-down lists its months and days.
"""

from django import template
from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.db.models import Max, Min
from django.utils import timezone

register = template.Library()


def archive_date_hierarchy(cl) -> dict:
    field = cl.date_hierarchy
    if any(key.startswith(f"{field}__") for key in cl.params):
        return date_hierarchy(cl)  # within a year, month or day: Django's own
    span = cl.model._default_manager.aggregate(first=Min(field), last=Max(field))
    if span["first"] is None:
        return {"show": False}
    first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
    year_field = f"{field}__year"
    return {
        "show": True,
        "back": None,
        "choices": [
            {
                "link": cl.get_query_string({year_field: str(year)}, [f"{field}__"]),
                "title": str(year),
            }
            for year in range(first, last + 1)
        ],
    }


@register.tag(name="archive_date_hierarchy")
def archive_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=archive_date_hierarchy,
        template_name="date_hierarchy.html",
        takes_context=False,
    )
