import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.linking import build_matcher, link_entities, sync_links
from articles.linking.topics import CATEGORY_TAGS, TOPICS, apply_topic_tags
from articles.models import Article, Tag
from articles.publishing import unique_article_slug
from articles.seeding import LoadError, load_documents, read_document
from articles.seeding.memory import release_freed_memory
from articles.tests.factories import ArticleFactory
from bench import corpus
from companies.kinds import KINDS
from companies.models import Company, Country

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
REAL_SEED = SEEDS / "000_f151a0e0119b62b8.txt"
CATALOG = SEEDS / "catalog.json"

GOOD = "date 2025-08-16\nЗавод начал работу\n\nТулпар Моторс собирает машины в Киргизии.\n\nТекст."


def load(path, **options):
    return load_documents(paths=[path], catalog=CATALOG, **options)


def test_real_seed_is_published_linked_and_tagged(db):
    report = load(REAL_SEED)
    article = Article.objects.get(source_key="000_f151a0e0119b62b8")
    assert [a.pk for a in report.created] == [article.pk]
    assert article.is_public
    assert article.published_at.isoformat() == "2025-08-15T18:00:00+00:00"
    assert article.slug.startswith("rossiia-i-kirgiziia-obsuzhdaiut")
    assert {c.slug for c in article.companies.all()} == {
        "tulpar-motors",
        "chevrolet",
        "isuzu",
        "minpromtorg-rossii",
    }
    assert {c.slug for c in article.countries.all()} == {"rossiya", "kyrgyzstan"}
    assert {o.slug for o in article.officials.all()} == {"roman-chekushov", "adylbek-kasymaliev"}
    assert {m.slug for m in article.vehicle_models.all()} == {
        "chevrolet-onix",
        "chevrolet-cobalt",
        "chevrolet-tracker",
        "isuzu-trucks",
        "isuzu-buses",
    }
    assert {"Автопром", "Машиностроение", "Кроссоверы", "Грузовики"} <= set(article.tags.names())


def test_loading_again_changes_nothing(db):
    load(REAL_SEED)
    article = Article.objects.get()
    before = (article.updated_at, article.loaded_hash)
    report = load(REAL_SEED)
    assert (len(report.created), len(report.updated), len(report.unchanged)) == (0, 0, 1)
    article.refresh_from_db()
    assert (article.updated_at, article.loaded_hash) == before
    assert Article.objects.count() == 1


def test_loading_again_writes_nothing(db, seed_dir):
    # The real seed's headline is derived: a second load has no flag to set either.
    load(REAL_SEED)
    assert Article.objects.get().title_derived
    with CaptureQueriesContext(connection) as queries:
        load(REAL_SEED)
    assert not [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]


def test_loaded_text_is_normalised_as_an_editors(db, seed_dir):
    pasted = (
        "date 2025-08-16\r\nЗавод начал работу\r\n\r\nЛид.\r\n\r\nПервый абзац: произ-\r\n"
        "водство\xa0растёт.\r\n\r\nПланы на год\r\n\r\nВторой абзац.\r\n"
    )
    load(seed_dir.write("pasted.txt", pasted))
    article = Article.objects.get()
    assert article.body == "Первый абзац: производство растёт.\n\n## Планы на год\n\nВторой абзац."
    assert [block.kind for block in article.blocks()] == ["paragraph", "subheading", "paragraph"]


def test_changed_file_updates_its_article(db, seed_dir):
    file = seed_dir.write("news.txt", GOOD)
    load(file)
    seed_dir.write("news.txt", GOOD.replace("Текст.", "Новый текст про Isuzu."))
    report = load(file)
    article = Article.objects.get(source_key="news")
    assert len(report.updated) == 1
    assert article.body == "Новый текст про Isuzu."
    assert article.companies.filter(slug="isuzu").exists()


def test_editor_edits_survive_a_changed_file(db, seed_dir):
    file = seed_dir.write("news.txt", GOOD)
    load(file)
    article = Article.objects.get(source_key="news")
    article.title = "Заголовок от редактора"
    article.save()
    seed_dir.write("news.txt", GOOD.replace("Текст.", "Другой текст."))

    report = load(file)

    article.refresh_from_db()
    assert article.title == "Заголовок от редактора"
    assert article.body == "Текст."
    assert [a.pk for a, _reason in report.skipped] == [article.pk]
    assert "--force" in report.skipped[0][1]


def test_force_overwrites_editor_edits(db, seed_dir):
    file = seed_dir.write("news.txt", GOOD)
    load(file)
    Article.objects.filter(source_key="news").update(title="Заголовок от редактора")
    seed_dir.write("news.txt", GOOD.replace("Текст.", "Другой текст."))

    report = load(file, force=True)

    article = Article.objects.get(source_key="news")
    assert len(report.updated) == 1
    assert (article.title, article.body) == ("Завод начал работу", "Другой текст.")


