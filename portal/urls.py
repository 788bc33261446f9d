from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from . import views
from .sitemaps import SITEMAPS, news_sitemap

urlpatterns = [
    # ADMIN_PATH moves the admin away from where scripts look for it.
    path(settings.ADMIN_PATH, admin.site.urls),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", views.favicon),
    path("ok", views.ok, name="ok"),
    # An index of sections; the articles section is split into pages (ArticleSitemap.limit).
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", news_sitemap, name="news-sitemap"),
    path("", include("articles.urls")),
    path("", include("companies.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )
