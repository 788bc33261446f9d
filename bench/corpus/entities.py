"""Test entities in the catalog, and removing everything the corpus wrote.

The corpus may add entities to the real catalog (``--entities``) so that a big
corpus has as many names as a real one would. They are named as tests
(«Тестовый завод 7», «Testmark 3 Alpha»), have slugs starting with ``synthetic-``
and say so in their description. No people are invented.
"""

from __future__ import annotations

from django.db import transaction

from articles.figures import figures_batch
from articles.models import Article
from companies.models import Company, Country, VehicleModel
from portal.slugs import make_slug

from .vocabulary import ENTITY_DESCRIPTION, PREFIX

MODEL_SUFFIXES = ["Alpha", "Beta", "Gamma"]
MODEL_CATEGORIES = [c for c, _label in VehicleModel.Category.choices]


def add_synthetic_entities(count: int) -> int:
    """Up to ``count`` test entities (plants, brands and their models); returns how many are new.

    Idempotent: entities already present (same slug) are kept.
    """
    countries = list(Country.objects.order_by("pk"))
    plants = round(count * 0.4)
    brands = max(0, (count - plants) // (1 + len(MODEL_SUFFIXES)))
    plants = count - brands * (1 + len(MODEL_SUFFIXES))
    created = 0
    for n in range(1, plants + 1):
        _, new = Company.objects.get_or_create(
            slug=f"{PREFIX}{make_slug(f'Тестовый завод {n}')}",
            defaults={
                "name": f"Тестовый завод {n}",
                "kind": Company.Kind.ASSEMBLY_PLANT,
                "country": countries[n % len(countries)] if countries else None,
                "description": ENTITY_DESCRIPTION,
            },
        )
        created += new
    for n in range(1, brands + 1):
        brand, new = Company.objects.get_or_create(
            slug=f"{PREFIX}testmark-{n}",
            defaults={
                "name": f"Testmark {n}",
                "kind": Company.Kind.BRAND,
                "description": ENTITY_DESCRIPTION,
            },
        )
        created += new
        for m, suffix in enumerate(MODEL_SUFFIXES):
            _, new = VehicleModel.objects.get_or_create(
                slug=f"{PREFIX}testmark-{n}-{suffix.lower()}",
                defaults={
                    "name": f"Testmark {n} {suffix}",
                    "brand": brand,
                    "category": MODEL_CATEGORIES[(n + m) % len(MODEL_CATEGORIES)],
                },
            )
            created += new
    return created


def clear_synthetic() -> int:
    """Delete the synthetic articles and entities; returns the number of articles deleted."""
    deleted = 0
    synthetic = Article.objects.filter(source_key__startswith=PREFIX)
    while ids := list(synthetic.values_list("pk", flat=True)[:2000]):
        with transaction.atomic(), figures_batch():
            Article.objects.filter(pk__in=ids).only("pk", "status", "published_at").delete()
        deleted += len(ids)
    VehicleModel.objects.filter(slug__startswith=PREFIX).delete()
    Company.objects.filter(slug__startswith=PREFIX).delete()
    return deleted