def test_editor_edit_alone_is_not_overwritten_by_an_unchanged_file(db, seed_dir):
    file = seed_dir.write("news.txt", GOOD)
    load(file)
    Article.objects.filter(source_key="news").update(status=Article.Status.DRAFT)
    report = load(file, force=True)
    assert len(report.unchanged) == 1
    assert Article.objects.get().status == Article.Status.DRAFT


def test_bad_file_among_good_ones_writes_nothing(db, seed_dir):
    seed_dir.write("a_good.txt", GOOD)
    seed_dir.write("b_bad.txt", "date 2025-02-30 Текст.")
    seed_dir.write("c_good.txt", GOOD)
    with pytest.raises(LoadError) as error:
        load(seed_dir.path)
    assert [str(e) for e in error.value.errors] == [
        f"{seed_dir.path / 'b_bad.txt'}:1: impossible date 2025-02-30"
    ]
    assert Article.objects.count() == 0
    assert Company.objects.count() == 0  # not even the catalog


def test_failure_while_writing_rolls_back_everything(db, seed_dir, monkeypatch):
    seed_dir.write("a.txt", GOOD)
    seed_dir.write("b.txt", GOOD)
    calls = []

    def fail_on_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    # One file per batch: the second batch fails after the first was written.
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 1)
    monkeypatch.setattr("articles.seeding.loader.tag_articles", fail_on_second)
    with pytest.raises(RuntimeError):
        load(seed_dir.path)
    assert Article.objects.count() == 0
    assert Country.objects.count() == 0


def test_skip_invalid_loads_the_valid_files(db, seed_dir):
    seed_dir.write("a_good.txt", GOOD)
    seed_dir.write("b_bad.txt", b"date 2025-08-16\n\xff\xfe")
    report = load(seed_dir.path, skip_invalid=True)
    assert list(Article.objects.values_list("source_key", flat=True)) == ["a_good"]
    assert [Path(e.path).name for e in report.invalid] == ["b_bad.txt"]
    assert report.summary() == "created 1, updated 0, unchanged 0, skipped 1"


