"""The instant alerts' watermark, and the job runner's minute schedule for alerts and digests."""

from django.db import migrations, models

NAME = "Подписки: оповещения и подборки, чей срок настал"  # following.jobs.DIGESTS_SCHEDULE
FUNC = "following.jobs.send_digests"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name=NAME,
        defaults={"func": FUNC, "schedule_type": "I", "minutes": 1, "repeats": -1},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("following", "0004_sending_schedule"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.CreateModel(
            name="AlertWatermark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=40, unique=True)),
                ("handled_until", models.DateTimeField(verbose_name="обработано до")),
            ],
            options={
                "verbose_name": "отметка оповещений",
                "verbose_name_plural": "отметки оповещений",
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
