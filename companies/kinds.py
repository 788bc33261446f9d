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
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Company, Country, Entity, Official, VehicleModel


@dataclass(frozen=True)
class EntityKind:
    model: type[Entity]
    # The ``Article`` field holding the links, and the group's key on article pages.
    key: str
    # The first part of the kind's addresses: /<path>/, /<path>/<slug>/, its feeds,
    # and the name of its sitemap section.
    path: str
    # The list page's title.
    title: str | Promise
    # The heading of the kind's group on an article page.
    group_title: str | Promise
    # Loaded along with each entity when the whole catalog is read (the linker's names).
    catalog_related: tuple[str, ...] = ()
    # Loaded with the entity for its page's facts (foreign keys, then many-to-many).
    page_related: tuple[str, ...] = ()
    page_prefetch: tuple[str, ...] = ()
    # Listed among the busiest entities on the home page.
    on_home_page: bool = True
    # What a story is about (schema.org ``about``: companies and vehicles), rather
    # than merely mentioned (people and places take part in it).
    story_subject: bool = False
    # The ninjs 3 field listing entities of the kind (people, organisations, places, objects).
    ninjs_field: str = "objects"

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

    def for_page(self) -> models.QuerySet:
        """The kind's entities with what their pages show of each."""
        return self.model.objects.select_related(*self.page_related).prefetch_related(
            *self.page_prefetch
        )

    def catalog(self) -> models.QuerySet:
        """Every entity of the kind, with what the linker reads of each."""
        return self.model.objects.select_related(*self.catalog_related)


# In the order pages list them.
KINDS: tuple[EntityKind, ...] = (
    EntityKind(
        Company,
        key="companies",
        path="companies",
        title=_("Компании"),
        group_title=_("Компании"),
        page_related=("country", "parent"),
        page_prefetch=("assembled_models", "brand_models"),
        story_subject=True,
        ninjs_field="organisations",
    ),
    EntityKind(
        VehicleModel,
        key="vehicle_models",
        path="models",
        title=_("Модели техники"),
        group_title=_("Модели"),
        catalog_related=("brand",),
        page_related=("brand",),
        page_prefetch=("plants",),
        story_subject=True,
        ninjs_field="objects",
    ),
    EntityKind(
        Official,
        key="officials",
        path="officials",
        title=_("Персоны"),
        group_title=_("Персоны"),
        catalog_related=("organization",),
        page_related=("organization", "country"),
        ninjs_field="people",
    ),
    EntityKind(
        Country,
        key="countries",
        path="countries",
        title=_("Страны"),
        group_title=_("Страны"),
        on_home_page=False,
        ninjs_field="places",
    ),
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


def whole_catalog() -> list[Entity]:
    """Every entity of every kind, in ``LOAD_ORDER``, with what the linker reads of each."""
    return [entity for kind in LOAD_ORDER for entity in kind.catalog()]


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
