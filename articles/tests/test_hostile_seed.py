"""The loader and the linker under hostile input.

Property-based tests (hypothesis) feed them arbitrary text and bytes: the
parser returns a document or raises ``SeedError``, the loader loads a whole
batch or raises ``LoadError`` and leaves the database as it was, and the
linker finds mentions in anything without failing. Each example has a
deadline, so a document that makes them spin fails the test. The examples are
derandomized: every run, on every machine, tries the same inputs.

The loader also refuses symbolic links that lead out of a seed folder, files
over its size limit and other things that are not seed documents, before it
writes anything.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.linking import ArticleText, Matcher, build_matcher, find_mentions
from articles.models import (
    Article,
    ArticleCompany,
    ArticleCountry,
    ArticleOfficial,
    ArticleVehicleModel,
    Tag,
    TaggedArticle,
)
from articles.seeding import (
    MAX_BYTES,
    LoadError,
    SeedError,
    collect_files,
    decode,
    load_documents,
    parse_document,
    read_document,
)
from companies.models import Company, Country, Official, VehicleModel

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
GOOD = "date 2025-08-16\nЗавод начал работу\n\nТулпар Моторс собирает машины в Киргизии.\n"

# Reproducible in CI: the same examples every run, none stored between runs.
# An example takes milliseconds; the deadline leaves room for a busy machine
# and still fails a document that makes the code spin.
HOSTILE = settings(
    derandomize=True,
    database=None,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def catalog_names() -> list[str]:
    names = []
    for item in json.loads((SEEDS / "catalog.json").read_text(encoding="utf-8")):
        fields = item["fields"]
        names += [fields["name"], *fields.get("aliases", [])]
    return names


# Pieces a seed text is made of, and pieces that break naive parsers.
WORDS = [
    *catalog_names(),
    "завод",
    "Киргизии",
    "Романом Чекушовым",
    "Тулпар Моторса",
    "грузовиков",
    "date",
    "DATE 2025-08-16",
    "## ",
    "…",
    "...",
    "—",
    "«",
    "»",
    "<script>",
    "&amp;",
    "\ufeff",
    "\u200b",
    "\u202e",
    "\x0b",
    "\x00",
    "\u2028",
    "\xa0",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\n\n",
    "2025-02-30",
    "0001-01-01",
    "9999-12-31",
    "-",
    "_",
    "/",
    "2024.",
    "\U00017000",
]
piece = st.one_of(
    st.sampled_from(WORDS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(".,!?;: "),
)
line = st.lists(piece, max_size=12).map(" ".join)
header = st.one_of(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)).map(
        lambda d: f"date {d.isoformat()}"
    ),
    st.sampled_from(["date 2025-08-16", "  DATE\t2025-08-16", "date", "date 2025-8-16", ""]),
    line,
)
document_text = st.builds(
    lambda head, joiner, lines: joiner.join([head, *lines]),
    header,
    st.sampled_from(["\n", " ", "\n\n", "\r\n", "\r"]),
    st.lists(line, max_size=8),
)
document_bytes = st.one_of(
    document_text.map(lambda text: text.encode()),
    document_text.map(lambda text: b"\xef\xbb\xbf" + text.encode()),
    st.builds(lambda text, junk: text.encode() + junk, document_text, st.binary(max_size=8)),
    st.binary(max_size=64),
)


def database_state() -> dict[str, list]:
    """Every row the loader may write, to compare before and after a failed load."""
    models = [
        Article,
        ArticleCompany,
        ArticleCountry,
        ArticleOfficial,
        ArticleVehicleModel,
        Tag,
        TaggedArticle,
        Company,
        Country,
    ]
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in models}


# Parser ------------------------------------------------------------------------


@HOSTILE
@given(raw=document_bytes)
@example(raw=b"date 2025-08-16\n...\n")
@example(raw=b"date 0001-01-01 \xd0\xa2\xd0\xb5\xd0\xba\xd1\x81\xd1\x82.")
@example(raw=b"date 2025-08-16\n\xe2\x80\xa8\n")
@example(raw=b"\r\r date 2025-08-16\r\r## \r")
def test_parser_returns_a_document_or_a_seed_error(raw):
    try:
        document = parse_document(decode(raw, path="x.txt"), path=Path("x.txt"))
    except SeedError as error:
        assert error.path == "x.txt" and error.reason
        return
    # A loaded document always has something to show.
    assert document.title.strip() and document.lead.strip()
    assert "\x00" not in document.title + document.lead + document.body
    assert dt.date(1900, 1, 1) <= document.date <= dt.date(2100, 12, 31)


# Linker ----------------------------------------------------------------------


@HOSTILE
@given(text=st.one_of(line, document_text, st.text()))
@example(text="Тангутская буква \U00017000 без имени в Юникоде")
def test_linker_finds_mentions_in_any_text(catalog, text):
    # The catalog is small: a matcher per example costs little.
    matcher = build_matcher()
    article = Article(title=text[:300], lead=text, body=text)
    mentions = find_mentions(article=article, matcher=matcher)
    texts = ArticleText(article).texts
    for n, start, end, _label, _pk in mentions.positions:
        assert 0 <= start < end <= len(texts[n])


name = st.one_of(st.sampled_from(WORDS), line, st.text(max_size=30))


@HOSTILE
@given(
    names=st.lists(st.tuples(name, st.lists(name, max_size=3)), min_size=1, max_size=6),
    text=st.one_of(line, document_text),
)
@example(names=[("…", ["...", "… …", ""])], text="… ... Тест")
@example(names=[("Роман", ["Роман … Роман"])], text="Роман Роман Роман")
def test_linker_takes_any_catalog_names(names, text):
    # Editors type names and aliases; a hostile or careless one must not break linking.
    country = Country(pk=1, name="Страна", slug="strana")
    brand = Company(pk=1, name="Марка", slug="marka", kind=Company.Kind.BRAND)
    entities = [country, brand]
    for n, (main, aliases) in enumerate(names, start=2):
        entities += [
            Company(pk=n, name=main, slug=f"c{n}", aliases=aliases, country=country),
            VehicleModel(pk=n, name=f"Марка {main}", slug=f"m{n}", aliases=aliases, brand=brand),
            Official(pk=n, name=main, slug=f"o{n}", aliases=aliases, position=main),
        ]
    matcher = Matcher(entities)
    # The names themselves, and the text around them.
    sample = " ".join([text, *(main for main, _aliases in names), text])
    for mention in matcher.find(sample):
        assert 0 <= mention.start < mention.end <= len(sample)
        assert sample[mention.start : mention.end] == mention.text


# Loader ------------------------------------------------------------------------


@settings(HOSTILE, max_examples=40)
@given(batch=st.lists(document_bytes, min_size=1, max_size=3))
@example(batch=[GOOD.encode(), b"date 2025-02-30\n\xd0\xa2."])
@example(batch=[GOOD.encode(), b"date 0001-01-01\n\xd0\xa2\xd0\xb5\xd0\xba\xd1\x81\xd1\x82."])
@example(batch=[GOOD.encode(), b"date 2025-08-16\n...\n"])
def test_a_batch_loads_whole_or_not_at_all(catalog, batch):
    with tempfile.TemporaryDirectory() as folder, transaction.atomic():
        for n, raw in enumerate(batch):
            Path(folder, f"doc_{n}.txt").write_bytes(raw)
        before = database_state()
        try:
            report = load_documents(paths=[Path(folder)], catalog=None)
        except LoadError as error:
            assert error.errors
            assert all(e.path.startswith(folder) and e.reason for e in error.errors)
            assert database_state() == before, "a failed load wrote something"
        else:
            assert len(report.created) == len(batch)
            for article in Article.objects.filter(pk__in=[a.pk for a in report.created]):
                assert article.title.strip() and article.lead.strip() and article.slug
        # Each example starts from the same database.
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Тулпар Моторс " * 70_000, id="one-paragraph-of-names"),
        pytest.param("Ы" * 1_000_000, id="one-word"),
        pytest.param("Заголовок\n\n" * 80_000, id="many-subheadings"),
        pytest.param("Chevrolet … " * 80_000, id="gap-markers"),
    ],
)
def test_a_document_near_the_size_limit_loads_in_bounded_time(catalog, seed_dir, text):
    raw = f"date 2025-08-16\n{text}".encode()[: MAX_BYTES - 4]
    seed_dir.write("big.txt", raw.decode(errors="ignore"))
    started = time.perf_counter()
    report = load_documents(paths=[seed_dir.path], catalog=None)
    assert time.perf_counter() - started < 30
    assert len(report.created) == 1


# Paths ------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path_factory):
    """A valid seed document in a folder of its own, outside the seed folder."""
    file = tmp_path_factory.mktemp("outside") / "secret.txt"
    file.write_text(GOOD, encoding="utf-8")
    return file


def test_symlink_out_of_the_folder_is_refused_by_name(db, seed_dir, outside):
    seed_dir.write("a_good.txt", GOOD)
    link = seed_dir.path / "b_link.txt"
    link.symlink_to(outside)
    with pytest.raises(LoadError) as error:
        load_documents(paths=[seed_dir.path], catalog=SEEDS / "catalog.json")
    (refused,) = error.value.errors
    assert refused.path == str(link)
    assert f"symbolic link to {outside}, outside the folder {seed_dir.path}" in refused.reason
    assert Article.objects.count() == 0
    assert Company.objects.count() == 0  # not even the catalog


def test_relative_symlink_climbing_out_is_refused(db, seed_dir, outside):
    link = seed_dir.path / "up.txt"
    link.symlink_to(os.path.relpath(outside, seed_dir.path))
    with pytest.raises(LoadError, match="outside the folder"):
        load_documents(paths=[seed_dir.path], catalog=None)
    assert Article.objects.count() == 0


def test_dangling_symlink_out_of_the_folder_is_refused(db, seed_dir, tmp_path_factory):
    link = seed_dir.path / "gone.txt"
    link.symlink_to(tmp_path_factory.mktemp("elsewhere") / "missing.txt")
    with pytest.raises(LoadError, match="outside the folder"):
        load_documents(paths=[seed_dir.path], catalog=None)


def test_symlink_within_the_folder_is_followed(db, seed_dir):
    (seed_dir.path / "drafts").mkdir()
    (seed_dir.path / "drafts" / "real.txt").write_text(GOOD, encoding="utf-8")
    (seed_dir.path / "linked.txt").symlink_to(seed_dir.path / "drafts" / "real.txt")
    report = load_documents(paths=[seed_dir.path], catalog=None)
    assert [a.source_key for a in report.created] == ["linked"]


def test_file_and_folder_named_directly_are_read_even_as_links(db, tmp_path, outside):
    folder_link = tmp_path / "seeds-link"
    folder_link.symlink_to(outside.parent, target_is_directory=True)
    file_link = tmp_path / "named.txt"
    file_link.symlink_to(outside)
    report = load_documents(paths=[folder_link], catalog=None)
    assert [a.source_key for a in report.created] == ["secret"]
    report = load_documents(paths=[file_link], catalog=None)
    assert [a.source_key for a in report.created] == ["named"]


def test_command_names_the_refused_link_and_writes_nothing(db, seed_dir, outside, capsys):
    seed_dir.write("a_good.txt", GOOD)
    (seed_dir.path / "b_link.txt").symlink_to(outside)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_seed", str(seed_dir.path), "--no-catalog")
    assert "b_link.txt: is a symbolic link to" in capsys.readouterr().err
    assert Article.objects.count() == 0


def test_named_pipe_is_not_read(db, seed_dir):
    seed_dir.write("a_good.txt", GOOD)
    pipe = seed_dir.path / "pipe.txt"
    os.mkfifo(pipe)
    # In a folder it is not a document; named directly it is refused, never waited on.
    report = load_documents(paths=[seed_dir.path], catalog=None)
    assert [a.source_key for a in report.created] == ["a_good"]
    with pytest.raises(LoadError, match=r"pipe\.txt: not a regular file or folder"):
        load_documents(paths=[pipe], catalog=None)


# Links that appear between the listing and the open ----------------------------


def swap_for_link(file: Path, target: Path) -> None:
    file.unlink()
    file.symlink_to(target)


def test_a_link_is_never_followed_when_a_document_is_opened(seed_dir, outside):
    link = seed_dir.path / "link.txt"
    link.symlink_to(outside)
    with pytest.raises(SeedError) as error:
        read_document(link)
    assert error.value.path == str(link)
    assert f"is a symbolic link to {outside}" in error.value.reason


def test_a_file_swapped_for_a_link_after_the_listing_is_refused_by_name(
    db, seed_dir, outside, monkeypatch
):
    seed_dir.write("a_good.txt", GOOD)
    swapped = seed_dir.write("b_swapped.txt", GOOD)

    def list_then_swap(paths):
        files = collect_files(paths)
        swap_for_link(swapped, outside)  # after the check, before the open
        return files

    monkeypatch.setattr("articles.seeding.loader.collect_files", list_then_swap)
    with pytest.raises(LoadError) as error:
        load_documents(paths=[seed_dir.path], catalog=None)
    (refused,) = error.value.errors
    assert refused.path == str(swapped)
    assert f"is a symbolic link to {outside} where a file was" in refused.reason
    assert Article.objects.count() == 0


def test_an_accepted_link_is_read_at_the_target_it_had_when_listed(
    db, seed_dir, outside, monkeypatch
):
    (seed_dir.path / "drafts").mkdir()
    real = seed_dir.path / "drafts" / "real.txt"
    real.write_text(GOOD, encoding="utf-8")
    link = seed_dir.path / "linked.txt"
    link.symlink_to(real)

    def list_then_retarget(paths):
        files = collect_files(paths)
        swap_for_link(link, outside)  # the link now leads out of the folder
        outside.write_text(GOOD + "\nСекретный абзац.\n", encoding="utf-8")
        return files

    monkeypatch.setattr("articles.seeding.loader.collect_files", list_then_retarget)
    report = load_documents(paths=[seed_dir.path], catalog=None)
    assert [a.source_key for a in report.created] == ["linked"]
    assert "Секретный" not in Article.objects.get().body


# Size and names ---------------------------------------------------------------


def test_file_over_the_limit_is_refused_without_reading_it(db, seed_dir):
    seed_dir.write("a_good.txt", GOOD)
    big = seed_dir.path / "b_big.txt"
    with big.open("wb") as stream:
        stream.write(GOOD.encode())
        stream.truncate(64 * 1024 * 1024)  # sparse where the file system allows
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as error:
            load_documents(paths=[seed_dir.path], catalog=None)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (refused,) = error.value.errors
    assert str(refused) == (
        f"{big}: file is 67,108,864 bytes, over the 1 MB limit; split it into several "
        "or raise the limit with --max-bytes"
    )
    assert peak < 8 * 1024 * 1024  # the 64 MB were never read
    assert Article.objects.count() == 0


def test_file_at_the_limit_is_read(db, seed_dir):
    text = GOOD + "Текст." * 10
    raw = text.encode()
    seed_dir.write("exact.txt", raw)
    report = load_documents(paths=[seed_dir.path], catalog=None, max_bytes=len(raw))
    assert len(report.created) == 1
    with pytest.raises(LoadError, match=f"over the {len(raw) - 1:,}-byte limit"):
        load_documents(paths=[seed_dir.path], catalog=None, max_bytes=len(raw) - 1)


def test_command_limit_option(db, seed_dir, capsys):
    seed_dir.write("a_small.txt", GOOD)
    seed_dir.write("b_large.txt", GOOD + "Ещё текст. " * 200)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_seed", str(seed_dir.path), "--no-catalog", "--max-bytes", "1K")
    err = capsys.readouterr().err
    assert "b_large.txt: file is" in err and "over the 1,024-byte limit" in err
    assert "a_small.txt" not in err
    assert Article.objects.count() == 0
    call_command("load_seed", str(seed_dir.path), "--no-catalog", "--max-bytes", "4K")
    assert Article.objects.count() == 2


@pytest.mark.parametrize("value", ["abc", "0", "-5", "1G"])
def test_command_rejects_a_bad_limit(db, seed_dir, value):
    with pytest.raises(CommandError, match="size"):
        call_command("load_seed", str(seed_dir.path), "--max-bytes", value)


def test_overlong_file_name_is_refused_by_name(db, seed_dir):
    name = "а" * 120 + ".txt"  # 120 characters, 240 bytes: fits the file system
    seed_dir.write(name, GOOD)
    seed_dir.write("b" * 201 + ".txt", GOOD)
    with pytest.raises(LoadError) as error:
        load_documents(paths=[seed_dir.path], catalog=None)
    (refused,) = error.value.errors
    assert refused.reason == (
        "file name is 201 characters long without .txt; the limit is 200, shorten it"
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("date 0001-01-01 Текст.", "date 0001-01-01 is outside 1900–2100; is it a typo?"),
        ("date 2999-01-01 Текст.", "date 2999-01-01 is outside 1900–2100; is it a typo?"),
        ("date 2025-08-16\n\n...", "the first paragraph has no words to make a headline from"),
    ],
)
def test_documents_the_database_cannot_take_are_refused_clearly(db, seed_dir, text, reason):
    seed_dir.write("odd.txt", text)
    with pytest.raises(LoadError) as error:
        load_documents(paths=[seed_dir.path], catalog=None)
    assert error.value.errors[0].reason == reason
    assert Article.objects.count() == 0


# Catalog ----------------------------------------------------------------------


def catalog_file(folder: Path, *entries: dict) -> Path:
    """The real catalog with ``entries`` after it."""
    data = json.loads((SEEDS / "catalog.json").read_text(encoding="utf-8")) + list(entries)
    path = folder / "catalog.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def company(**fields) -> dict:
    base = {"name": "Завод", "slug": "zavod", "kind": "other", "aliases": []}
    return {"model": "companies.company", "fields": {**base, **fields}}


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        pytest.param(
            {
                "model": "auth.user",
                "fields": {"username": "intruder", "password": "x", "is_superuser": True},
            },
            "entry 14 is a auth.User row; a catalog holds only countries, companies, "
            "vehicle models and officials",
            id="another-table",
        ),
        pytest.param(
            {"model": "articles.article", "fields": {"title": "Чужая", "slug": "chuzhaya"}},
            "entry 14 is a articles.Article row",
            id="an-article",
        ),
        pytest.param(company(slug="a/b"), "entry 14 (company 'a/b'): slug:", id="slug"),
        pytest.param(company(name="Я" * 201), "entry 14 (company 'zavod'): name:", id="name"),
        pytest.param(company(kind="evil"), "entry 14 (company 'zavod'): kind:", id="choice"),
        pytest.param(
            company(aliases=5), "entry 14 (company 'zavod'): aliases must be a list", id="aliases"
        ),
        pytest.param(
            company(aliases=["Завод", {"x": 1}]),
            "entry 14 (company 'zavod'): aliases must be a list",
            id="alias-object",
        ),
        pytest.param(
            {
                "model": "companies.country",
                "fields": {"name": "Вторая", "slug": "vtoraya", "iso_code": "KG", "aliases": []},
            },
            "entry 14 (country 'vtoraya'): iso_code:",
            id="duplicate-code",
        ),
    ],
)
def test_hostile_catalog_entries_are_refused_and_nothing_written(db, seed_dir, entry, reason):
    seed_dir.write("a.txt", GOOD)
    catalog = catalog_file(seed_dir.path, entry)
    with pytest.raises(LoadError) as error:
        load_documents(paths=[seed_dir.path / "a.txt"], catalog=catalog)
    (refused,) = error.value.errors
    assert refused.path == str(catalog)
    assert refused.reason.startswith(reason)
    assert Company.objects.count() == Country.objects.count() == Article.objects.count() == 0
    assert not Company._meta.apps.get_model("auth", "User").objects.exists()


def test_valid_extra_catalog_entry_loads(db, seed_dir):
    seed_dir.write("a.txt", GOOD)
    catalog = catalog_file(seed_dir.path, company(name="<b>Завод</b>", aliases=["Завод №1"]))
    load_documents(paths=[seed_dir.path / "a.txt"], catalog=catalog)
    assert Company.objects.get(slug="zavod").name == "<b>Завод</b>"


@pytest.mark.parametrize(
    ("encoding", "raw"),
    [
        ("utf-7", b"date 2025-08-16\nText.\n+2AA-"),
        ("unicode_escape", b"date 2025-08-16\n\\ud800"),
    ],
)
def test_codecs_that_decode_to_half_characters_are_refused(db, seed_dir, encoding, raw):
    seed_dir.write("odd.txt", raw)
    with pytest.raises(LoadError) as error:
        load_documents(paths=[seed_dir.path], catalog=None, encoding=encoding)
    (refused,) = error.value.errors
    assert refused.line == raw.count(b"\n") + 1
    assert refused.reason == (
        f"decodes to U+D800, half of a character pair, not a character: "
        f"is {encoding} the file's encoding?"
    )
