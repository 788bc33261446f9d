"""The site's one language and time zone, active for every request.

Django falls back to ``LANGUAGE_CODE`` and ``TIME_ZONE`` when a request has
activated neither, but it finds that out anew on every lookup, and pages look
them up for every date and every translated string. The site is in Russian
only, so there is nothing to negotiate: they are activated once per request.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone, translation


class SiteLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
            return self.get_response(request)
