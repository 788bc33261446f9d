"""The entity kinds registry (companies/kinds.py) is complete, and what iterates
it covers every kind: a kind added to the catalog but left out somewhere fails here."""

import pytest
from django.db.models.signals import post_save
from django.urls import reverse

from articles.linking import build_matcher
from articles.models import Article
from companies.kinds import KINDS, LOAD_ORDER, kind_for_key, kind_named, kind_of
from companies.models import Entity
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)
from portal.sitemaps import SECTIONS, PageSitemap


def concrete_entity_models():
    pending, found = list(Entity.__subclasses__()), set()
    while pending:
        model = pending.pop()
        pending += model.__subclasses__()
        if not model._meta.abstract:
            found.add(model)
    return found


def test_every_entity_model_is_a_kind():
    assert {kind.model for kind in KINDS} == concrete_entity_models()


def test_every_entity_relation_of_an_article_is_a_kind_with_its_link_table():
    relations = {
        field.name: field.remote_field.through
        for field in Article._meta.many_to_many
        if issubclass(field.related_model, Entity)
    }
    assert relations == {kind.key: kind.links for kind in KINDS}


def test_the_load_order_writes_each_kind_after_those_it_refers_to():
    written = set()
    for kind in LOAD_ORDER:
        refers = {
            field.related_model
            for field in [*kind.model._meta.concrete_fields, *kind.model._meta.local_many_to_many]
            if field.is_relation and issubclass(field.related_model, Entity)
        }
        assert refers - {kind.model} <= written
        written.add(kind.model)
    assert set(LOAD_ORDER) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_lookups_find_the_kind_every_way(kind):
    assert kind_of(kind.model) is kind
    assert kind_named(kind.name) is kind
    assert kind_named(kind.model._meta.label_lower) is kind
    assert kind_for_key(kind.key) is kind


def test_anything_else_is_not_a_kind():
    with pytest.raises(TypeError):
        kind_of(Article)


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_kind_has_its_pages_and_feed(kind):
    assert reverse(f"companies:{kind.url_name}_list") == f"/{kind.path}/"
    assert reverse(f"companies:{kind.url_name}", args=["x"]) == f"/{kind.path}/x/"
    assert reverse(f"articles:{kind.url_name}_feed", args=["x"]) == f"/{kind.path}/x/feed/"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_every_kind_has_a_sitemap_section_and_its_list_page_listed(kind):
    assert kind.path in SECTIONS
    assert f"companies:{kind.url_name}_list" in PageSitemap().items()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.key)
def test_writes_to_every_kind_and_its_links_make_cached_pages_stale(kind):
    assert post_save.has_listeners(kind.model)
    assert post_save.has_listeners(kind.links)


def test_the_linker_reads_every_kind(db):
    entities = [
        CountryFactory(name="Фиктивия"),
        CompanyFactory(name="Заря Моторс"),
        VehicleModelFactory(name="Заря Стрела"),
        OfficialFactory(name="Ильдар Вымыслов"),
    ]
    assert {type(entity) for entity in entities} == {kind.model for kind in KINDS}
    matcher = build_matcher()
    for entity in entities:
        assert entity in {found for found in matcher.entities.values()}
