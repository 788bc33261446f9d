"""The newsroom's admin: articles, the entity catalog and suggested entities."""

from . import articles, entities, suggestions  # noqa: F401  (registers the admins)
