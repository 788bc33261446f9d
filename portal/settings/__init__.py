"""Settings for the portal, read from the environment.

These are the development and default settings (``manage.py``, ``make run``: plain
HTTP on 127.0.0.1). Production adds HTTPS, HSTS, secure cookies and JSON logs on
top of them: ``DJANGO_SETTINGS_MODULE=portal.settings.production``.

DATABASE_URL        default: SQLite in var/portal.sqlite3; postgres://… for PostgreSQL
SECRET_KEY          required unless DEBUG is on (manage.py reads var/secret_key, see there)
DEBUG               "1"/"true" turns debug mode on (off by default)
ALLOWED_HOSTS       comma-separated host names
ADMIN_PATH          where the admin lives, default "admin/"
SESSION_COOKIE_AGE  seconds an editor stays signed in, default 8 hours
AXES_FAILURE_LIMIT  failed admin sign-ins (per user name and address) before a lockout, default 5
AXES_ADDRESS_FAILURE_LIMIT  failed sign-ins from one address, all user names, default 20
AXES_COOLOFF_MINUTES  how long a lockout lasts unless `manage.py axes_reset` lifts it, default 30
CLIENT_IP_HEADER    request header with the visitor's address set by the proxy (X-Real-IP)
DATABASE_REPLICA_URL  a streaming replica of DATABASE_URL: visitors' page reads go there
                    (portal/routers.py), everything else to DATABASE_URL
REDIS_URL           redis://host:6379/0: the cache (pages, content version) shared by all instances
PAGE_CACHE_VERSION_SECONDS, PAGE_CACHE_HOT_MB  with Redis: how long a process trusts the
                    version it was told by pub/sub (default 1), megabytes of pages it keeps (16)
EDGE_CACHE_SECONDS  seconds nginx's micro-cache keeps an anonymous page, default 1 (0: none)
MEDIA_STORAGE       "filesystem" (MEDIA_ROOT, default) or "s3" (AWS_STORAGE_BUCKET_NAME and
                    friends, see below) for uploaded images
LOG_FORMAT          "json" for one JSON object per line, default "plain"
WORKER_PROCESSES    job processes of one worker (manage.py qcluster), default 2 (jobs.py)
INBOX_*             how the inbox fetches its sources: portal/settings/inbox.py
SITE_URL, FOLLOWING_*  readers following by email: portal/settings/following.py
EMAIL_URL, DEFAULT_FROM_EMAIL, FOLLOWING_SEND_RATE and the like  readers' mail, how it is
                    sent and how fast: portal/settings/mail.py (unset: files in var/mail/)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.setting_values import address_failure_limit, admin_path, env_flag, env_list, env_number
from portal.settings.following import *  # noqa: F403
from portal.settings.inbox import *  # noqa: F403
from portal.settings.jobs import Q_CLUSTER  # noqa: F401 (the job runner's, django-q2)
from portal.settings.logconfig import logging_config
from portal.settings.mail import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"


DEBUG = env_flag("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: export SECRET_KEY=<a long random string> "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'); for local "
            "development, `make run` writes one to var/secret_key, which manage.py reads."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "portal.apps.DeskAdminConfig",  # django.contrib.admin, in the desk's order of apps
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "csp",
    "axes",
    "portal.apps.PortalConfig",
    "companies",
    "django_q",
    "inbox",
    "following",
    # Last: its admin gives every admin registered before it the portal's Russian.
    "articles",
]

MIDDLEWARE = [
    # First: a page served from the cache skips everything below (security headers,
    # locale, sessions...), having been stored with the headers they added. It
    # turns its own database and cache errors into an uncached page, so the outage
    # middleware below still sees every error that reaches a response.
    "portal.middleware.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Russian and Asia/Bishkek, activated once instead of looked up per string and date.
    "portal.locale.SiteLocaleMiddleware",
    # The policy header for answers made outside the inner copy below (the 503
    # page); it leaves a header that is already there alone.
    "portal.security.ContentSecurityPolicyMiddleware",
    # A friendly 503 instead of a server error while the database is down.
    "portal.outage.DatabaseOutageMiddleware",
    # Pages rendered for visitors read from the replica when it is up to date; a
    # cached page never gets here. Out of the chain without DATABASE_REPLICA_URL.
    "portal.routers.ReplicaReadsMiddleware",
    # Inside the page cache, so a cached page is stored with the policy header it
    # was rendered with: the nonce in its JSON-LD and in its header stay one.
    "portal.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out sign-in with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Public pages are Jinja2 templates in templates/ (portal/templating.py says why); the
# admin, with its overrides in each app's templates/admin/, uses Django's own.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "portal.templating.environment",
            "context_processors": ["portal.context_processors.site"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The admin's site-wide overrides (its sentences in Russian that reads right,
        # articles/admin/russian.py): a directory here comes before every app's,
        # django.contrib.admin's own included.
        "DIRS": [BASE_DIR / "articles" / "admin" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        # Persistent connections: reconnecting per request costs a lot of throughput.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default database's folder; an in-memory database (`make check`) needs none.
    if Path(DATABASES["default"]["NAME"]).parent == VAR_DIR:
        VAR_DIR.mkdir(exist_ok=True)
    # Concurrent readers next to one writer (gunicorn workers and load_seed).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # A database host that does not answer must not hold workers up: /healthz and
    # the 503 page answer within seconds.
    options["connect_timeout"] = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
    if env_flag("DATABASE_PREPARED_STATEMENTS", default=True):
        # Parameters bound on the server, and a statement run twice on a connection
        # is prepared, so the pages' queries are planned once per (persistent)
        # connection instead of on every request: planning the related articles'
        # query alone takes longer than running it. Turn it off
        # (DATABASE_PREPARED_STATEMENTS=0) behind a pooler in transaction mode that
        # cannot carry prepared statements across connections (PgBouncer < 1.21).
        options.update(server_side_binding=True, prepare_threshold=2)

# A streaming replica (PostgreSQL): visitors' page reads go there when it has
# replayed every commit so far, everything else to the primary (portal/routers.py).
# Without it every query goes to DATABASE_URL.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that does not answer is skipped quickly, not waited for.
        DATABASES["replica"]["OPTIONS"]["connect_timeout"] = 2
    # Tests run against the primary's test database through both aliases.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.routers.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# REDIS_URL (redis://host:6379/0) puts the cache in Redis, shared by every process
# and instance; without it each process has a local-memory cache of its own.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's, reusing its Redis clients (portal/redis_cache.py).
            "BACKEND": "portal.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs must not hold pages up: they are served uncached.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
            # Pages are tens of kilobytes: some 1000 of them per worker at most.
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }
# Whole pages for anonymous visitors (portal/cache.py); PAGE_CACHE=0 turns it off.
PAGE_CACHE = env_flag("PAGE_CACHE", default=True)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# With Redis, per process: the longest it uses the content version pub/sub told it
# before reading it again (portal/version_watch.py; 0: on every hit), and megabytes
# of pages it keeps to serve hits without a round trip (portal/hot_pages.py).
PAGE_CACHE_VERSION_SECONDS = env_number("PAGE_CACHE_VERSION_SECONDS", "1")
PAGE_CACHE_HOT_MB = env_number("PAGE_CACHE_HOT_MB", "16")
# What browsers and proxies may keep an anonymous page without asking again.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))
# How long nginx's micro-cache in front (deploy/nginx-portal.conf) keeps an
# anonymous page, in whole seconds of its clock (portal/edge.py); 0: not at all.
EDGE_CACHE_SECONDS = int(os.environ.get("EDGE_CACHE_SECONDS", "1"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts --------------------------------------------------------------------


# A path of its own keeps the admin's login page away from scripts that try /admin/.
ADMIN_PATH = admin_path(os.environ.get("ADMIN_PATH", "admin"))

# Editors sign in for a working day at most, and again after closing the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# django-axes: failed admin sign-ins are counted per user name and address
# together, so one guessing address cannot lock an editor out everywhere; and per
# address alone, with a higher limit, so one address cannot try many user names
# (portal/lockout.py says why a handler of our own). A lockout ends after the
# cool-off, or at once with `manage.py axes_reset` (see README).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "portal.lockout.AddressLimitHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = address_failure_limit(
    os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"), pair_limit=AXES_FAILURE_LIMIT
)
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout explained in the admin's own look (answered with 429).
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.client_ip"
# No banner in the log at every start of every command.
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address; the proxy
# puts the visitor's in a header of its own (nginx: proxy_set_header X-Real-IP
# $remote_addr). Only name a header the proxy always overwrites.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Security headers --------------------------------------------------------------
# Stated here (these are Django's defaults too) so `check --deploy` and the tests
# see them on purpose; HTTPS-only settings live in portal/settings/production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp, header kept by portal/security.py). Pages
# use only the site's own files: no inline script or style anywhere. JSON-LD is a
# data block, which browsers neither run nor check against the policy; a template
# that needs an inline script gives it nonce="{{ request.csp_nonce }}". The admin
# works under the same policy: Django's admin has no inline scripts or styles either.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "ru"
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
USE_TZ = True
# Russian date formats where Django's own read wrong («16 августа», not «16 Август»).
FORMAT_MODULE_PATH = ["portal.formats"]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded media are served by the app itself unless a web server in front does it.
# An object store (MEDIA_STORAGE=s3) serves its files itself.
SERVE_MEDIA = env_flag(
    "SERVE_MEDIA", default=os.environ.get("MEDIA_STORAGE", "").strip().lower() != "s3"
)
# Image uploads are limited to 10 MB by articles.images.validate_image_upload; the
# reverse proxy should cap request bodies too (nginx: client_max_body_size 12m).

STATIC_URL = "/static/"
# Where collectstatic puts the files whitenoise serves (and their manifest).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded images go through Django's storage API, so every instance sees the same
# files: a folder they share (MEDIA_ROOT, the default), or an S3-compatible object
# store (MEDIA_STORAGE=s3, django-storages) with AWS_STORAGE_BUCKET_NAME and,
# optionally, AWS_S3_ENDPOINT_URL (MinIO, Ceph, other providers), AWS_S3_REGION_NAME
# and AWS_S3_CUSTOM_DOMAIN (a CDN or public host name for the files' addresses);
# credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as boto3 reads them.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem").strip().lower()


def media_storage(kind: str) -> dict:
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "s3":
        bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
        if not bucket:
            raise ImproperlyConfigured(
                "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME (and AWS_ACCESS_KEY_ID, "
                "AWS_SECRET_ACCESS_KEY; AWS_S3_ENDPOINT_URL for a store other than AWS)"
            )
        options = {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Images are public: plain addresses, which the page cache can keep.
            "querystring_auth": False,
            # Never replace a file under an existing name: pages may still show it.
            "file_overwrite": False,
        }
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(f'MEDIA_STORAGE={kind!r}: use "filesystem" or "s3"')


STORAGES = {
    "default": media_storage(MEDIA_STORAGE),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TAGGIT_CASE_INSENSITIVE = True

SITE_NAME = "Промышленность Центральной Азии"

LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f'LOG_FORMAT={LOG_FORMAT!r}: use "plain" or "json"')

LOGGING = logging_config(LOG_FORMAT)
