"""The entity kinds: the one list that every loop over companies, models,
officials and countries walks (linking, search, merging, suggestions, related
articles, statistics, sitemaps, feeds, the page cache and the admin).

An entry names the model and what pages call it. What the articles app adds to
each kind (its link table and the ``Article`` field holding the links) is read
from the model's ``articles`` relation, so this app never imports that one.

Adding a kind: the model in ``companies/models.py``, one entry in ``KINDS``, its
link model and field on ``Article`` in ``articles/models.py``, and the migrations.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import models

from .models import Company, Country, Entity, Official, VehicleModel


@dataclass(frozen=True)
class EntityKind:
    model: type[Entity]
    # The ``Article`` field holding the links, and the group's key on article pages.
    key: str
    # The list page's title and the heading of the group on an article page.
    title: str
    # Loaded along with each entity when the whole catalog is read (the linker's names).
    catalog_related: tuple[str, ...] = ()
    # Listed among the busiest entities on the home page.
    on_home_page: bool = True

    @property
    def url_name(self) -> str:
        """The entity page's URL name in the ``companies`` namespace."""
        return self.model.url_name

    @property
    def name(self) -> str:
        """``company``, ``vehiclemodel``…: the model's name, as content types spell it."""
        return self.model._meta.model_name

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @cached_property
    def links(self) -> type[models.Model]:
        """The link table (article, entity, origin) the articles app keeps for this kind."""
        return self.model._meta.get_field("articles").through

    def catalog(self) -> models.QuerySet:
        """Every entity of the kind, with what the linker reads of each."""
        return self.model.objects.select_related(*self.catalog_related)


# In the order pages list them.
KINDS: tuple[EntityKind, ...] = (
    EntityKind(Company, key="companies", title="Компании"),
    EntityKind(
        VehicleModel, key="vehicle_models", title="Модели техники", catalog_related=("brand",)
    ),
    EntityKind(Official, key="officials", title="Персоны", catalog_related=("organization",)),
    EntityKind(Country, key="countries", title="Страны", on_home_page=False),
)


def _refers_to(kind: EntityKind) -> set[type[models.Model]]:
    fields = [*kind.model._meta.concrete_fields, *kind.model._meta.local_many_to_many]
    return {field.related_model for field in fields if field.is_relation} - {kind.model}


def _load_order(kinds: tuple[EntityKind, ...]) -> tuple[EntityKind, ...]:
    """Each kind after the kinds it refers to, otherwise in page order."""
    order: list[EntityKind] = []
    while len(order) < len(kinds):
        written = {kind.model for kind in order}
        pending = {kind.model for kind in kinds} - written
        order.append(next(k for k in kinds if k not in order and not (_refers_to(k) & pending)))
    return tuple(order)


# The order in which a catalog can be written (and is read for the linker).
LOAD_ORDER = _load_order(KINDS)

_BY_MODEL = {kind.model: kind for kind in KINDS}
_BY_NAME = {kind.name: kind for kind in KINDS}
_BY_KEY = {kind.key: kind for kind in KINDS}


def kind_of(entity: Entity | type[Entity]) -> EntityKind:
    """The kind of an entity or entity model; ``TypeError`` for anything else."""
    model = entity if isinstance(entity, type) else type(entity)
    try:
        return _BY_MODEL[model]
    except KeyError:
        raise TypeError(f"{model.__name__} is not an entity kind") from None


def kind_named(name: str) -> EntityKind:
    """The kind by model name (``company``) or label (``companies.company``)."""
    return _BY_NAME[name.rpartition(".")[2]]


def kind_for_key(key: str) -> EntityKind:
    """The kind by its ``Article`` field (``vehicle_models``)."""
    return _BY_KEY[key]
