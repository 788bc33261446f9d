"""How the portal talks to its database."""

import pytest
from django.db import connection

from articles.models import Article


@pytest.mark.postgres
def test_postgres_prepares_a_query_the_second_time_it_runs(db):
    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    def query(slug: str) -> list[Article]:
        return list(Article.objects.filter(slug=slug))

    query("nothing-here")
    assert not any("articles_article" in s for s in prepared())
    query("nothing-here")
    query("nothing-here")
    statements = [s for s in prepared() if '"articles_article"."slug" = $1' in s]
    # Bound on the server ($1), not spelled into the SQL: one plan for every slug.
    assert len(statements) == 1
    query("another-one")
    assert [s for s in prepared() if '"articles_article"."slug" = $1' in s] == statements
