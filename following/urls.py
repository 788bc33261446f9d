"""The reader's pages: follow, confirm, manage, unsubscribe (one click)."""

from django.urls import path

from . import views

app_name = "following"

urlpatterns = [
    # Before «follow»'s pattern, which would take «confirm» for a kind and the token
    # for a slug.
    path("follow/confirm/<str:token>/", views.confirm, name="confirm"),
    path("follow/manage/<str:token>/", views.manage, name="manage"),
    path("follow/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # <kind> is a ``TargetKind`` value (the catalog's kind keys, or «tags»).
    path("follow/<str:kind>/<str:slug>/", views.follow, name="follow"),
]
