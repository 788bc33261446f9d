import datetime as dt
import random
from pathlib import Path

import pytest
from django.db import connection

from articles.linking import build_matcher, find_mentions, link_entities
from articles.linking.topics import CATEGORY_TAGS, article_topics
from articles.models import Article
from articles.search import search_articles
from articles.seeding import parse_document
from bench import corpus
from bench.corpus.generator import _Draft
from bench.corpus.writing import _transliterate
from bench.generate_corpus import main
from companies.models import Company, Country, Official, VehicleModel
from portal.slugs import make_slug

UNTIL = dt.date(2025, 6, 30)


def generate(count=40, **options):
    options = {"seed": 3, "until": UNTIL, "entities": 12, "verbosity": 0, **options}
    corpus.build_corpus(articles=count, **options)
    return Article.objects.filter(source_key__startswith=corpus.PREFIX).order_by("source_key")


def snapshot() -> dict[str, tuple]:
    """What a generated article is, by its key: text, dates, links, tags, body positions."""
    result = {}
    for article in Article.objects.filter(source_key__startswith=corpus.PREFIX).with_entities():
        entities = sorted(
            f"{entity._meta.model_name}:{entity.slug}"
            for entities in (
                article.companies.all(),
                article.vehicle_models.all(),
                article.officials.all(),
                article.countries.all(),
            )
            for entity in entities
        )
        slugs = {
            (model._meta.label_lower, e.pk): e.slug
            for model in (Company, Country, Official, VehicleModel)
            for e in model.objects.all()
        }
        mentions = [[t, s, e, slugs[(label, pk)]] for t, s, e, label, pk in article.mentions]
        result[article.source_key] = (
            article.title,
            article.slug,
            article.lead,
            article.body,
            article.status,
            article.published_at,
            entities,
            sorted(article.tags.names()),
            mentions,
        )
    return result


def test_creates_the_articles_marked_as_synthetic(catalog):
    articles = list(generate(40))
    assert [a.source_key for a in articles] == [f"synthetic-{n:07d}" for n in range(1, 41)]
    assert all(corpus.TAG in a.tags.names() for a in articles)
    assert all(a.body.endswith(corpus.DISCLAIMER) for a in articles)
    assert len({a.slug for a in articles}) == 40


def test_articles_have_paragraphs_subheadings_links_and_tags(catalog):
    articles = list(generate(40))
    assert all(len([b for b in a.blocks() if b.kind == "paragraph"]) >= 3 for a in articles)
    assert any(b.kind == "subheading" for a in articles for b in a.blocks())
    assert all(a.companies.exists() or a.vehicle_models.exists() for a in articles)
    assert all(len(a.tags.names()) >= 2 for a in articles)  # «Синтетика» and a topic


def test_dates_spread_over_the_years_with_some_drafts_and_scheduled(catalog):
    articles = list(generate(300, years=4, until=None))  # up to today: some are ahead
    dates = sorted(a.published_at for a in articles if a.state == "published")
    assert dates[-1] - dates[0] > dt.timedelta(days=3 * 365)
    assert {a.state for a in articles} == {"published", "draft", "scheduled"}
    assert sum(a.state != "published" for a in articles) < 30


def test_same_seed_gives_the_same_articles(catalog):
    generate(25, seed=5)
    first = snapshot()
    corpus.build_corpus(articles=0, clear=True, entities=0, verbosity=0)
    assert not Article.objects.exists()
    generate(25, seed=5)
    assert snapshot() == first


def test_another_seed_gives_other_articles(catalog):
    generate(10, seed=5)
    first = {key: value[0] for key, value in snapshot().items()}
    corpus.build_corpus(articles=0, clear=True, entities=0, verbosity=0)
    generate(10, seed=6)
    assert {key: value[0] for key, value in snapshot().items()} != first


def test_body_positions_and_links_are_what_the_linker_finds(catalog):
    articles = generate(150).with_entities()
    matcher = build_matcher()  # with the test entities the command added
    for article in articles:
        mentions = find_mentions(article=article, matcher=matcher)
        assert article.mentions == mentions.positions, article.source_key
        assert article.mentions_hash == article.text_hash()
        assert not link_entities(article=article, matcher=matcher).changed, article.source_key


def test_tags_are_the_topics_and_categories_the_loader_would_give(catalog):
    for article in generate(80).with_entities():
        categories = {CATEGORY_TAGS[m.category] for m in article.vehicle_models.all() if m.category}
        expected = article_topics(article) | categories | {corpus.TAG}
        assert set(article.tags.names()) == expected, article.source_key


