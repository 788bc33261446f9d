"""The newsroom's admin: articles (articles.py) and suggested entities (suggestions.py)."""

from . import articles, suggestions  # noqa: F401  (registers the admins)
