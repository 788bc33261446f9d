"""Seed documents: the plain-text format, and loading it into articles.

``manage.py load_seed`` reads the ``*.txt`` files of ``seeds/`` (or the files
and folders it is given) and the entity catalog, and writes published,
linked and tagged articles. Loading is all or nothing: an invalid file leaves
nothing written.

- ``documents``: the format, from bytes to a ``ParsedDocument`` (pure);
- ``headlines``: a headline from the opening sentence when a document has none;
- ``files``: which files a load reads, and reading them safely;
- ``catalog``: the entity catalog fixture, added to and never overwritten;
- ``loader``: ``load_documents``, the batches;
- ``slugs``: the slugs of a load's new articles, a batch at a time;
- ``report``: ``LoadReport``, what a load did (counts, or the articles too);
- ``planner_statistics``: PostgreSQL's statistics during and after a bulk write;
- ``memory``: the heap a batch freed, handed back to the system;
- ``errors``: ``SeedError`` (one file) and ``LoadError`` (the load refused).
"""

from .catalog import DEFAULT_CATALOG, load_catalog
from .documents import (
    MAX_BYTES,
    ParsedDocument,
    decode,
    is_subheading,
    parse_document,
)
from .errors import LoadError, SeedError
from .files import SeedFile, collect_files, read_document
from .headlines import derive_title
from .loader import LoadedArticle, LoadReport, load_documents

__all__ = [
    "DEFAULT_CATALOG",
    "MAX_BYTES",
    "LoadError",
    "LoadReport",
    "LoadedArticle",
    "ParsedDocument",
    "SeedError",
    "SeedFile",
    "collect_files",
    "decode",
    "derive_title",
    "is_subheading",
    "load_catalog",
    "load_documents",
    "parse_document",
    "read_document",
]