def test_article_page_links_first_mentions(catalog, client):
    article = next(a for a in generate(20) if a.is_public and a.mentions)
    # The headline is never a link: the first mention after it is.
    _text, _start, _end, label, pk = next(m for m in article.mentions if m[0] != 0)
    entity = next(
        e
        for model in (Company, Country, Official, VehicleModel)
        for e in model.objects.all()
        if (e._meta.label_lower, e.pk) == (label, pk)
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert f'<a class="mention" href="{entity.get_absolute_url()}">' in response.content.decode()


def test_every_template_agrees_with_the_linker_for_every_catalog_name(catalog):
    # Each template sentence with each case form of each entity of the catalog
    # (and some test entities) in each of its slots: the positions the
    # generator records are the ones the linker finds.
    corpus.add_synthetic_entities(12)
    matcher = build_matcher()
    generator = corpus.Generator(matcher=matcher, until=UNTIL)
    templates = [
        *generator.titles,
        *generator.sentences,
        *(t for ts in generator.topic_sentences.values() for t in ts),
    ]
    checked = 0
    for template in templates:
        slots = [(n, kind, case) for n, (part, kind, case) in enumerate(template.parts)]
        for position, kind, case in slots:
            if template.parts[position][0] != "slot" or kind not in corpus.ENTITY_KINDS:
                continue
            for entity, forms in generator.cast_pool[kind]:
                for form in forms.get(case) or forms["nomn"]:
                    cast = {k: v[:2] for k, v in generator.cast_pool.items() if v}
                    cast[kind] = [(entity, {case: [form], "nomn": [form]}), *cast[kind]]
                    draft = _Draft(_NoRandom(), cast, 2025)
                    text, recorded = draft.sentence(template)
                    found = [
                        (m.start, m.end, m.entity._meta.label_lower, m.entity.pk)
                        for m in matcher.find(text)
                    ]
                    assert found == recorded, text
                    checked += 1
    assert checked > 500


class _NoRandom(random.Random):
    """Always the first choice: each slot takes the form the test put first."""

    def random(self):
        return 0.0


@pytest.mark.parametrize(
    ("slug", "case", "expected"),
    [
        ("tulpar-motors", "gent", "Тулпар Моторса"),
        ("tulpar-motors", "ablt", "Тулпар Моторсом"),
        ("roman-chekushov", "gent", "Романа Чекушова"),
        ("roman-chekushov", "ablt", "Романом Чекушовым"),
        ("adylbek-kasymaliev", "datv", "Адылбеку Касымалиеву"),
        ("kyrgyzstan", "loct", "Кыргызстане"),
        ("minpromtorg-rossii", "gent", "Министерства промышленности и торговли РФ"),
        ("chevrolet-onix", "gent", "Chevrolet Onix"),
    ],
)
def test_names_take_case_forms(catalog, slug, case, expected):
    entity = next(
        e
        for model in (Company, Country, Official, VehicleModel)
        for e in model.objects.all()
        if e.slug == slug
    )
    assert corpus.inflect_name(entity, entity.name, case) == expected


@pytest.mark.parametrize(
    ("name", "case", "expected"),
    [
        ("Кыргызская Республика", "accs", "Кыргызскую Республику"),
        ("Кыргызская Республика", "gent", "Кыргызской Республики"),
        ("Минпромторг России", "ablt", "Минпромторгом России"),
        ("Тестовый завод 7", "gent", "Тестового завода 7"),
        ("Тестовый завод 7", "accs", "Тестовый завод 7"),
        ("Исузу", "gent", "Исузу"),
        ("КР", "loct", "КР"),
    ],
)
def test_aliases_and_test_names_take_case_forms(db, name, case, expected):
    assert corpus.inflect_name(Company(name=name), name, case) == expected


def test_test_entities_are_marked_and_clear_removes_only_synthetic_data(catalog, seed_dir):
    real = Article.objects.create(title="Настоящая", slug="nastoiashchaia", lead="Лид.")
    generate(10, entities=12)
    plants = Company.objects.filter(slug__startswith=corpus.PREFIX)
    assert plants.exists()
    assert all(c.description == corpus.ENTITY_DESCRIPTION for c in plants)
    assert VehicleModel.objects.filter(slug__startswith=corpus.PREFIX).exists()
    corpus.build_corpus(articles=0, clear=True, entities=0, verbosity=0)
    assert list(Article.objects.all()) == [real]
    assert not Company.objects.filter(slug__startswith=corpus.PREFIX).exists()
    assert Company.objects.filter(slug="tulpar-motors").exists()


def test_numbers_continue_after_earlier_runs(catalog):
    generate(5)
    generate(5)
    keys = list(Article.objects.values_list("source_key", flat=True).order_by("source_key"))
    assert keys == [f"synthetic-{n:07d}" for n in range(1, 11)]


def test_loads_the_real_catalog_when_missing(db):
    generate(5, entities=0)
    assert Company.objects.filter(slug="tulpar-motors").exists()
    assert Article.objects.count() == 5


def test_script_reports_progress_and_rate(catalog, capsys):
    argv = ["--articles", "30", "--batch-size", "20", "--entities", "0"]
    assert main([*argv, "--until", UNTIL.isoformat()]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-3].strip().startswith("20/30 articles (")
    assert out[-1].startswith("Generated 30 synthetic articles in ")
    assert out[-1].endswith(" articles/s)")


def test_bumps_the_content_version_once(catalog, monkeypatch):
    calls = []
    monkeypatch.setattr(
        "bench.corpus.build.bump_content_version",
        lambda: calls.append(1),
    )
    generate(30, batch_size=10)
    assert calls == [1]


def test_seed_documents_parse_back_to_the_article(catalog):
    (synthetic,) = corpus.documents(count=1, seed=9)
    document = parse_document(synthetic.seed_document(), path=Path("x.txt"))
    assert (document.title, document.lead, document.body) == (
        synthetic.title,
        synthetic.lead,
        synthetic.body,
    )


def test_search_finds_generated_articles(catalog):
    # Fifteen articles: every match fits on the first page.
    article = next(a for a in generate(15, entities=0) if a.is_public)
    results = search_articles(query=article.title).page.object_list
    assert article.pk in {r.article.pk for r in results}


@pytest.mark.postgres
def test_postgres_search_vector_covers_bulk_inserted_articles(catalog):
    articles = list(generate(30, entities=0))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE source_key LIKE %s "
            "AND search_vector @@ plainto_tsquery('russian', %s)",
            [f"{corpus.PREFIX}%", "синтетическая новость"],
        )
        [count] = cursor.fetchone()
    assert count == len(articles)


def test_slugs_transliterate_like_make_slug(catalog):
    for article in generate(20, entities=0):
        assert _transliterate(article.title) == make_slug(article.title)
        assert article.slug.startswith(make_slug(article.title)[:60])
