"""The content key: ``content_key``, how the inbox knows an item it already holds
when the source gives it neither a GUID nor an address.

Two copies of one text differ in what a reader does not notice: spaces and line
breaks, letter case, «ё» written as «е», «ёлочки» or "straight" quotes, a hyphen
for a dash, a non-breaking space in «5 000», a soft hyphen. The key reads the
letters and digits only, so all of these give one key, and any change of a word
gives another.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

LETTERS_AND_DIGITS_RE = re.compile(r"[^\W_]+")
# 16 bytes: collisions among the few million items an inbox may ever hold are
# out of reach (the birthday bound is 2⁶⁴), and the key stays 32 characters.
DIGEST_SIZE = 16


def content_key(title: str, body: str) -> str:
    """A short hex key (32 characters) equal for the same text however it is
    spaced, cased or punctuated (see the module's docstring)."""
    digest = hashlib.blake2b(digest_size=DIGEST_SIZE)
    digest.update(key_text(title).encode("utf-8"))
    # A separator, so that a word moved from the end of the title to the start
    # of the body makes another key.
    digest.update(b"\x00")
    digest.update(key_text(body).encode("utf-8"))
    return digest.hexdigest()


def key_text(text: str) -> str:
    """The letters and digits of ``text`` in one run, case-folded, «ё» as «е».

    NFKC composes letters typed as a base and an accent («й» as «и» plus a breve)
    and writes compatibility forms (full-width digits, ligatures) plainly.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return "".join(LETTERS_AND_DIGITS_RE.findall(text))
