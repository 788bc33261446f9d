"""Stand-ins for the fetcher, the parser and the story fingerprints, so that the
inbox's own logic (storing, leases, backoff, health, commands) is tested with
failures a test causes at will. The fingerprints' stand-in is used only while
``inbox.similarity`` is not implemented; the fetcher's and parser's stand in for
the network and the formats, which their own tests cover. A test module imports
the fixtures it uses (``fake_sources_fixture``; ``fingerprints_fixture`` applies
itself to every test of the module that imports it)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pytest

from inbox import similarity
from inbox.entries import Entry
from inbox.fetching import Fetched

WORD_RE = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(WORD_RE.findall(text.casefold()))


def _canonical_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def _content_key(title: str, body: str) -> str:
    return hashlib.sha256(
        " ".join(WORD_RE.findall(f"{title} {body}".casefold())).encode()
    ).hexdigest()[:32]


def _signature(text: str) -> bytes:
    return "\n".join(sorted(_words(text))).encode()


def _same_story(candidate: bytes, others: Iterable[tuple[int, bytes]]) -> list[int]:
    mine = set(candidate.decode().split("\n"))
    found = []
    for pk, signature in others:
        theirs = set(signature.decode().split("\n"))
        if len(mine & theirs) / max(len(mine | theirs), 1) >= 0.6:
            found.append(pk)
    return found


@pytest.fixture(autouse=True, name="fingerprints")
def fingerprints_fixture(monkeypatch):
    """The real ``inbox.similarity`` when it is there, else simple word sets."""
    try:
        similarity.content_key("проверка", "")
    except NotImplementedError:
        monkeypatch.setattr(similarity, "canonical_url", _canonical_url)
        monkeypatch.setattr(similarity, "content_key", _content_key)
        monkeypatch.setattr(similarity, "signature", _signature)
        monkeypatch.setattr(similarity, "same_story", _same_story)


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
