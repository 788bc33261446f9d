"""The co-mentioned box of entity pages: exact for its definition (the
entity's newest published articles, counted by a straightforward recount),
on both databases."""

import datetime as dt
import random
import re

import pytest
from django.db import connection
from django.utils import timezone

from articles.linking import add_link
from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.kinds import KINDS, kind_of
from companies.queries import RECENT_ARTICLES, _articles, _related_sql, related_entities
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)


def recount(entity, *, window: int) -> dict[tuple[str, str], int]:
    """Co-mentions counted the plain way: the window's articles through the ORM,
    then every link of each of them."""
    newest = list(entity.articles.published().order_by("-id").values_list("pk", flat=True)[:window])
    counts: dict[tuple[str, str], int] = {}
    for kind in KINDS:
        links = kind.links.objects.filter(article_id__in=newest).select_related("entity")
        for link in links:
            if link.entity == entity:
                continue
            key = (kind.name, link.entity.slug)
            counts[key] = counts.get(key, 0) + 1
    return counts


def as_counts(related) -> dict[tuple[str, str], int]:
    return {(other.kind, other.slug): other.count for other in related}


@pytest.fixture
def crowd(db):
    """Fictional entities of every kind in random articles: published, drafts,
    scheduled for later, and published ones taken back to drafts."""
    rng = random.Random(17)
    entities = [
        *CompanyFactory.create_batch(5),
        *VehicleModelFactory.create_batch(3),
        *OfficialFactory.create_batch(2),
        CountryFactory(name="Страна Икс", slug="country-x"),
    ]
    now = timezone.now()
    for n in range(60):
        state = rng.choice(["published"] * 6 + ["draft", "scheduled", "withdrawn"])
        article = ArticleFactory(
            published_at=now + dt.timedelta(hours=2 if state == "scheduled" else -n - 1),
            status=Article.Status.DRAFT if state == "draft" else Article.Status.PUBLISHED,
        )
        for entity in rng.sample(entities, rng.randint(1, 5)):
            add_link(article=article, entity=entity)
        if state == "withdrawn":
            article.status = Article.Status.DRAFT
            article.save()
    return entities


@pytest.mark.parametrize("window", [1, 4, 10, RECENT_ARTICLES])
def test_co_mentions_equal_a_recount_of_the_newest_published_articles(crowd, window):
    for entity in crowd:
        related = related_entities(entity, limit=100, window=window)
        assert as_counts(related) == recount(entity, window=window), entity.slug
        ranks = [(-other.count, other.name) for other in related]
        assert [count for count, _ in ranks] == sorted(count for count, _ in ranks)


def test_the_limit_keeps_the_most_co_mentioned(crowd):
    entity = crowd[0]
    everything = related_entities(entity, limit=100)
    top = related_entities(entity, limit=3)
    assert len(top) == min(3, len(everything))
    assert [other.count for other in top] == [other.count for other in everything[:3]]


def test_scheduled_and_draft_articles_neither_count_nor_take_a_place_in_the_window(db):
    plant, partner, secret = CompanyFactory.create_batch(3)
    now = timezone.now()
    for hours in (3, 2):
        article = ArticleFactory(published_at=now - dt.timedelta(hours=hours))
        add_link(article=article, entity=plant)
        add_link(article=article, entity=partner)
    # Newer than both, but not out yet or not published: the window skips them.
    for article in (
        ArticleFactory(published_at=now + dt.timedelta(minutes=5)),
        ArticleFactory(status=Article.Status.DRAFT),
    ):
        add_link(article=article, entity=plant)
        add_link(article=article, entity=secret)
    related = related_entities(plant, window=2)
    assert as_counts(related) == {(kind_of(partner).name, partner.slug): 2}


def test_only_the_window_counts(db):
    plant, old_partner, new_partner = CompanyFactory.create_batch(3)
    now = timezone.now()
    for hours, partner in ((5, old_partner), (4, old_partner), (2, new_partner)):
        article = ArticleFactory(published_at=now - dt.timedelta(hours=hours))
        add_link(article=article, entity=plant)
        add_link(article=article, entity=partner)
    assert as_counts(related_entities(plant, window=1)) == {("company", new_partner.slug): 1}
    assert as_counts(related_entities(plant, window=3)) == {
        ("company", old_partner.slug): 2,
        ("company", new_partner.slug): 1,
    }


def test_the_page_says_the_box_counts_recent_articles(db, client):
    plant, partner = CompanyFactory.create_batch(2)
    article = ArticleFactory()
    add_link(article=article, entity=plant)
    add_link(article=article, entity=partner)
    content = client.get(plant.get_absolute_url()).content.decode()
    assert "Упоминаются вместе" in content
    assert f"В последних публикациях (до {RECENT_ARTICLES})" in content
    assert partner.get_absolute_url() in content


@pytest.mark.postgres
def test_the_plan_for_any_entity_reads_only_the_window(db):
    """The statement is prepared per connection, and after five runs PostgreSQL
    may plan it once for every entity: that plan must still stop after the
    window's links, not join all the entity's links with every published article."""
    plant, partner = CompanyFactory.create_batch(2)
    # More articles than the window (bulk: no figures needed here).
    articles = Article.objects.bulk_create(ArticleFactory.build_batch(200))
    links = kind_of(plant).links.objects
    links.bulk_create(links.model(article=article, entity=plant) for article in articles)
    links.bulk_create(links.model(article=article, entity=partner) for article in articles[::3])
    published, params = _articles(type(plant)).published_sql("a")
    params = {"entity": plant.pk, "limit": 10, **params}
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", _related_sql(type(plant), published, 5))))
    sql = re.sub(
        r"%\((\w+)\)s",
        lambda m: f"${names.index(m[1]) + 1}",
        _related_sql(type(plant), published, 5),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        # The choices PostgreSQL's plan for any entity made at 100,000 articles,
        # where it guessed that few articles are published: a join by hash, and
        # no whole-table reads. A window read in order stops after 5 links whatever.
        for setting in ("enable_seqscan", "enable_nestloop", "enable_mergejoin"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        types = ", ".join(_sql_type(params[name]) for name in names)
        cursor.execute(f"PREPARE related_generic ({types}) AS {sql}")
        try:
            # A utility statement takes no bound parameters: the values as literals.
            values = ", ".join(_literal(params[name]) for name in names)
            cursor.execute(
                f"EXPLAIN (ANALYZE, COSTS OFF, FORMAT JSON) EXECUTE related_generic({values})"
            )
            plan = cursor.fetchone()[0][0]["Plan"]
        finally:
            cursor.execute("DEALLOCATE related_generic")
    link_table = kind_of(plant).links._meta.db_table
    read = [
        node["Actual Rows"]
        for node in _nodes(plan)
        if node.get("Relation Name") == link_table
        and "entity_id" in node.get("Index Cond", "") + node.get("Recheck Cond", "")
    ]
    assert read and max(read) <= 5


def _sql_type(value) -> str:
    if isinstance(value, int):
        return "bigint"
    return "timestamptz" if isinstance(value, dt.datetime) else "text"


def _literal(value) -> str:
    if isinstance(value, int):
        return str(value)
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return "'" + text.replace("'", "''") + "'::" + _sql_type(value)


def _nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)
