"""What a change to the catalog means for articles, and what to check before it.

- ``matches``: the entities a new name may already be (``CatalogNames``), so
  that accepting a suggestion or adding an entity offers the existing one
  instead of a duplicate;
- ``footprints``: which articles can mention an entity, told by substrings of
  its names that the database finds without reading the text in Python;
- ``relinking``: ``relink_for_entity``, re-linking those articles after an
  entity was added or its names changed, bounded per change.

It sits above linking and search (both of which it uses) and below the admin,
which calls it once an editor's save has committed.
"""

from .footprints import EMPTY, Footprint, footprint
from .matches import CatalogNames, NameMatch, entity_key
from .relinking import MAX_ARTICLES, RelinkReport, affected_articles, relink_for_entity

__all__ = [
    "EMPTY",
    "MAX_ARTICLES",
    "CatalogNames",
    "Footprint",
    "NameMatch",
    "RelinkReport",
    "affected_articles",
    "entity_key",
    "footprint",
    "relink_for_entity",
]
