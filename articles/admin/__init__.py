"""The newsroom's admin: articles, tags, the entity catalog and suggested entities."""

from . import articles, entities, suggestions, tags  # noqa: F401  (registers the admins)
