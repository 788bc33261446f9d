"""Production settings: DJANGO_SETTINGS_MODULE=portal.settings.production.

The development settings (``portal/settings/__init__.py``) plus HTTPS only,
secure cookies, HSTS and JSON logs. ``manage.py check --deploy`` is clean with them.

Required:
SECRET_KEY      a long random string: 50 characters at least, not the placeholder of
                deploy/portal.env.example (refused otherwise, with the command that
                makes one)
ALLOWED_HOSTS   comma-separated host names the site answers to
DATABASE_URL    postgres://user:password@host:5432/name
EMAIL_URL       the mail server for readers' mail, smtp://user:password@host:587/?tls=True
                (portal/settings/mail.py; DEFAULT_FROM_EMAIL and SITE_URL go with it)

Optional:
SECURE_PROXY_SSL_HEADER  the header by which the TLS-terminating proxy says the
                visitor came over HTTPS, as NAME or NAME=VALUE (VALUE defaults to
                "https"): X-Forwarded-Proto with nginx's proxy_set_header
                X-Forwarded-Proto $scheme. Only name a header the proxy always sets
                (overwriting what the client sent). Not needed when gunicorn runs on
                the proxy's machine: it trusts X-Forwarded-Proto from 127.0.0.1 itself.
SECURE_SSL_REDIRECT      "0" leaves the HTTP→HTTPS redirect to the proxy (default on)
SECURE_HSTS_SECONDS      default one year; SECURE_HSTS_INCLUDE_SUBDOMAINS and
SECURE_HSTS_PRELOAD      (both on) commit every subdomain to HTTPS: switch them off
                         with "0" if a subdomain must stay on plain HTTP.
CSRF_TRUSTED_ORIGINS     comma-separated https://… origins, when forms are posted
                         from another host name than the one served
LOG_FORMAT               "json" (default here) or "plain"
SERVE_MEDIA              off by default here: nginx serves /media/ (deploy/nginx-portal.conf);
                         "1" lets the app serve uploads itself
INBOX_ALLOW_PRIVATE_ADDRESSES  off by default here: the inbox fetches public addresses only
INBOX_FOLDER_ROOTS       none by default here: folder sources are refused until it
                         names the folders they may be in
"""

import os

from django.core.exceptions import ImproperlyConfigured

from portal.setting_values import example_value, production_secret_key
from portal.settings.inbox import folder_roots

from . import *  # noqa: F403
from . import CONTENT_SECURITY_POLICY, STORAGES, env_flag, env_list, logging_config

missing = [
    name for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL") if not os.environ.get(name)
]
if missing:
    raise ImproperlyConfigured(
        f"Production settings need {', '.join(missing)} in the environment "
        "(see the Deployment section of README.md)."
    )

# Long, random, not the example's placeholder (portal/setting_values.py).
SECRET_KEY = production_secret_key(
    os.environ["SECRET_KEY"], placeholder=example_value("SECRET_KEY")
)
# Readers' mail goes to a real server: without one, messages would pile up in var/mail/
# unseen (portal/settings/mail.py).
if not os.environ.get("EMAIL_URL", "").strip():
    raise ImproperlyConfigured(
        "Production settings need EMAIL_URL, the mail server readers' messages go through: "
        "EMAIL_URL=smtp://user:password@smtp.example.org:587/?tls=True (README.md, "
        "Following by email)"
    )
# Whatever the environment says: a traceback must never reach a visitor.
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# The web server in front serves uploads (deploy/nginx-portal.conf). Django's own
# serve view, which SERVE_MEDIA=1 mounts, is meant for development only: it ties up
# a worker per file and Django's documentation calls it unfit for production.
SERVE_MEDIA = env_flag("SERVE_MEDIA", default=False)
# A source's address never reaches the servers behind the firewall (metadata
# services, databases, the admin): the inbox fetches public addresses only.
INBOX_ALLOW_PRIVATE_ADDRESSES = env_flag("INBOX_ALLOW_PRIVATE_ADDRESSES", default=False)
INBOX_FOLDER_ROOTS = folder_roots("")


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``X-Forwarded-Proto[=https]`` → ("HTTP_X_FORWARDED_PROTO", "https")."""
    if not value.strip():
        return None
    name, _, expected = value.partition("=")
    name = name.strip()
    if not name.replace("-", "").replace("_", "").isalnum():
        raise ImproperlyConfigured(
            f"SECURE_PROXY_SSL_HEADER={value!r}: give a header name, optionally with the "
            "value meaning HTTPS, for example SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto=https"
        )
    return "HTTP_" + name.upper().replace("-", "_"), expected.strip() or "https"


SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=True)
# A load balancer may check health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {**CONTENT_SECURITY_POLICY["DIRECTIVES"], "upgrade-insecure-requests": True}
}

LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f'LOG_FORMAT={LOG_FORMAT!r}: use "plain" or "json"')
# Standard output, where gunicorn writes its access log too (deploy/gunicorn.conf.py).
LOGGING = logging_config(LOG_FORMAT, stream="stdout")
