"""Entity pages: a list and a detail page per kind, from ``companies.kinds``."""

from django.urls import path

from . import views
from .kinds import KINDS

app_name = "companies"

# Per kind: /companies/ and /companies/<slug>/ (names company_list and company), and so on.
urlpatterns = [
    route
    for kind in KINDS
    for route in (
        path(
            f"{kind.path}/",
            views.EntityListView.as_view(kind=kind),
            name=f"{kind.url_name}_list",
        ),
        path(
            f"{kind.path}/<slug:slug>/",
            views.EntityDetailView.as_view(kind=kind),
            name=kind.url_name,
        ),
    )
]
