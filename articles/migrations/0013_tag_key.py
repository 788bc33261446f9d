"""Tags: room for the folded name that makes names in any letter case one tag (filled
and made unique by the next two migrations); slugs made on the server, Latin only."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="tag",
            name="name_key",
            field=models.CharField(editable=False, max_length=300, null=True),
        ),
        migrations.AlterField(
            model_name="article",
            name="slug",
            field=models.SlugField(
                help_text=(
                    "Латиницей, часть адреса статьи. Оставьте пустым: слаг составится из "
                    "заголовка. После публикации не меняйте."
                ),
                max_length=100,
                unique=True,
                verbose_name="слаг",
            ),
        ),
        migrations.AlterField(
            model_name="tag",
            name="slug",
            field=models.SlugField(
                blank=True,
                help_text=(
                    "Латиницей, часть адреса страницы тега. Оставьте пустым: слаг составится "
                    "из названия («Выставки и салоны» → vystavki-i-salony)."
                ),
                max_length=100,
                unique=True,
                verbose_name="слаг",
            ),
        ),
    ]
