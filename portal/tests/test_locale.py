"""Every request runs with the site's language and time zone active."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone, translation


def active(request):
    zone = timezone.get_current_timezone_name()
    return HttpResponse(f"{translation.get_language()} {zone}")


urlpatterns = [path("active/", active)]


@pytest.mark.urls("portal.tests.test_locale")
def test_requests_run_in_russian_and_bishkek_time_and_leave_the_rest_alone(client):
    # Whatever a caller had active (here English and UTC), the page is rendered in
    # the site's language and zone, and the caller's come back afterwards.
    with translation.override("en"), timezone.override(dt.UTC):
        assert client.get("/active/").content.decode() == "ru Asia/Bishkek"
        assert translation.get_language() == "en"
        assert timezone.get_current_timezone_name() == "UTC"