def test_dry_run_writes_nothing_but_reports(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    report = load(seed_dir.path, dry_run=True)
    assert len(report.created) == 1
    assert report.summary().endswith("(dry run: nothing written)")
    assert Article.objects.count() == 0
    assert Company.objects.count() == 0


def test_only_txt_files_of_a_folder_are_documents(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    seed_dir.write("notes.md", "не документ")
    load(seed_dir.path)
    assert list(Article.objects.values_list("source_key", flat=True)) == ["a"]


def test_same_title_gets_a_distinct_slug(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    seed_dir.write("b.txt", GOOD)
    load(seed_dir.path)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["zavod-nachal-rabotu", "zavod-nachal-rabotu-2"]


def test_catalog_does_not_overwrite_an_editors_entity(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    load(seed_dir.path)
    Company.objects.filter(slug="tulpar-motors").update(description="Правка редактора")
    report = load(seed_dir.path)
    assert Company.objects.get(slug="tulpar-motors").description == "Правка редактора"
    assert report.catalog_created == 0
    assert report.catalog_kept == 13


def test_missing_path_is_an_error(db, tmp_path):
    with pytest.raises(LoadError, match="no such file or folder"):
        load(tmp_path / "nowhere")


# The management command ------------------------------------------------------


def test_command_loads_default_folder_and_prints_summary(db, capsys):
    call_command("load_seed")
    out = capsys.readouterr().out
    assert "catalog: 13 entities added, 0 already present" in out
    assert out.strip().splitlines()[-1] == "Created 1, updated 0, unchanged 0, skipped 0"
    call_command("load_seed")
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "Created 0, updated 0, unchanged 1, skipped 0"
    )


def test_command_fails_naming_file_line_and_reason(db, seed_dir, capsys):
    seed_dir.write("a.txt", GOOD)
    bad = seed_dir.write("b.txt", "date 2025-08-16\nПривет\n".encode() + "мир".encode("cp1251"))
    with pytest.raises(CommandError, match="1 invalid file"):
        call_command("load_seed", str(seed_dir.path))
    err = capsys.readouterr().err
    assert f"{bad}:3: byte 0xec at column 1 is not valid utf-8" in err
    assert "--encoding cp1251" in err
    assert Article.objects.count() == 0


def test_command_reads_legacy_encoding(db, seed_dir):
    seed_dir.write("a.txt", GOOD, encoding="cp1251")
    call_command("load_seed", str(seed_dir.path), "--encoding", "cp1251", verbosity=0)
    assert Article.objects.get().lead.startswith("Тулпар Моторс")


def test_command_rejects_unknown_encoding(db, seed_dir):
    with pytest.raises(CommandError, match="Unknown encoding 'klingon'"):
        call_command("load_seed", str(seed_dir.path), "--encoding", "klingon")


def test_command_warns_about_skipped_articles(db, seed_dir, capsys):
    shutil.copy(REAL_SEED, seed_dir.path / "x.txt")
    call_command("load_seed", str(seed_dir.path))
    Article.objects.update(title="Правка")
    (seed_dir.path / "x.txt").write_text(REAL_SEED.read_text(encoding="utf-8") + "\n\nЕщё абзац.")
    call_command("load_seed", str(seed_dir.path))
    captured = capsys.readouterr()
    assert "skipped x: edited by an editor since it was loaded" in captured.err
    assert captured.out.strip().splitlines()[-1] == "Created 0, updated 0, unchanged 0, skipped 1"


def test_command_dry_run_and_no_catalog(db, seed_dir, capsys):
    seed_dir.write("a.txt", GOOD)
    call_command("load_seed", str(seed_dir.path), "--dry-run", "--no-catalog")
    assert "dry run" in capsys.readouterr().out
    assert Article.objects.count() == 0
    call_command("load_seed", str(seed_dir.path), "--no-catalog", verbosity=0)
    assert Company.objects.count() == 0
    assert Article.objects.get().companies.count() == 0


# Batches ------------------------------------------------------------------------


def write_synthetic(seed_dir, count, *, seed=11):
    """``count`` synthetic seed files with distinct headlines, ``doc_001.txt`` onwards."""
    files = []
    for synthetic in corpus.documents(count=count, seed=seed):
        text = synthetic.seed_document().replace(
            synthetic.title, f"{synthetic.title} номер {synthetic.index}", 1
        )
        files.append(seed_dir.write(f"doc_{synthetic.index:03d}.txt", text))
    return files


def state() -> dict[str, tuple]:
    """Everything the loader writes, by source key."""
    result = {}
    for article in Article.objects.all():
        links = sorted(
            (kind.name, entity_id, origin)
            for kind in KINDS
            for entity_id, origin in kind.links.objects.filter(article=article).values_list(
                "entity_id", "origin"
            )
        )
        result[article.source_key] = (
            article.title,
            article.slug,
            article.lead,
            article.body,
            article.status,
            article.published_at,
            article.source_hash,
            article.loaded_hash,
            article.mentions,
            article.mentions_hash,
            links,
            sorted(article.tags.names()),
        )
    return result


def load_one_by_one(paths):
    """The loader as it was before batches: save, link, tag, one article at a time."""
    matcher = build_matcher()
    for path in sorted(paths):
        document = read_document(path)
        article = Article(source_key=document.source_key, slug=unique_article_slug(document.title))
        article.title, article.lead, article.body = document.title, document.lead, document.body
        article.status = Article.Status.PUBLISHED
        article.published_at = document.published_at
        article.source_hash = document.content_hash
        article.loaded_hash = article.editorial_hash()
        article.save()
        link_entities(article=article, matcher=matcher)
        apply_topic_tags(article=article)


def test_batches_write_what_loading_one_by_one_wrote(catalog, seed_dir, monkeypatch):
    files = write_synthetic(seed_dir, 30)
    files.append(seed_dir.write("real.txt", REAL_SEED.read_bytes()))
    files.append(seed_dir.write("same_headline.txt", GOOD))
    files.append(seed_dir.write("same_headline_again.txt", GOOD))
    load_one_by_one(files)
    before = state()
    Article.objects.all().delete()

    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 7)  # batches end mid-folder
    report = load(seed_dir.path)

    assert len(report.created) == 33
    assert state() == before


def test_batches_keep_unchanged_updated_and_edited_apart(catalog, seed_dir, monkeypatch):
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 5)
    files = write_synthetic(seed_dir, 12)
    load(seed_dir.path)
    Article.objects.filter(source_key="doc_005").update(title="Правка редактора")
    for n in (2, 5, 9):
        file = files[n - 1]
        file.write_text(file.read_text(encoding="utf-8") + "\nТулпар Моторс.\n", encoding="utf-8")
    seed_dir.write("new_a.txt", GOOD)
    seed_dir.write("new_b.txt", GOOD.replace("Текст.", "Isuzu."))

    report = load(seed_dir.path)

    assert [a.source_key for a in report.created] == ["new_a", "new_b"]
    assert [a.source_key for a in report.updated] == ["doc_002", "doc_009"]
    assert [a.source_key for a, _reason in report.skipped] == ["doc_005"]
    assert len(report.unchanged) == 9
    assert Article.objects.get(source_key="doc_005").title == "Правка редактора"
    assert Article.objects.get(source_key="doc_009").companies.filter(slug="tulpar-motors")
    assert Article.objects.get(source_key="new_b").companies.filter(slug="isuzu")
    again = load(seed_dir.path)
    assert (len(again.created), len(again.updated), len(again.unchanged)) == (0, 0, 13)


def test_bad_file_among_many_good_ones_writes_nothing_in_batches(db, seed_dir, monkeypatch):
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 4)
    for n in range(20):
        seed_dir.write(f"{n:02d}_good.txt", GOOD)
    seed_dir.write("10_bad.txt", "Заголовок без даты")
    with pytest.raises(LoadError, match=r"10_bad\.txt:1: expected the header"):
        load(seed_dir.path)
    assert Article.objects.count() == 0
    assert Company.objects.count() == 0


