"""The figures kept as data (mentions per entity, uses per tag, per day) equal a
full recount after every kind of write: links, publication, schedules, merges,
deletions, the loader's and the linker's bulk paths."""

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.figures import local_day, recount_figures
from articles.linking import link_entities
from articles.merging import merge_entities
from articles.models import Article, DailyTagUses, Tag, TaggedArticle
from articles.publishing import publish_now, unpublish
from articles.seeding import load_documents
from articles.tests.factories import ArticleFactory
from companies.kinds import KINDS
from companies.models import DailyMentions, MentionTotals
from companies.tests.factories import CompanyFactory, CountryFactory

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CATALOG = SEEDS / "catalog.json"


def stored_figures() -> Counter:
    """Every stored figure, keyed by subject, id and day."""
    figures = Counter()
    for kind, pk, day, count in DailyMentions.objects.values_list(
        "kind", "entity_id", "day", "count"
    ):
        figures[(kind, pk, day)] = count
    for pk, day, count in DailyTagUses.objects.values_list("tag_id", "day", "count"):
        figures[("tag", pk, day)] = count
    for kind, pk, count in MentionTotals.objects.values_list("kind", "entity_id", "count"):
        figures[(kind, pk, "total")] = count
    return figures


def counted_from_links() -> Counter:
    """The same figures counted here from the links, without the application's SQL."""
    figures = Counter()
    for kind in KINDS:
        rows = kind.links.objects.filter(article__status=Article.Status.PUBLISHED)
        for pk, moment in rows.values_list("entity_id", "article__published_at"):
            figures[(kind.name, pk, local_day(moment))] += 1
            figures[(kind.name, pk, "total")] += 1
    tags = TaggedArticle.objects.filter(content_object__status=Article.Status.PUBLISHED)
    for pk, moment in tags.values_list("tag_id", "content_object__published_at"):
        figures[("tag", pk, local_day(moment))] += 1
    return figures


def assert_exact():
    """What the writes left equals a full recount, and the recount equals the links."""
    kept = stored_figures()
    recount_figures()
    assert kept == stored_figures()
    assert kept == counted_from_links()


@pytest.fixture
def linked(db):
    country, company = CountryFactory(), CompanyFactory()
    articles = [
        ArticleFactory(published_at=timezone.now() - dt.timedelta(days=n)) for n in range(4)
    ]
    for article in articles:
        article.countries.add(country)
        article.companies.add(company)
        article.tags.add("Автопром")
    return country, company, articles


def test_links_added_and_removed_either_side(linked):
    country, company, articles = linked
    assert stored_figures()[("country", country.pk, local_day(articles[0].published_at))] == 1
    assert_exact()
    articles[0].countries.remove(country)
    company.articles.remove(articles[1])
    articles[2].tags.remove("Автопром")
    assert_exact()
    company.articles.clear()
    articles[3].countries.clear()
    assert_exact()


def test_publication_changes(linked):
    _country, _company, articles = linked
    unpublish(articles=[articles[0]])
    assert_exact()
    articles[1].published_at -= dt.timedelta(days=40)
    articles[1].save()
    assert_exact()
    publish_now(articles=[articles[0]])
    assert_exact()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    draft.countries.add(linked[0])
    assert_exact()


def test_scheduled_articles_are_counted_on_their_day(linked):
    country, _company, _articles = linked
    later = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=3))
    later.countries.add(country)
    assert stored_figures()[("country", country.pk, local_day(later.published_at))] == 1
    assert_exact()


def test_deletions(linked):
    _country, company, articles = linked
    articles[0].delete()
    assert_exact()
    company.delete()
    assert_exact()
    Tag.objects.get(name="Автопром").delete()
    Article.objects.filter(pk=articles[1].pk).delete()
    assert_exact()
    Article.objects.filter(pk=articles[2].pk).only("pk").delete()
    assert_exact()
    assert not DailyMentions.objects.filter(kind="company").exists()
    assert not MentionTotals.objects.filter(kind="company").exists()


def test_merges(linked):
    _country, company, articles = linked
    duplicate = CompanyFactory()
    for article in articles[:2]:
        article.companies.add(duplicate)
    extra = ArticleFactory(published_at=timezone.now() - dt.timedelta(days=9))
    extra.companies.add(duplicate)
    merge_entities(survivor=company, duplicates=[duplicate])
    assert_exact()
    assert not DailyMentions.objects.filter(entity_id=duplicate.pk, kind="company").exists()


def test_loader_and_linker(db):
    load_documents(paths=[SEEDS], catalog=CATALOG)
    assert DailyMentions.objects.exists()
    assert_exact()
    article = Article.objects.order_by("pk").first()
    article.lead += " Тулпар Моторс."
    article.save()
    link_entities(article=article)
    assert_exact()
    call_command("relink", verbosity=0)
    assert_exact()


def test_refresh_figures_repairs(linked):
    DailyMentions.objects.all().delete()
    MentionTotals.objects.update(count=7)
    DailyTagUses.objects.update(count=99)
    call_command("refresh_figures", verbosity=0)
    assert stored_figures() == counted_from_links()
