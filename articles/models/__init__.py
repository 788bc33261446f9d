"""The articles app's models: articles and tags, their links to the catalog,
and suggested entities. Django finds them here; import them from here too."""

from .article import (
    MENTION_IN_BODY,
    MENTION_IN_HEADLINE,
    MENTION_IN_LEAD,
    SUBHEADING_PREFIX,
    Article,
    ArticleQuerySet,
    Block,
    TaggedArticle,
)
from .entity_links import (
    ArticleCompany,
    ArticleCountry,
    ArticleLink,
    ArticleOfficial,
    ArticleVehicleModel,
    LinkOrigin,
    RejectedLink,
)
from .figures import DailyTagUses
from .suggestions import EntitySuggestion, SuggestionOccurrence
from .tags import Tag, tag_key

__all__ = [
    "MENTION_IN_BODY",
    "MENTION_IN_HEADLINE",
    "MENTION_IN_LEAD",
    "SUBHEADING_PREFIX",
    "Article",
    "ArticleCompany",
    "ArticleCountry",
    "ArticleLink",
    "ArticleOfficial",
    "ArticleQuerySet",
    "ArticleVehicleModel",
    "Block",
    "DailyTagUses",
    "EntitySuggestion",
    "LinkOrigin",
    "RejectedLink",
    "SuggestionOccurrence",
    "Tag",
    "TaggedArticle",
    "tag_key",
]
