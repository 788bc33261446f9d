"""A page rendered just before the database went away is served, not kept, and never
becomes a server error: storing it asks the database when it expires."""

import pytest
from django.db import DatabaseError

from portal import cache


@pytest.fixture
def database_gone_after_rendering(monkeypatch):
    def next_change(*, after):
        raise DatabaseError("the database system is shutting down")

    monkeypatch.setattr(cache, "_next_changes", [next_change])


def test_a_page_whose_expiry_cannot_be_read_is_served_uncached(
    db, client, cache_on, database_gone_after_rendering
):
    response = client.get("/")

    assert response.status_code == 200
    assert "X-Cache" not in response
