"""The root URLs: the admin, crawlers' files, the health check, the sitemaps, and
the apps' URL modules (named by string, so the core imports no app)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from . import views
from .cachekeys import reads_query
from .sitemaps import SECTIONS
from .view_on_site import view_on_site


def sitemap_page(value: str) -> str | None:
    """Django's sitemap view reads ``?p=`` with ``int()``: «1», «01» and « 1 » are one page."""
    try:
        number = int(value)
    except ValueError:
        return value  # no page: 404, never cached
    return None if number == 1 else str(number)


urlpatterns = [
    # Before the admin's own route of that address, which it replaces: the
    # redirect answers only for objects the user may view in the admin.
    path(
        f"{settings.ADMIN_PATH}r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
    ),
    # ADMIN_PATH moves the admin away from where scripts look for it.
    path(settings.ADMIN_PATH, admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", views.favicon),
    path("ok", views.ok, name="ok"),
    # An index of the sections the apps register (portal/sitemaps.py); a large
    # section is split into pages (its sitemap's ``limit``).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SECTIONS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        reads_query(p=sitemap_page)(sitemap_views.sitemap),
        {"sitemaps": SECTIONS},
        name="sitemap-section",
    ),
    # /news-sitemap.xml (named news-sitemap), outside the articles namespace.
    path("", include("articles.sitemaps")),
    path("", include("articles.urls")),
    path("", include("companies.urls")),
    path("", include("following.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
