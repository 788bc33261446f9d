"""Line ends in the articles already stored: CRLF and CR become LF.

Browsers send a textarea's line breaks as CRLF. Before the admin's forms
normalised what editors type (``articles.text.normalise``), leads and bodies
were stored with "\\r\\n\\r\\n" between paragraphs, which the pages, the feed and
the ninjs export do not read as a paragraph break: an editor's paragraphs and
subheadings showed as one.

Only the line ends are repaired, by a rule written out here rather than
imported from the application: a migration is history and must do the same
thing whenever it runs, whatever ``normalise_text`` becomes later or wherever
it moves (its full rule even asks the morphology dictionary, whose answers
change with its version). The rest of the normalisation (spaces, words broken
at a line end) reaches an article when an editor next saves it; texts editors
already approved are not rewritten on judgement calls.

The headline is an ``<input>``, from which browsers strip line breaks: only the
lead and the body are read. Rows without a "\\r" are not touched. ``updated_at``
stays as it was (this is no edit). The linker's recorded body positions belong
to the old body, so pages ignore them until ``manage.py relink`` records new
ones. The seed loader never stored a "\\r", so no loaded article starts to look
edited. Reversing does nothing: the old line ends are not worth restoring.
"""

from django.db import migrations
from django.db.models import Q

FIELDS = ("lead", "body")
BATCH_SIZE = 500


def with_unix_line_ends(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def repair_line_ends(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias)
    has_carriage_return = Q(lead__contains="\r") | Q(body__contains="\r")
    # The keys first: rows are not rewritten under a cursor still reading them.
    keys = list(articles.filter(has_carriage_return).values_list("pk", flat=True))
    for start in range(0, len(keys), BATCH_SIZE):
        batch = list(articles.filter(pk__in=keys[start : start + BATCH_SIZE]).only("pk", *FIELDS))
        for article in batch:
            for name in FIELDS:
                setattr(article, name, with_unix_line_ends(getattr(article, name)))
        articles.bulk_update(batch, FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_lead_mentions"),
    ]

    operations = [
        migrations.RunPython(repair_line_ends, migrations.RunPython.noop, elidable=False),
    ]
