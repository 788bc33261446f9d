"""A blank slug is made from the name on save: the forms say so and accept it blank."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0003_unique_messages'),
    ]

    operations = [
        migrations.AlterField(
            model_name='company',
            name='slug',
            field=models.SlugField(blank=True, help_text='Латиницей, часть адреса страницы. Оставьте пустым: слаг составится из названия. Не меняйте у опубликованных сущностей.', max_length=100, unique=True, verbose_name='слаг'),
        ),
        migrations.AlterField(
            model_name='country',
            name='slug',
            field=models.SlugField(blank=True, help_text='Латиницей, часть адреса страницы. Оставьте пустым: слаг составится из названия. Не меняйте у опубликованных сущностей.', max_length=100, unique=True, verbose_name='слаг'),
        ),
        migrations.AlterField(
            model_name='official',
            name='slug',
            field=models.SlugField(blank=True, help_text='Латиницей, часть адреса страницы. Оставьте пустым: слаг составится из названия. Не меняйте у опубликованных сущностей.', max_length=100, unique=True, verbose_name='слаг'),
        ),
        migrations.AlterField(
            model_name='vehiclemodel',
            name='slug',
            field=models.SlugField(blank=True, help_text='Латиницей, часть адреса страницы. Оставьте пустым: слаг составится из названия. Не меняйте у опубликованных сущностей.', max_length=100, unique=True, verbose_name='слаг'),
        ),
    ]
