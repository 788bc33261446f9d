"""django-csp's middleware with the usual header built once instead of per response.

django-csp builds the Content-Security-Policy string from the settings on every
response, twice (the policy and the report-only one): about 0.2 ms, as much as the
page cache needs to serve a whole page. Most answers use the policy exactly as
configured, with no nonce and no per-view change, so that string is kept and
reused; anything else (a nonce was used, a view's ``csp_update``, ``csp_replace``,
``csp_exempt``, Django's debug pages) goes through django-csp unchanged.
"""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

# What views and decorators set on a response to change or drop its policy.
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        self._built_for: tuple | None = None
        self._headers: tuple[tuple[str, str, tuple[str, ...]], ...] = ()

    def _plain_headers(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """(header, value, excluded path prefixes) for the configured policies."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        # Rebuilt when the settings are replaced (tests override them).
        key = (id(policy), id(report_only))
        if key != self._built_for:
            headers = []
            for header, config, flag in (
                (HEADER, policy, False),
                (HEADER_REPORT_ONLY, report_only, True),
            ):
                value = build_policy(report_only=flag)
                if value:
                    prefixes = tuple((config or {}).get("EXCLUDE_URL_PREFIXES") or ())
                    headers.append((header, value, prefixes))
            self._headers = tuple(headers)
            self._built_for = key
        return self._headers

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        custom = (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in PER_RESPONSE)
            or (settings.DEBUG and response.status_code in {404, 500})
        )
        if custom:
            return super().process_response(request, response)
        for header, value, prefixes in self._plain_headers():
            if header not in response and not request.path_info.startswith(prefixes):
                response[header] = value
        # As django-csp does: a nonce asked for after this point could not be in the header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
