"""`manage.py add_source` and `manage.py ingest`, as an operator uses them."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_q.models import OrmQ

from companies.tests.factories import CompanyFactory
from inbox.errors import FetchError
from inbox.models import InboxItem, ItemEntity, Source

from .factories import SourceFactory, entry
from .stand_ins import fake_sources_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_source_with_its_options():
    out = run(
        "add_source",
        "https://minprom.example/rss.xml",
        "--kind",
        "rss",
        "--name",
        "Министерство промышленности",
        "--interval",
        "15",
        "--tags",
        "министерство",
        "металлургия, экспорт",
    )
    source = Source.objects.get()
    assert (source.name, source.kind, source.interval) == ("Министерство промышленности", "rss", 15)
    assert source.tag_names() == ["министерство", "металлургия", "экспорт"]
    assert source.active and f"#{source.pk}" in out and "ingest --source" in out


def test_add_source_names_it_after_the_host_by_default():
    run("add_source", "https://agency.example/feed.json", "--kind", "jsonfeed")
    assert Source.objects.get().name == "agency.example"


def test_add_source_folder(tmp_path, settings):
    settings.INBOX_FOLDER_ROOTS = [tmp_path.parent]
    run("add_source", str(tmp_path), "--kind", "folder")
    source = Source.objects.get()
    assert (source.kind, source.name) == ("folder", tmp_path.name)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["ftp://files.example/feed.xml", "--kind", "rss"], "только по http:// или https://"),
        (["feed.xml", "--kind", "atom"], "только по http:// или https://"),
        (["relative/folder", "--kind", "folder"], "укажите полный путь"),
        (["/nonexistent/inbox-folder", "--kind", "folder"], "нет на сервере"),
        (["/etc", "--kind", "folder"], "вне папок, разрешённых для источников"),
        (["https://a.example/rss", "--kind", "rss", "--interval", "0"], "--interval 0"),
    ],
)
def test_add_source_refuses_bad_input_in_one_line(args, said, settings):
    settings.INBOX_FOLDER_ROOTS = [Path("/nonexistent")]
    with pytest.raises(CommandError) as error:
        run("add_source", *args)
    assert said in str(error.value) and "\n" not in str(error.value)
    assert not Source.objects.exists()


def test_add_source_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="invalid choice: 'xml'"):
        call_command("add_source", "https://a.example/rss", "--kind", "xml")


def test_add_source_refuses_an_address_twice():
    run("add_source", "https://a.example/rss", "--kind", "rss")
    with pytest.raises(CommandError, match="already a source"):
        run("add_source", "https://a.example/rss", "--kind", "rss")


def test_ingest_once_polls_every_active_source_and_prints_a_line_each(fake_sources):
    CompanyFactory(name="Восток-Металл", slug="vostok-metall")
    good, broken = SourceFactory(name="Агентство"), SourceFactory(name="Министерство")
    SourceFactory(name="Выключенный", active=False)
    fake_sources.answers[good.address] = [entry(1), entry(2)]
    fake_sources.answers[broken.address] = FetchError("Сервер ответил 503: попробуем позже.")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 sources failed"):
        call_command("ingest", "--once", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [
        f"Агентство (#{good.pk}): 2 new, 0 updated, 0 unchanged, 0 grouped",
        f"Министерство (#{broken.pk}): failed: Сервер ответил 503: попробуем позже.",
    ]
    # Linked before the command returned; the suggestions wait for the worker.
    assert ItemEntity.objects.count() == 1  # «Восток-Металл», in the first story
    assert OrmQ.objects.count() == 1


def test_ingest_once_again_reports_unchanged_and_updated(fake_sources):
    source = SourceFactory(name="Агентство")
    fake_sources.answers[source.address] = [entry(1), entry(2)]
    run("ingest", "--once")
    fake_sources.answers[source.address] = [entry(1), entry(2, lead="Уточнение."), entry(3)]
    out = run("ingest", "--once", "--source", str(source.pk))
    assert out == f"Агентство (#{source.pk}): 1 new, 1 updated, 1 unchanged, 0 grouped\n"
    fake_sources.answers[source.address] = fake_sources.answers[source.address]
    out = run("ingest", "--once")
    assert out == f"Агентство (#{source.pk}): unchanged (304 Not Modified)\n"
    assert InboxItem.objects.count() == 3


def test_ingest_without_once_queues_the_polls_for_the_worker(fake_sources):
    SourceFactory(), SourceFactory()
    assert "Queued 2 polls" in run("ingest")
    assert OrmQ.objects.count() == 2 and fake_sources.requests == []


def test_ingest_names_a_missing_source():
    with pytest.raises(CommandError, match="--source 999: no such source"):
        run("ingest", "--once", "--source", "999")


def test_ingest_without_sources_says_how_to_add_one():
    with pytest.raises(CommandError, match="add_source"):
        run("ingest", "--once")
