"""One tag per name in any letter case, kept by the database from now on."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_tag_rows"),
    ]

    operations = [
        migrations.AlterField(
            model_name="tag",
            name="name_key",
            field=models.CharField(
                "ключ названия", editable=False, max_length=300, unique=True
            ),
        ),
    ]
