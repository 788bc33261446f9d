"""The entity catalog fixture (``seeds/catalog.json``): added to, never overwritten.

The catalog is loaded before the documents so that the linker knows the names
to find. It is Django's fixture format, which could carry any row of any table:
here it may hold entities of the registered kinds only, each checked as the
admin's forms would check it.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError

from companies.kinds import LOAD_ORDER

from .errors import LoadError, SeedError

DEFAULT_CATALOG = Path(settings.BASE_DIR) / "seeds" / "catalog.json"
# In dependency order, as a fixture lists them (a company's country before it).
CATALOG_MODELS = tuple(kind.model for kind in LOAD_ORDER)


def load_catalog(path: Path) -> tuple[int, int]:
    """Add the catalog entities that are missing; never overwrite an existing one.

    Editors curate the catalog in the admin, so an entity already present (same
    slug) is kept as it is. Returns (created, kept).

    A catalog holds entities and nothing else, each checked as the admin's
    forms would (lengths, slug, choices, that aliases are a list of names):
    the fixture format could otherwise carry any row of any table, or values
    the database refuses halfway through the load. Call inside a transaction:
    an error raises ``LoadError`` and whatever came before goes back with it.
    """
    created = kept = 0
    try:
        with path.open(encoding="utf-8") as stream:
            for number, item in enumerate(serializers.deserialize("json", stream), start=1):
                entity = item.object
                if not isinstance(entity, CATALOG_MODELS):
                    raise SeedError(
                        path,
                        None,
                        f"entry {number} is a {entity._meta.label} row; a catalog holds only "
                        "countries, companies, vehicle models and officials",
                    )
                model = type(entity)
                if model._default_manager.filter(slug=entity.slug).exists():
                    kept += 1
                    continue
                entity.pk = None
                _check_catalog_entry(entity, path=path, number=number)
                item.save()
                created += 1
    except (OSError, DeserializationError) as exc:
        raise LoadError([SeedError(path, None, f"catalog cannot be loaded: {exc}")]) from None
    except SeedError as exc:
        raise LoadError([exc]) from None
    return created, kept


def _check_catalog_entry(entity, *, path: Path, number: int) -> None:
    where = f"entry {number} ({entity._meta.model_name} {entity.slug!r})"
    aliases = entity.aliases
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise SeedError(path, None, f"{where}: aliases must be a list of names")
    try:
        entity.full_clean()
    except ValidationError as exc:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
        )
        raise SeedError(path, None, f"{where}: {problems}") from None
