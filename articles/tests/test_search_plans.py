"""The search's statements are planned for their own words: never prepared
(``articles.search.plans``), while the rest of the page's statements still are."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.search.plans import unprepared
from articles.tests.factories import ArticleFactory

# Words of the search's own statements: the tsquery and the article vector.
SEARCH_SQL_MARKS = ("to_tsquery", "search_vector")


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.fixture
def articles(db):
    now = timezone.now()
    for n, title in enumerate(["Завод в Бишкеке", "Конвейер завода", "Цех сборки"] * 4):
        ArticleFactory(title=f"{title} {n}", published_at=now - dt.timedelta(hours=n + 1))


@pytest.mark.postgres
def test_search_statements_are_never_prepared_however_often_they_run(articles, client):
    assert settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold") == 2
    # Far past the second run (psycopg prepares) and the fifth (PostgreSQL may
    # switch to one generic plan for every word).
    for _ in range(8):
        for query in ("завод", "конвейер", "цех сборки", "завод в Бишкеке"):
            assert client.get("/search/", {"q": query}).status_code == 200
    statements = prepared_statements()
    # The setting is on: the page's other statements (its articles, the
    # content version) were prepared.
    assert statements
    search_statements = [s for s in statements if any(mark in s for mark in SEARCH_SQL_MARKS)]
    assert search_statements == []
    # The connection prepares again after the search.
    assert connection.connection.prepare_threshold == 2


def plan_runs(sql_start: str) -> int:
    """How many times the prepared statements starting with ``sql_start`` ran."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(generic_plans + custom_plans) FROM pg_prepared_statements"
            " WHERE starts_with(statement, %s)",
            [sql_start],
        )
        return cursor.fetchone()[0] or 0


@pytest.mark.postgres
def test_statements_prepared_before_are_not_used_inside_the_block(db):
    sql = "SELECT count(*) FROM articles_article WHERE id > %s"
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(sql, [0])
    runs = plan_runs("SELECT count(*) FROM articles_article")
    assert runs > 0
    with unprepared(connection), connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(sql, [0])
            assert cursor.fetchone() == (0,)
    assert plan_runs("SELECT count(*) FROM articles_article") == runs


def found_titles(client, query: str) -> list[str]:
    return [r.article.title for r in client.get("/search/", {"q": query}).context["results"]]


def test_the_block_changes_no_result(articles, client):
    for query in ("завод", "цех сборки", "нет такого"):
        with unprepared(connection):
            inside = found_titles(client, query)
        assert inside == found_titles(client, query)
    assert len(found_titles(client, "завод")) == 8
