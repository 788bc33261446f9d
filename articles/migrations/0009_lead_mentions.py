"""Mention positions for the headline, the lead and the body (``Article.mentions``).

They replace the body-only positions (``body_mentions``), guarded by a
fingerprint of all three texts. The new fields start empty: until positions are
stored, the article page shows the text without links, as it did for a stale
list. ``manage.py relink`` or ``manage.py load_seed`` stores them (load_seed
fills every article still without positions, leaving links as they are).
Dropping and adding columns is quick on PostgreSQL: no row is rewritten.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_search_vector_inline'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='article',
            name='body_mentions',
        ),
        migrations.RemoveField(
            model_name='article',
            name='body_mentions_hash',
        ),
        migrations.AddField(
            model_name='article',
            name='mentions',
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name='article',
            name='mentions_hash',
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
    ]
