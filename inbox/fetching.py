"""Fetching a source's address over HTTP, politely and defensively.

Politely: a User-Agent that names the portal, and the validators of the last
answer (ETag, Last-Modified), so an unchanged feed costs its server a 304 and
us nothing. Defensively: http and https only, every hop of a redirect checked
again, a limit on redirects, timeouts on every wait and a deadline on the whole
fetch (``inbox.addresses``), a size cap counted while the body streams in, and
in production no connection to private, loopback or other non-public addresses.

The limits come from the settings ``INBOX_FETCH_TIMEOUT``, ``INBOX_FETCH_DEADLINE``,
``INBOX_MAX_FEED_BYTES``, ``INBOX_MAX_REDIRECTS`` and
``INBOX_ALLOW_PRIVATE_ADDRESSES`` (see README, Configuration). Whatever goes
wrong is one ``FetchError`` in plain Russian (``inbox.fetch_errors``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpcore
import httpx
from django.conf import settings
from slugify import slugify

from inbox import fetch_errors as say
from inbox.addresses import AddressRefused, Deadline, GuardedBackend, HostNotFound
from inbox.errors import FetchError
from portal.lifetimes import TimedValue

SCHEMES = frozenset({"http", "https"})
# Feeds first; anything else still comes, for the parser to tell what it is.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
# Named, not httpx's default, which adds br and zstd when their packages happen
# to be installed: what is accepted should not depend on that.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True)
class Fetched:
    """A source's answer. ``content`` is ``None`` when the server answered 304 Not
    Modified to the validators sent."""

    content: bytes | None
    content_type: str
    etag: str
    last_modified: str
    url: str


@dataclass(frozen=True)
class FetchLimits:
    """How long, how much and where a fetch may go."""

    timeout: float
    deadline: float
    max_bytes: int
    max_redirects: int
    allow_private: bool

    @classmethod
    def from_settings(cls) -> FetchLimits:
        return cls(
            timeout=settings.INBOX_FETCH_TIMEOUT,
            deadline=settings.INBOX_FETCH_DEADLINE,
            max_bytes=settings.INBOX_MAX_FEED_BYTES,
            max_redirects=settings.INBOX_MAX_REDIRECTS,
            allow_private=settings.INBOX_ALLOW_PRIVATE_ADDRESSES,
        )


def fetch(
    url: str, *, etag: str = "", last_modified: str = "", limits: FetchLimits | None = None
) -> Fetched:
    """Fetch ``url``, sending the validators of the last answer; raises FetchError."""
    limits = limits or FetchLimits.from_settings()
    deadline = Deadline(limits.deadline)
    checked_url(url, source=url)
    validators = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    # A validator that cannot be a header value (a stored one gone wrong) is left
    # out: the worst that costs is one full answer instead of a 304.
    headers = {name: value for name, value in validators.items() if sendable(value)}
    with client(limits=limits, deadline=deadline) as http:
        with translated_errors(source=url, hop=url, limits=limits, deadline=deadline):
            first = http.build_request("GET", url, headers=headers)
        return follow(http, first, source=url, limits=limits, deadline=deadline)


def follow(
    http: httpx.Client,
    request: httpx.Request,
    *,
    source: str,
    limits: FetchLimits,
    deadline: Deadline,
) -> Fetched:
    """Send ``request`` and the redirects it leads to, each hop checked like the first."""
    visited: set[str] = set()
    for _hop in range(limits.max_redirects + 1):
        hop = str(request.url)
        checked_url(hop, source=source)
        visited.add(hop)
        with translated_errors(source=source, hop=hop, limits=limits, deadline=deadline):
            response = http.send(request, stream=True)
            try:
                if response.next_request is None:
                    return answer(response, source=source, limits=limits)
                request = response.next_request
            finally:
                response.close()
        if str(request.url) in visited:
            raise FetchError(say.redirect_loop(source, str(request.url)))
    raise FetchError(say.too_many_redirects(source, limits.max_redirects))


def answer(response: httpx.Response, *, source: str, limits: FetchLimits) -> Fetched:
    """The final answer as ``Fetched``: its body read within the cap, or ``None`` for 304."""
    headers = response.headers
    if response.status_code == httpx.codes.NOT_MODIFIED:
        request_headers = response.request.headers
        return Fetched(
            content=None,
            content_type=headers.get("Content-Type", ""),
            # A 304 need not repeat the validators; the ones sent still hold then.
            etag=headers.get("ETag", request_headers.get("If-None-Match", "")),
            last_modified=headers.get(
                "Last-Modified", request_headers.get("If-Modified-Since", "")
            ),
            url=str(response.url),
        )
    if not response.is_success:
        raise FetchError(
            say.http_status(source, str(response.url), response.status_code, response.reason_phrase)
        )
    return Fetched(
        content=capped_body(response, source=source, max_bytes=limits.max_bytes),
        content_type=headers.get("Content-Type", ""),
        etag=headers.get("ETag", ""),
        last_modified=headers.get("Last-Modified", ""),
        url=str(response.url),
    )


def capped_body(response: httpx.Response, *, source: str, max_bytes: int) -> bytes:
    """The decoded body, refused as soon as it is over ``max_bytes``: a declared length
    over the cap before reading anything, a body without one once the cap is passed."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(say.too_large(source, max_bytes, declared=int(declared)))
    chunks = []
    size = 0
    # Decoded chunks: a small gzip body that unpacks to gigabytes is stopped too.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(say.too_large(source, max_bytes, declared=None))
        chunks.append(chunk)
    return b"".join(chunks)


