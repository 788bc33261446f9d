"""Stand-ins for the fetcher and the parser, so that the inbox's own logic (leases,
backoff, health, commands) is tested with failures a test causes at will; they
stand in for the network and the formats, which their own tests cover (and the
end-to-end tests, ``test_worker_e2e.py``, use the real ones). A test module
imports the fixture it uses (``fake_sources_fixture``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pytest

from inbox.entries import Entry
from inbox.fetching import Fetched


@dataclass
class Parsed:
    entries: list[Entry]
    skipped: list[str] = field(default_factory=list)


@dataclass
class FakeSources:
    """What each address answers: entries, 304, or an exception; and what was asked."""

    answers: dict[str, object] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)

    def fetch(self, url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
        self.requests.append((url, etag, last_modified))
        answer = self.answers[url]
        if isinstance(answer, BaseException):
            raise answer
        if answer is None or (etag and etag == f'"{_tag(answer)}"'):
            return Fetched(None, "", etag, last_modified, url)
        return Fetched(url.encode(), "application/rss+xml", f'"{_tag(answer)}"', "", url)

    def parse(self, content: bytes, *, kind: str, content_type: str = "", url: str = "") -> Parsed:
        answer = self.answers[content.decode()]
        return answer if isinstance(answer, Parsed) else Parsed(list(answer))


def _tag(answer) -> str:
    entries = answer.entries if isinstance(answer, Parsed) else answer
    return hashlib.sha256(repr(entries).encode()).hexdigest()[:16]


@pytest.fixture(name="fake_sources")
def fake_sources_fixture(monkeypatch) -> FakeSources:
    """``inbox.fetching.fetch`` and ``inbox.parsing.parse`` answering from a table:
    ``fake_sources.answers[address] = [entry(...), ...]`` (or a ``Parsed``, or an
    exception to raise). An address answers 304 to the ETag of its last answer."""
    from inbox import fetching, parsing

    fake = FakeSources()
    monkeypatch.setattr(fetching, "fetch", fake.fetch)
    monkeypatch.setattr(parsing, "parse", fake.parse)
    return fake
