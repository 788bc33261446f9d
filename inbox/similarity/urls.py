"""The address an item is known by: ``canonical_url``.

Feeds hand out the same item under addresses that differ only in what readers
never see: letter case of the scheme and host, the default port, a fragment,
the order of query parameters, tracking parameters added for the source's
analytics, a host in Unicode or in Punycode, a path with or without percent
escapes. ``canonical_url`` writes one address for all of them, so the inbox can
tell an item it already holds when the source gives no GUID.

What it keeps, on purpose: the scheme (http and https stay apart, as the path's
trailing slash does: a server may answer them differently) and ``www.``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

WEB_SCHEMES = {"http": 80, "https": 443}

# Parameters that say where a reader came from, never which page they read.
# Prefixes: Google Analytics campaigns (utm_source, utm_medium...).
TRACKING_PREFIXES = ("utm_",)
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "dclid",  # Google Display
        "gbraid",  # Google Ads (iOS)
        "wbraid",  # Google Ads (web to app)
        "msclkid",  # Microsoft Advertising
        "yclid",  # Yandex Direct
        "ysclid",  # Yandex search
        "_openstat",  # Openstat, common on Russian-language sites
        "mc_cid",  # Mailchimp campaign
        "mc_eid",  # Mailchimp recipient
        "igshid",  # Instagram share
        "_ga",  # Google Analytics cross-domain
        "_gl",  # Google Analytics cross-domain
        "from",  # «?from=rss», «?from=main»: the section a link was placed in
        "ref",  # the referring site or section
        "ref_src",  # Twitter/X embeds
        "ref_url",
    }
)

ESCAPE_RE = re.compile("%[0-9a-fA-F]{2}")
# RFC 3986 unreserved characters: escaping them changes nothing, so their
# escapes are undone («%7E» is «~»).
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters a path may hold as they are; "%" too, since escapes are kept.
PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def canonical_url(url: str) -> str:
    """``url`` in its one written form (see the module's docstring).

    An empty address, one that cannot be parsed, or one that is not an http or
    https address with a host gives ``""``: such an address identifies nothing.
    """
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in WEB_SCHEMES or not parts.hostname:
            return ""
        host = ascii_host(parts.hostname)
        port = parts.port  # raises ValueError for a port out of range or not a number
    except (ValueError, UnicodeError):
        return ""
    if not host:
        return ""
    netloc = host if port in (None, WEB_SCHEMES[scheme]) else f"{host}:{port}"
    return urlunsplit(
        (scheme, netloc, canonical_path(parts.path), canonical_query(parts.query), "")
    )


def ascii_host(hostname: str) -> str:
    """The host in lower-case ASCII, Unicode labels in Punycode («завод.рф» →
    «xn--80aeh5aff.xn--p1ai»), without the trailing dot of a fully qualified name."""
    hostname = hostname.rstrip(".")
    if ":" in hostname:  # an IPv6 address, which urlsplit gives without its brackets
        return f"[{hostname.lower()}]"
    if hostname.isascii():
        return hostname.lower()
    return hostname.encode("idna").decode("ascii").lower()


def canonical_path(path: str) -> str:
    """The path with one escaping: escapes in upper case, unreserved characters
    unescaped, every other character outside ASCII escaped as UTF-8."""
    path = ESCAPE_RE.sub(normalise_escape, path)
    return quote(path, safe=PATH_SAFE) or "/"


def normalise_escape(match: re.Match[str]) -> str:
    char = chr(int(match.group()[1:], 16))
    return char if char in UNRESERVED else match.group().upper()


def canonical_query(query: str) -> str:
    """The query without tracking parameters, the rest sorted by name and value."""
    pairs = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if not is_tracking(name)
    ]
    return urlencode(sorted(pairs), quote_via=quote)


def is_tracking(name: str) -> bool:
    lower = name.lower()
    return lower in TRACKING_PARAMETERS or lower.startswith(TRACKING_PREFIXES)