def sendable(value: str) -> bool:
    return bool(value) and value.isascii() and value.isprintable()


def checked_url(url: str, *, source: str) -> httpx.URL:
    """``url`` parsed, if it is an http or https address with a host."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise FetchError(say.malformed_url(source, url)) from None
    if not parsed.scheme:
        raise FetchError(say.malformed_url(source, url))
    if parsed.scheme not in SCHEMES:
        raise FetchError(say.wrong_scheme(source, url))
    if not parsed.host:
        raise FetchError(say.malformed_url(source, url))
    return parsed


def client(*, limits: FetchLimits, deadline: Deadline) -> httpx.Client:
    """An HTTP client for one fetch: its own connections, under its own deadline."""
    backend = GuardedBackend(deadline=deadline, allow_private=limits.allow_private)
    return httpx.Client(
        transport=GuardedTransport(backend=backend),
        timeout=httpx.Timeout(limits.timeout),
        follow_redirects=False,
        # No proxy from the environment: the address check must see the server's
        # own address, not a proxy's.
        trust_env=False,
        headers={
            "User-Agent": user_agent(),
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
    )


def user_agent() -> str:
    """The portal's name in Latin letters (header values are ASCII), and the client."""
    return f"{slugify(settings.SITE_NAME)}-inbox/1.0 (news portal feed reader; httpx)"


def new_tls_context():
    return httpx.create_ssl_context(trust_env=False)


# Loading the certificate authorities takes ~40 ms, too much to do on every fetch
# of a poll; an hour's reuse still picks up a renewed bundle.
TLS_CONTEXT = TimedValue(new_tls_context, seconds=3600)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool on ``GuardedBackend`` sockets.

    httpx has no argument for the network backend of the pool it makes, so the
    pool is made again here with one; the rest of the transport (requests,
    responses, the mapping of httpcore's errors to httpx's) is httpx's own."""

    def __init__(self, *, backend: GuardedBackend) -> None:
        tls = TLS_CONTEXT.get()
        super().__init__(verify=tls, trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=tls, max_connections=2, network_backend=backend
        )


@contextmanager
def translated_errors(
    *, source: str, hop: str, limits: FetchLimits, deadline: Deadline
) -> Iterator[None]:
    """What went wrong on the way to ``hop`` as one FetchError about ``source``."""
    try:
        yield
    except AddressRefused as error:
        raise FetchError(say.private_address(source, hop, str(error.address))) from error
    except HostNotFound as error:
        raise FetchError(say.host_not_found(source, error.host)) from error
    except httpx.TimeoutException as error:
        if deadline.cut_short:
            raise FetchError(say.deadline_passed(source, limits.deadline)) from error
        raise FetchError(say.timed_out(source, limits.timeout)) from error
    except httpx.ConnectError as error:
        raise FetchError(say.cannot_connect(source, hop, str(error))) from error
    except httpx.DecodingError as error:
        raise FetchError(say.bad_encoding(source)) from error
    except httpx.InvalidURL as error:
        raise FetchError(say.malformed_url(source, hop)) from error
    except httpx.HTTPError as error:
        raise FetchError(say.broken_answer(source, hop)) from error
