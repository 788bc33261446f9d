"""The job runner's settings (django-q2), imported by ``portal.settings``."""

import os

from django.core.exceptions import ImproperlyConfigured


def worker_processes() -> int:
    value = os.environ.get("WORKER_PROCESSES", "2").strip()
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(
            f"WORKER_PROCESSES={value!r}: give the number of job processes per worker, 1 or more"
        )
    return int(value)


# The job runner, django-q2 (README "The inbox and its jobs"). Its queue is a table of
# the default database (the ORM broker): no other service, on SQLite as on PostgreSQL,
# and workers on several machines share it. `manage.py qcluster` is the worker with
# its scheduler; `make run` starts one beside gunicorn, deploy/portal-worker.service in
# production. A job running longer than `timeout` is killed; one that no worker
# acknowledged after `retry` (its worker died) is handed out again, `max_attempts` at
# most; `retry` must stay above `timeout` or a slow job would run twice.
Q_CLUSTER = {
    "name": "portal",
    "orm": "default",
    "workers": worker_processes(),
    "timeout": 300,
    "retry": 420,
    "max_attempts": 3,
    # A worker stopped for a day runs the minute's schedule once, not 1,440 times.
    "catch_up": False,
    "save_limit": 1000,
    "poll": 1,
    "label": "Фоновые задачи",
}
