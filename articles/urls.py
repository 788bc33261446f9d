from django.urls import path

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
    # Entity feeds live here because articles may import companies, not the reverse.
    path("companies/<slug:slug>/feed/", feeds.CompanyFeed(), name="company_feed"),
    path("models/<slug:slug>/feed/", feeds.VehicleModelFeed(), name="vehicle_model_feed"),
    path("officials/<slug:slug>/feed/", feeds.OfficialFeed(), name="official_feed"),
    path("countries/<slug:slug>/feed/", feeds.CountryFeed(), name="country_feed"),
]
