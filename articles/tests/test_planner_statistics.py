"""Planner statistics are refreshed after a bulk load."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.seeding import load_documents, planner_statistics

CATALOG = Path(__file__).resolve().parents[2] / "seeds" / "catalog.json"


def write_documents(folder: Path, count: int) -> None:
    for n in range(count):
        (folder / f"{n:03d}.txt").write_text(
            f"date 2025-08-{n + 1:02d}\nЗавод {n} начал работу\n\n"
            "Тулпар Моторс собирает машины в Киргизии.\n",
            encoding="utf-8",
        )


def analysed_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_bulk_load_refreshes_postgresql_statistics(db, tmp_path, monkeypatch):
    monkeypatch.setattr(planner_statistics, "BULK_ROWS", 3)
    write_documents(tmp_path, 3)
    load_documents(paths=[tmp_path], catalog=CATALOG)
    # ANALYZE counted the rows the load wrote (reltuples is -1 or stale before).
    assert analysed_rows() == 3


@pytest.mark.postgres
def test_a_small_load_leaves_statistics_to_autovacuum(db, tmp_path, monkeypatch):
    monkeypatch.setattr(planner_statistics, "BULK_ROWS", 3)
    before = analysed_rows()
    write_documents(tmp_path, 2)
    load_documents(paths=[tmp_path], catalog=CATALOG)
    assert analysed_rows() == before


def test_bulk_writes_below_the_threshold_are_left_alone(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not planner_statistics.refresh_after_bulk_write(planner_statistics.BULK_ROWS - 1)
    with django_assert_num_queries(1):
        assert planner_statistics.refresh_after_bulk_write(planner_statistics.BULK_ROWS)


@pytest.mark.postgres
def test_a_long_load_refreshes_statistics_as_the_table_grows(db, tmp_path, monkeypatch):
    # Its own lookups (slugs, source keys) were planned for the empty table and
    # scanned the whole of it by the end of a large load.
    monkeypatch.setattr(planner_statistics, "FIRST_REFRESH_ROWS", 2)
    monkeypatch.setattr("articles.seeding.loader.BATCH_SIZE", 2)
    write_documents(tmp_path, 7)
    with CaptureQueriesContext(connection) as queries:
        load_documents(paths=[tmp_path], catalog=CATALOG)
    analyses = [q for q in queries if q["sql"].startswith("ANALYZE")]
    # After 2 articles (the table held none), then 4 (it held 2): the table doubled each time.
    assert len(analyses) == 2
    # ANALYZE counted the rows of the load's own, uncommitted transaction.
    assert analysed_rows() == 4


def test_statistics_are_refreshed_during_a_load_on_postgresql_only(db):
    # SQLite plans every statement from the table as it is (``PRAGMA optimize`` at the end).
    statistics = planner_statistics.StatisticsDuringLoad()
    first = planner_statistics.FIRST_REFRESH_ROWS
    refreshed = (statistics.wrote(first - 1), statistics.wrote(1))
    expected = (False, True) if connection.vendor == "postgresql" else (False, False)
    assert refreshed == expected
