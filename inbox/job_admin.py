"""django-q2's admin («Фоновые задачи») with its number columns named in Russian.

Its own lists head the ID column «ID»; the portal's admin reads as Russian
throughout (portal/tests/test_admin_russian.py), so the column is «№» here.
Imported by ``inbox.admin``: after django-q2's admin, before the articles app's,
which then gives these admins the portal's Russian sentences too.
"""

from django.contrib import admin
from django_q import admin as q_admin
from django_q.models import OrmQ, Schedule


@admin.display(description="№", ordering="id")
def number(obj) -> int:
    return obj.pk


class ScheduleAdmin(q_admin.ScheduleAdmin):
    list_display = (number, *q_admin.ScheduleAdmin.list_display[1:])
    list_display_links = (number, "name")


class QueueAdmin(q_admin.QueueAdmin):
    list_display = (number, *q_admin.QueueAdmin.list_display[1:])


for model, model_admin in ((Schedule, ScheduleAdmin), (OrmQ, QueueAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
