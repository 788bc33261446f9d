"""PostgreSQL: keep each article's search vector in its table row (storage MAIN).

Search reads the vector of every article it looks at, newest first, until it has
enough matches. Stored out of line (TOAST, the default for a vector of about
2 KB), each of those reads is a lookup in a second table; kept in the row, it
costs nothing more than the row itself, and the candidates query runs about
twice as fast. The body stays out of line: pages that list articles never read it.

Existing rows are rewritten so that their vectors move in (an UPDATE that
leaves every value as it was recomputes the generated column): on a large
production table, run this migration in a quiet moment and VACUUM afterwards.
"""

from django.db import migrations

TABLE = "articles_article"
COLUMN = "search_vector"


def keep_in_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE MAIN")
    schema_editor.execute(f"UPDATE {TABLE} SET title = title")


def keep_out_of_row(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {COLUMN} SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_published_covering_index"),
    ]

    operations = [
        migrations.RunPython(keep_in_row, keep_out_of_row, elidable=False),
    ]