def test_failure_in_the_middle_of_a_batch_rolls_back_everything(db, seed_dir, monkeypatch):
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 3)
    for n in range(7):
        seed_dir.write(f"{n}.txt", GOOD)
    calls = []

    def fail_in_second_batch(**kwargs):
        # The second batch's articles are in the database when their links fail.
        calls.append(kwargs)
        if len(calls) == 2:
            assert Article.objects.count() == 6
            raise RuntimeError("connection lost")
        return sync_links(**kwargs)

    monkeypatch.setattr("articles.seeding.loader.sync_links", fail_in_second_batch)
    with pytest.raises(RuntimeError):
        load(seed_dir.path)
    assert Article.objects.count() == 0
    assert Country.objects.count() == 0


def test_each_file_is_read_once(db, seed_dir, monkeypatch):
    # A file read twice (checked, then read again to be written) costs a
    # second parse and can change in between; read once, neither can happen.
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 2)
    for name in ("a", "b", "c"):
        seed_dir.write(f"{name}.txt", GOOD)
    reads = []
    real_read = read_document

    def counting_read(path, **kwargs):
        reads.append(path.name)
        return real_read(path, **kwargs)

    monkeypatch.setattr("articles.seeding.loader.read_document", counting_read)
    load(seed_dir.path)
    assert sorted(reads) == ["a.txt", "b.txt", "c.txt"]


def test_bad_file_after_written_batches_reports_every_error_and_writes_nothing(
    db, seed_dir, monkeypatch
):
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 2)
    for n in range(5):
        seed_dir.write(f"{n}_good.txt", GOOD)
    seed_dir.write("6_bad.txt", "Заголовок без даты")
    seed_dir.write("7_good.txt", GOOD)
    seed_dir.write("8_bad.txt", "date 2025-13-40 Текст.")
    with pytest.raises(LoadError) as raised:
        load(seed_dir.path)
    assert [Path(error.path).name for error in raised.value.errors] == ["6_bad.txt", "8_bad.txt"]
    assert Article.objects.count() == 0
    assert Company.objects.count() == 0


def test_queries_do_not_grow_with_the_files_of_a_batch(catalog, tmp_path_factory):
    # The tags exist already: creating a tag the first time takes queries of its own.
    for name in [*TOPICS, *CATEGORY_TAGS.values()]:
        Tag.objects.create(name=name)
    counts = []
    for count in (5, 25):
        folder = tmp_path_factory.mktemp(f"docs{count}")
        for synthetic in corpus.documents(count=count, seed=count):
            # Distinct headlines, so no slug is taken (which costs a query).
            text = synthetic.seed_document().replace(
                synthetic.title, f"{count} {synthetic.index} {synthetic.title}", 1
            )
            (folder / f"{count}_{synthetic.index:03d}.txt").write_text(text, encoding="utf-8")
        with CaptureQueriesContext(connection) as queries:
            load_documents(paths=[folder], catalog=None)
        # Each tag name is looked up once per load (by name, ignoring case, as
        # taggit does): those queries follow the tags used, not the files.
        lookups = [q for q in queries if 'FROM "articles_tag"' in q["sql"]]
        assert len(lookups) <= 2 * (len(TOPICS) + len(CATEGORY_TAGS))
        counts.append(len(queries) - len(lookups))
    assert counts[0] == counts[1]


