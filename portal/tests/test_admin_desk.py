"""The admin reads as the newsroom's desk: the portal's name in the header, the apps
an editor works in first (the inbox, then the articles, then the catalog)."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.test import RequestFactory

from portal.admin_site import DESK_APP_ORDER, DeskAdminSite

APP_BOX = r'<div class="app-([a-z0-9_]+) module'


def desk_order_of(django_order: list[str]) -> list[str]:
    """What the desk should show for apps Django would list in ``django_order``."""
    first = [label for label in DESK_APP_ORDER if label in django_order]
    return first + [label for label in django_order if label not in DESK_APP_ORDER]


@pytest.fixture
def django_order(admin_user) -> list[str]:
    """The apps as Django's own site lists them to this user (alphabetically by name)."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    return [app["app_label"] for app in AdminSite.get_app_list(admin.site, request)]


def test_the_admin_site_is_the_desk():
    assert isinstance(admin.site._wrapped, DeskAdminSite)


def test_the_index_lists_the_desks_apps_first(admin_client, django_order):
    page = admin_client.get("/admin/").content.decode()
    labels = re.findall(APP_BOX, page[page.index('id="content-main"') :])
    assert {"articles", "companies", "auth", "axes"} <= set(labels)
    assert labels == desk_order_of(django_order)
    assert labels.index("articles") < labels.index("companies") < labels.index("auth")
    # Django's own order would put the catalog («Справочник отрасли») after the rest.
    assert django_order != labels


def test_the_side_menu_follows_the_same_order(admin_client, django_order):
    page = admin_client.get("/admin/articles/article/").content.decode()
    labels = re.findall(APP_BOX, page[page.index('id="nav-sidebar"') :])
    assert labels == desk_order_of(django_order)


def test_the_inbox_comes_first_and_absent_apps_are_skipped(monkeypatch, admin_user):
    # As Django would list them, alphabetically by their Russian names.
    listed = ["auth", "inbox", "axes", "taggit", "articles"]
    monkeypatch.setattr(
        AdminSite,
        "get_app_list",
        lambda site, request, app_label=None: [{"app_label": label} for label in listed],
    )
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    ordered = [app["app_label"] for app in DeskAdminSite().get_app_list(request)]
    assert ordered == ["inbox", "articles", "auth", "axes", "taggit"]


def test_the_header_and_title_carry_the_portals_name(admin_client, settings):
    page = re.sub(r">\s+<", "><", admin_client.get("/admin/").content.decode())
    assert f'<div id="site-name"><a href="/admin/">{settings.SITE_NAME}</a></div>' in page
    assert re.search(rf"<title>[^<]*\| {re.escape(settings.SITE_NAME)}</title>", page)
