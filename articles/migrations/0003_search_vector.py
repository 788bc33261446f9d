"""PostgreSQL full-text search: a weighted tsvector the database keeps current itself.

The column is GENERATED ... STORED, so every INSERT and UPDATE (``save()``,
``QuerySet.update()``, raw SQL, a restore) recomputes it and no application code
can forget to. The model does not declare it: Django never writes it, and on
SQLite, where search works without an index (``articles.search``), it does not
exist. Adding it rewrites the table and the index build locks writes: on a large
production table, run this migration in a quiet moment.
"""

from django.db import migrations

TABLE = "articles_article"
COLUMN = "search_vector"
INDEX = "articles_article_search_vector_gin"

# Weights: headline A, lead B, body C (ts_rank ranks A highest). The two-argument
# to_tsvector(regconfig, text) is immutable, as a generated column requires.
ADD_COLUMN = f"""
ALTER TABLE {TABLE} ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('russian'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('russian'::regconfig, coalesce(lead, '')), 'B')
    || setweight(to_tsvector('russian'::regconfig, coalesce(body, '')), 'C')
) STORED
"""
ADD_INDEX = f"CREATE INDEX {INDEX} ON {TABLE} USING gin ({COLUMN})"


def add_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(ADD_COLUMN)
    schema_editor.execute(ADD_INDEX)


def drop_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_body_mentions"),
    ]

    operations = [
        migrations.RunPython(add_search_vector, drop_search_vector, elidable=False),
    ]
