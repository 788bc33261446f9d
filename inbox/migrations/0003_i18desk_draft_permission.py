"""The permission to make a draft article from an inbox item («Сделать черновик»).

Django makes only the four standard permissions of a model; this one is the
desk's own, given to authors and editors by ``setup_roles`` (articles/roles.py).
"""

from django.db import migrations

CODENAME = "draft_inboxitem"
NAME = "Может делать черновики из входящих"


def add_permission(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label="inbox", model="inboxitem")
    Permission.objects.update_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )


def remove_permission(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="inbox", codename=CODENAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0002_i18core_schedule"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_permission, remove_permission)]
