"""The article list's rows: ranked when searched, their columns' figures for one page.

The list's columns count each row's links (four subqueries a row). A page far
into the list (``?p=50``) would count them for every row it skips as well, so
the page's rows are chosen first, by id, and only they are read with their
figures (``RowsOfPagePaginator``).
"""

from __future__ import annotations

from django.contrib.admin import helpers
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext

from .search import RANK, RANK_ON_REQUEST, RANKED_ORDER


class RowsOfPagePaginator(Paginator):
    """Pages whose rows are picked by id before they are read in full."""

    def page(self, number):
        page = super().page(number)
        if isinstance(page.object_list, QuerySet):
            ids = list(page.object_list.values_list("pk", flat=True))
            page.object_list = self.object_list.filter(pk__in=ids)  # the same order
        return page


class ArticleChangeList(ChangeList):
    """The article list: its columns' figures for the shown page, and search
    results best first unless the editor sorts by a column."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        rank = getattr(request, RANK_ON_REQUEST, None)
        if rank is not None:
            if RANK not in queryset.query.annotations:
                # A filter across a many-to-many relation made the list drop its
                # duplicate rows (an EXISTS over the filtered list), and the rank with them.
                queryset = queryset.annotate(**{RANK: rank})
            if ORDER_VAR not in self.params:
                queryset = queryset.order_by(*RANKED_ORDER)
        return self.model_admin.with_list_columns(queryset)


class PlainActionCheckbox:
    """For a ModelAdmin: each row's action checkbox written out directly.

    Django renders it through the form widget templates, about a millisecond a
    row on this machine: a tenth of a second for a list of a hundred.
    """

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
