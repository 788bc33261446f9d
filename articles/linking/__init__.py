"""Find catalog entities in article text and link them to the article.

Names are matched word by word on lemmas, so every case and number of a name
matches («Романом Чекушовым» → Роман Чекушов). Multi-word names win over
shorter ones that start at the same word. A bare surname or a model name
without its brand («Cobalt») also links, but only when no other entity in the
catalog could be meant.

Links remember who made them (``LinkOrigin``). The linker adds and removes
only its own links; an editor's added links stay, and an editor's removals
(``RejectedLink``) are never re-added.

The parts, each using only those before it: ``patterns`` (how names become
patterns), ``matcher`` (the compiled catalog), ``mentions`` (what one article
names), ``writing`` (the links in the database), ``topics`` (topic tags, which
read the same tokens). The text pipeline they read is ``articles.text``.
"""

from .matcher import EntityKey, Matcher, Mention, build_matcher
from .mentions import POSITION_FIELDS, ArticleMentions, ArticleText, find_mentions
from .writing import (
    LinkResult,
    add_link,
    insert_rows,
    link_articles,
    link_entities,
    refresh_positions,
    remove_link,
    sync_links,
)

__all__ = [
    "POSITION_FIELDS",
    "ArticleMentions",
    "ArticleText",
    "EntityKey",
    "LinkResult",
    "Matcher",
    "Mention",
    "add_link",
    "build_matcher",
    "find_mentions",
    "insert_rows",
    "link_articles",
    "link_entities",
    "refresh_positions",
    "remove_link",
    "sync_links",
]
