"""The data migration of existing tags: case duplicates merged without losing an
article, and slugs the site cannot serve made Latin. Run on the real schema before
and after, so it needs the migrations themselves (``transactional_db``)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, Tag

BEFORE = [("articles", "0012_verbose_names")]


def migrate(targets=None):
    """Migrate to ``targets``, or to the newest migration of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.fixture
def old_apps(transactional_db):
    """The models as they were before tags had a folded name; the schema is put
    back to the newest afterwards for the tests that follow."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate()


def make_rows(apps):
    OldTag = apps.get_model("articles", "Tag")
    OldArticle = apps.get_model("articles", "Article")
    OldTagged = apps.get_model("articles", "TaggedArticle")
    # As the admin's browser prefill and taggit's manager left them.
    capital = OldTag.objects.create(name="Выставки и салоны", slug="выставки-и-салоны")
    lower = OldTag.objects.create(name="выставки и салоны", slug="vystavki-i-salony")
    shouting = OldTag.objects.create(name="ВЫСТАВКИ И САЛОНЫ", slug="vystavki-i-salony-1")
    OldTag.objects.create(name="Ёлки", slug="ёлки")
    OldTag.objects.create(name="Грузовики", slug="gruzoviki")
    carrying = {
        "one": [capital],
        "two": [lower],
        "both": [capital, lower],
        "all": [capital, lower, shouting],
    }
    for key, tags in carrying.items():
        article = OldArticle.objects.create(title=key, slug=key, lead="Лид.", status="published")
        for tag in tags:
            OldTagged.objects.create(content_object=article, tag=tag)
    return capital.pk


def test_case_duplicates_are_merged_and_every_slug_is_latin(old_apps, client):
    survivor_pk = make_rows(old_apps)

    migrate()

    tags = {tag.name: tag for tag in Tag.objects.all()}
    assert set(tags) == {"Выставки и салоны", "Ёлки", "Грузовики"}
    survivor = tags["Выставки и салоны"]
    # The most used spelling stays (the oldest between equals), with its pk.
    assert survivor.pk == survivor_pk
    assert survivor.slug == "vystavki-i-salony"
    assert tags["Ёлки"].slug == "elki"
    assert tags["Грузовики"].slug == "gruzoviki"
    # No article lost a tag; none carries one twice.
    for article in Article.objects.all():
        assert list(article.tags.all()) == [survivor]
    assert survivor.tagged_articles.count() == 4
    # The merged tag's page answers at its Latin slug (published articles carry it).
    assert client.get("/tags/vystavki-i-salony/").status_code == 200
