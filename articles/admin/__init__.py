"""The newsroom's admin: articles, tags, the entity catalog and suggested entities."""

from django.contrib import admin

from . import articles, entities, suggestions, tags  # noqa: F401  (registers the admins)
from .russian import speak_russian

# Last, once every app's admin is registered (this app is the last installed).
speak_russian(admin.site)
