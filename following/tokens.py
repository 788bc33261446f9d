"""Signed tokens in the links sent to readers, and keyed hashes that stand for addresses.

A token names a reader by number and carries the reader's own ``key``: it is
worthless once the reader is deleted, and it never shows the address. A
confirmation token expires after ``FOLLOWING_CONFIRM_DAYS``; the manage and
unsubscribe token lives as long as the reader (every message carries it).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core import signing

from .models import Reader

CONFIRM_SALT = "following.confirm"
MANAGE_SALT = "following.manage"


def _signer(salt: str, *, timed: bool) -> signing.Signer:
    return signing.TimestampSigner(salt=salt) if timed else signing.Signer(salt=salt)


def _sign(reader: Reader, salt: str, *, timed: bool) -> str:
    return _signer(salt, timed=timed).sign_object([reader.pk, reader.key], compress=False)


def _unsign(token: str, salt: str, *, max_age: int | None = None) -> Reader | None:
    timed = max_age is not None
    try:
        if timed:
            pk, key = _signer(salt, timed=True).unsign_object(token, max_age=max_age)
        else:
            pk, key = _signer(salt, timed=False).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    reader = Reader.objects.filter(pk=pk).first()
    if reader is None or not hmac.compare_digest(str(reader.key), str(key)):
        return None
    return reader


def confirm_token(reader: Reader) -> str:
    return _sign(reader, CONFIRM_SALT, timed=True)


def reader_to_confirm(token: str) -> Reader | None:
    """The reader a confirmation link is for, while it has not expired."""
    return _unsign(token, CONFIRM_SALT, max_age=settings.FOLLOWING_CONFIRM_DAYS * 86400)


def manage_token(reader: Reader) -> str:
    """The same for a reader in every message and page: it needs no time, never expiring."""
    return _sign(reader, MANAGE_SALT, timed=False)


def reader_to_manage(token: str) -> Reader | None:
    """The reader a manage or unsubscribe link is for."""
    return _unsign(token, MANAGE_SALT)


def private_hash(value: str) -> str:
    """A keyed hash standing for an address (email or client) in the database and logs."""
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, value.strip().lower().encode(), hashlib.sha256).hexdigest()
