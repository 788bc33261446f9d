"""schema.org JSON-LD for entity pages, and short references to entities.

Only facts the catalog holds are stated: nothing is filled in from outside
knowledge. Functions take the site's ``base_url`` (scheme and host, no
trailing slash) so they stay pure and work outside a request.
"""

from __future__ import annotations

from typing import Any

from .models import Company, Country, Entity, Official, VehicleModel

SCHEMA_ORG = "https://schema.org"

# Aliases with a gap («грузовики … Isuzu») are search patterns for the linker,
# not names anyone writes: they are no alternateName.
GAP_MARKERS = ("…", "...")


def entity_type(entity: Entity) -> str:
    """The schema.org type of ``entity``."""
    if isinstance(entity, Company):
        if entity.kind == Company.Kind.GOVERNMENT_BODY:
            return "GovernmentOrganization"
        return "Organization"
    if isinstance(entity, Official):
        return "Person"
    if isinstance(entity, VehicleModel):
        return "Product"
    if isinstance(entity, Country):
        return "Country"
    raise TypeError(f"No schema.org type for {type(entity).__name__}")


def entity_url(entity: Entity, *, base_url: str) -> str:
    return f"{base_url}{entity.get_absolute_url()}"


def entity_reference(entity: Entity, *, base_url: str) -> dict[str, Any]:
    """Type, name and page of ``entity``: reads no related rows, so lists stay one query."""
    return {
        "@type": entity_type(entity),
        "name": entity.name,
        "url": entity_url(entity, base_url=base_url),
    }


def alternate_names(entity: Entity) -> list[str]:
    return [name for name in entity.names[1:] if not any(m in name for m in GAP_MARKERS)]


def entity_jsonld(entity: Entity, *, base_url: str) -> dict[str, Any]:
    """The JSON-LD document for ``entity``'s own page.

    Reads the entity's foreign keys (a company's country and parent, a model's
    brand, an official's organization and country): select them in the view.
    """
    data: dict[str, Any] = {"@context": SCHEMA_ORG, **entity_reference(entity, base_url=base_url)}
    aliases = alternate_names(entity)
    if aliases:
        data["alternateName"] = aliases
    if isinstance(entity, Company):
        data.update(_company(entity, base_url=base_url))
    elif isinstance(entity, Official):
        data.update(_official(entity, base_url=base_url))
    elif isinstance(entity, VehicleModel):
        data.update(_vehicle_model(entity, base_url=base_url))
    elif isinstance(entity, Country) and entity.iso_code:
        data["identifier"] = entity.iso_code
    return data


def _company(company: Company, *, base_url: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if company.description:
        data["description"] = company.description
    if company.country_id:
        data["location"] = entity_reference(company.country, base_url=base_url)
    if company.parent_id:
        data["parentOrganization"] = entity_reference(company.parent, base_url=base_url)
    return data


def _official(official: Official, *, base_url: str) -> dict[str, Any]:
    # The catalog's country is the country an official serves, not a stated
    # citizenship, so it is not published as ``nationality``.
    data: dict[str, Any] = {}
    if official.position:
        data["jobTitle"] = official.position
    if official.organization_id:
        data["worksFor"] = entity_reference(official.organization, base_url=base_url)
    return data


def _vehicle_model(model: VehicleModel, *, base_url: str) -> dict[str, Any]:
    brand = model.brand
    # schema.org's ``brand`` takes a Brand or an Organization: a catalog brand
    # is a Brand, a maker that sells under its own name an Organization.
    brand_type = "Brand" if brand.kind == Company.Kind.BRAND else entity_type(brand)
    data: dict[str, Any] = {
        "brand": {
            "@type": brand_type,
            "name": brand.name,
            "url": entity_url(brand, base_url=base_url),
        }
    }
    if model.category:
        data["category"] = model.get_category_display()
    return data
