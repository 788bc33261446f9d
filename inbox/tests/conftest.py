"""Fixtures of the inbox's tests: the local feed server every fetching test talks to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inbox.tests.feed_server import FeedServer


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 (a free port) serving the routes a test
    registers; stopped, with any answer still hanging, at teardown."""
    server = FeedServer().start()
    yield server
    server.stop()
