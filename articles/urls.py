"""The articles app's public addresses: pages, feeds, search and the ninjs view."""

from django.urls import path

from companies.kinds import KINDS

from . import feeds, views
from .ninjs import article_ninjs
from .search.views import search

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArchiveView.as_view(), name="archive"),
    path("news/<slug:slug>.json", article_ninjs, name="ninjs"),
    path("news/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("tags/<slug:slug>/", views.TagView.as_view(), name="tag"),
    path("tags/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("search/", search, name="search"),
    path("feeds/news.xml", feeds.LatestArticlesFeed(), name="feed"),
    # Entity feeds live here because articles may import companies, not the reverse:
    # /companies/<slug>/feed/ named company_feed, and so on for every kind.
    *(
        path(f"{kind.path}/<slug:slug>/feed/", feeds.EntityFeed(kind), name=f"{kind.url_name}_feed")
        for kind in KINDS
    ),
]
