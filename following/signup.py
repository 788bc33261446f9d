"""A visitor asks to follow something: the reader, the subscription, the confirmation mail.

Double opt-in: nothing is sent to a reader until they open the link of the
confirmation mail and press its button. The limits keep the form from being used
to flood an inbox or the database: a few confirmation mails per address an hour
(past that the request is kept but no mail goes, and the visitor sees the same
answer, so nobody learns whether an address is known), and a few more requests
per client address an hour (past that nothing is kept: 429).
"""

from __future__ import annotations

import datetime as dt
import enum
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from . import jobs
from .cleanup import LIMIT_WINDOW
from .models import ConfirmationRequest, Delivery, Reader, Subscription
from .tokens import private_hash

logger = logging.getLogger(__name__)

MAX_ADDRESS_LENGTH = Reader._meta.get_field("email").max_length


class Outcome(enum.Enum):
    # A confirmation mail is queued.
    MAIL_QUEUED = "mail_queued"
    # Kept, unconfirmed, without a mail: the address had its share this hour.
    ADDRESS_LIMITED = "address_limited"
    # Refused, nothing kept: the client asked too often this hour.
    CLIENT_LIMITED = "client_limited"

    @property
    def looks_sent(self) -> bool:
        """Whether the visitor is told a mail is on its way (the same words either way)."""
        return self is not Outcome.CLIENT_LIMITED


def normalise_address(email: str) -> str:
    """The address as stored: trimmed, the domain in lower case (the local part is
    the mailbox owner's, case and all); ``ValidationError`` if it is no address."""
    address = email.strip()
    validate_email(address)
    if len(address) > MAX_ADDRESS_LENGTH:  # the validator allows more than can be stored
        raise ValidationError(f"Адрес длиннее {MAX_ADDRESS_LENGTH} знаков.", code="invalid")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def _recent(*, now: dt.datetime, **hashes: str) -> int:
    return ConfirmationRequest.objects.filter(created_at__gt=now - LIMIT_WINDOW, **hashes).count()


def request_follow(
    *,
    email: str,
    kind: str,
    target_id: int,
    frequency: str,
    client_address: str | None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Record that ``email`` wants to follow ``kind``/``target_id`` and send the
    confirmation mail, within the limits (``FOLLOWING_CONFIRMATIONS_PER_*``)."""
    now = now or timezone.now()
    address = normalise_address(email)
    client_hash = private_hash(client_address or "unknown")
    if _recent(now=now, client_hash=client_hash) >= settings.FOLLOWING_CONFIRMATIONS_PER_CLIENT:
        logger.warning("Follow request refused: a client over its hourly limit")
        return Outcome.CLIENT_LIMITED
    address_hash = private_hash(address)
    with transaction.atomic():
        mail_allowed = (
            _recent(now=now, address_hash=address_hash)
            < settings.FOLLOWING_CONFIRMATIONS_PER_ADDRESS
        )
        reader = _reader(address=address, now=now)
        _pending_subscription(
            reader=reader, kind=kind, target_id=target_id, frequency=frequency, now=now
        )
        ConfirmationRequest.objects.create(
            address_hash=address_hash, client_hash=client_hash, created_at=now
        )
        if not mail_allowed:
            logger.info("Follow request of %s kept without a mail (hourly limit)", reader.log_name)
            return Outcome.ADDRESS_LIMITED
        # One confirmation per request time: two requests of the same instant share it.
        Delivery.objects.get_or_create(
            reader=reader,
            kind=Delivery.Kind.CONFIRM,
            period=now.isoformat(),
            defaults={"created_at": now},
        )
        transaction.on_commit(jobs.enqueue_send)
    logger.info("Follow request of %s: confirmation mail queued", reader.log_name)
    return Outcome.MAIL_QUEUED


def _reader(*, address: str, now: dt.datetime) -> Reader:
    """The reader of ``address``, made if new. An unconfirmed one counts its days from
    its latest request: it is kept for as long as its newest confirmation link works."""
    # get_or_create takes the row another request made meanwhile (the unique address).
    reader, created = Reader.objects.get_or_create(email=address, defaults={"created_at": now})
    if not created and reader.confirmed_at is None:
        Reader.objects.filter(pk=reader.pk).update(created_at=now)
    return reader


def _pending_subscription(
    *, reader: Reader, kind: str, target_id: int, frequency: str, now: dt.datetime
) -> None:
    """Add the subscription, waiting for confirmation. One already confirmed is left
    as it is: anyone can type someone's address, so only the reader changes it
    (on the manage page)."""
    subscription, created = Subscription.objects.get_or_create(
        reader=reader,
        target_kind=kind,
        target_id=target_id,
        defaults={"frequency": frequency, "created_at": now},
    )
    if not created and subscription.confirmed_at is None:
        subscription.frequency, subscription.created_at = frequency, now
        subscription.save(update_fields=["frequency", "created_at"])


def confirm_reader(*, reader: Reader, now: dt.datetime | None = None) -> int:
    """The reader's address and every subscription waiting for it confirmed; how many
    subscriptions that confirmed."""
    now = now or timezone.now()
    with transaction.atomic():
        if reader.confirmed_at is None:
            reader.confirmed_at = now
            reader.save(update_fields=["confirmed_at"])
        confirmed = reader.subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=now)
    logger.info("%s confirmed %d subscription(s)", reader.log_name, confirmed)
    return confirmed


def forget_reader(*, reader: Reader) -> None:
    """Delete the address for good, with its subscriptions and delivery records."""
    name = reader.log_name
    reader.delete()
    logger.info("%s deleted with all subscriptions", name)