def test_report_keeps_summaries_not_whole_articles(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    report = load(seed_dir.path)
    (loaded,) = report.created
    article = Article.objects.get()
    assert loaded == (article.pk, "a", "Завод начал работу", article.slug)


def test_content_version_is_bumped_once_after_a_load_that_changed_something(
    db, seed_dir, monkeypatch
):
    bumps = []
    monkeypatch.setattr("articles.seeding.loader.bump_content_version", lambda: bumps.append(1))
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 1)
    seed_dir.write("a.txt", GOOD)
    seed_dir.write("b.txt", GOOD)
    load(seed_dir.path, dry_run=True)
    assert bumps == []
    load(seed_dir.path)
    assert bumps == [1]
    load(seed_dir.path)  # unchanged
    assert bumps == [1]


def test_many_equal_headlines_take_the_next_free_numbers(db, seed_dir, monkeypatch):
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 3)
    ArticleFactory(slug="zavod-nachal-rabotu")
    ArticleFactory(slug="zavod-nachal-rabotu-3")
    for n in range(7):
        seed_dir.write(f"{n}.txt", GOOD)
    load(seed_dir.path)
    slugs = Article.objects.filter(source_key__isnull=False).order_by("source_key")
    assert list(slugs.values_list("slug", flat=True)) == [
        "zavod-nachal-rabotu-2",
        "zavod-nachal-rabotu-4",
        "zavod-nachal-rabotu-5",
        "zavod-nachal-rabotu-6",
        "zavod-nachal-rabotu-7",
        "zavod-nachal-rabotu-8",
        "zavod-nachal-rabotu-9",
    ]


def test_equal_headlines_get_the_slugs_loading_one_by_one_gave(catalog, seed_dir, monkeypatch):
    files = [seed_dir.write(f"{n:02d}.txt", GOOD) for n in range(60)]
    files.append(seed_dir.write("other.txt", GOOD.replace("Завод начал работу", "Другое")))
    load_one_by_one(files)
    before = dict(Article.objects.values_list("source_key", "slug"))
    Article.objects.all().delete()
    monkeypatch.setattr("articles.seeding.slugs.LoadSlugs.WINDOW", 4)  # several windows per search
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 7)
    load(seed_dir.path)
    assert dict(Article.objects.values_list("source_key", "slug")) == before


def test_equal_headlines_of_a_batch_look_their_numbers_up_together(catalog, seed_dir):
    for n in range(30):
        seed_dir.write(f"a{n:02d}.txt", GOOD)
        seed_dir.write(f"b{n:02d}.txt", GOOD.replace("Завод начал работу", "Другое"))
    with CaptureQueriesContext(connection) as queries:
        load(seed_dir.path)
    slug_lookups = [q for q in queries if q["sql"].startswith('SELECT "articles_article"."slug"')]
    # The bases, then the numbered slugs of both bases: not a query per article.
    assert len(slug_lookups) == 2
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == 60 and "zavod-nachal-rabotu-30" in slugs


def test_memory_a_batch_freed_is_released_after_each_full_batch(db, seed_dir, monkeypatch):
    # A structural check: the heap left fragmented by batch after batch grew
    # the resident memory of a 10,000-document load by 45 MB.
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 2)
    releases = []
    monkeypatch.setattr("articles.seeding.loader.release_freed_memory", lambda: releases.append(1))
    for n in range(5):
        seed_dir.write(f"{n}.txt", GOOD)
    load(seed_dir.path)
    assert len(releases) == 2


def test_releasing_freed_memory_works_or_says_it_cannot():
    assert release_freed_memory() in (True, False)


def test_a_report_without_articles_keeps_counts_and_passes_each_article_on(db, seed_dir):
    for name in ("a", "b"):
        seed_dir.write(f"{name}.txt", GOOD)
    load(seed_dir.path)
    seed_dir.write("b.txt", GOOD.replace("Текст.", "Другой текст."))
    seed_dir.write("c.txt", GOOD)
    seen = []
    report = load(
        seed_dir.path,
        keep_articles=False,
        listener=lambda outcome, article: seen.append((outcome, article.source_key)),
    )
    assert (report.created, report.updated, report.unchanged) == ([], [], [])
    assert sorted(seen) == [("created", "c"), ("unchanged", "a"), ("updated", "b")]
    assert report.summary() == "created 1, updated 1, unchanged 1, skipped 0"


def test_command_lists_each_article_at_verbosity_2(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    seed_dir.write("b.txt", GOOD)
    out = StringIO()
    call_command("load_seed", str(seed_dir.path), "--no-catalog", verbosity=2, stdout=out)
    lines = out.getvalue().splitlines()
    assert "created: a: Завод начал работу" in lines
    assert "created: b: Завод начал работу" in lines
    assert lines[-1] == "Created 2, updated 0, unchanged 0, skipped 0"
