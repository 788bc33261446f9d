"""The inbox's real job workers (``portal.tests.workers.Site``), allowed to read
folder sources in the test's own folder."""

from __future__ import annotations

import pytest

from portal.tests.workers import Site


@pytest.fixture(name="worker_site")
def worker_site_fixture(new_database, tmp_path):
    site = Site(new_database("inbox"), tmp_path, INBOX_FOLDER_ROOTS=str(tmp_path))
    yield site
    site.stop_workers()
