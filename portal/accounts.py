"""The visitor's address for django-axes, which counts failed sign-ins per address.

Behind a reverse proxy ``REMOTE_ADDR`` is the proxy's own address for everyone, so
one locked-out pair would lock out every visitor with that user name. The proxy
passes the real address in a header it sets itself (``CLIENT_IP_HEADER``, nginx:
``proxy_set_header X-Real-IP $remote_addr``). A header the proxy merely appends to,
such as ``X-Forwarded-For``, must not be named: its first entries come from the
client and could be anything.
"""

from django.conf import settings
from django.http import HttpRequest


def meta_key(header: str) -> str:
    """``X-Real-IP`` → ``HTTP_X_REAL_IP``, the name WSGI gives the header."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def client_ip(request: HttpRequest) -> str | None:
    header = settings.CLIENT_IP_HEADER
    if header:
        value = request.META.get(meta_key(header), "").strip()
        if value:
            return value
    return request.META.get("REMOTE_ADDR")
