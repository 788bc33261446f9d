"""Settings for the test suite: the real settings, plus what tests need."""

import os

# Tests run with DEBUG off, like production, so a key must exist.
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from .settings import *  # noqa: F403

# Templates resolve {% static %} without a collectstatic manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files come from the finders; no collectstatic run is needed.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
# Query-count tests measure the views; portal/tests/test_cache.py turns the cache on.
PAGE_CACHE = False
# The inbox's tests fetch feeds from a server on 127.0.0.1, whatever the environment says.
INBOX_ALLOW_PRIVATE_ADDRESSES = True
