from pathlib import Path

import pytest
from django.core.management import call_command

SEEDS = Path(__file__).resolve().parent / "seeds"


@pytest.fixture(autouse=True)
def page_cache_healthy(monkeypatch):
    """A cache failure an earlier test provoked (the cache then backs off for a
    few seconds) must not make this test's pages come uncached."""
    from portal import cache

    monkeypatch.setattr(cache, "_down_until", 0.0)
    monkeypatch.setattr(cache, "_pending_bump", False)


@pytest.fixture
def catalog(db):
    """The real entity catalog from seeds/catalog.json."""
    call_command("loaddata", SEEDS / "catalog.json", verbosity=0)


@pytest.fixture
def seed_dir(tmp_path):
    """A scratch seed folder; write documents into it with ``write``."""

    class SeedDir:
        path = tmp_path

        def write(self, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
            file = tmp_path / name
            data = content if isinstance(content, bytes) else content.encode(encoding)
            file.write_bytes(data)
            return file

    return SeedDir()
