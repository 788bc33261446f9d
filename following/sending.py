"""Sending the due messages: claimed in batches, paced, retried, never sent twice.

A round claims up to ``FOLLOWING_BATCH_SIZE`` due records (queued, retries whose
time has come, and those a dead sender held past its lease), marking them
SENDING until a lease runs out, so two workers never take the same one. It sends
them over one connection at ``FOLLOWING_SEND_RATE`` messages per second at most,
and writes each one's fate at once: SENT with the server's answer; RETRYING after
a temporary refusal (4xx, a timeout, a lost connection), later and later with
each attempt; FAILED after a permanent refusal (5xx) or ``FOLLOWING_MAX_ATTEMPTS``
attempts. A round that dies half-way leaves what it sent SENT and the rest to the
next round once its lease has run out. Logs name readers by ``log_name`` only.
"""

from __future__ import annotations

import contextlib
import logging
import random
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as database
from django.db import transaction
from django.utils import timezone

from .mail.compose import compose, render_batch
from .models import Delivery
from .smtp_outcomes import Verdict, accepted, classify, reply

log = logging.getLogger(__name__)

# Beyond the batch's own time at the configured rate: a sender that has not reached a
# message this long after claiming it is taken for dead.
LEASE_MARGIN = timedelta(minutes=10)
# The advisory lock PostgreSQL serialises claims with (any number of the project's own).
CLAIM_LOCK = 0x464F4C4C  # "FOLL"
# The longest wait between two attempts, however many there were.
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class RoundReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def claimable(*, now: datetime):
    """Due records, and those a sender claimed and let go of by dying (one condition,
    no subquery: it is read on a table of every message ever sent)."""
    expired = Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_until__lt=now)
    return Delivery.objects.due(now=now) | expired


def another_round_is_sending(*, now: datetime) -> bool:
    return Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_until__gte=now).exists()


def claim(*, limit: int, now: datetime, lease_until: datetime) -> list[int]:
    """Mark up to ``limit`` claimable records SENDING until ``lease_until``; their ids.

    Nothing while another round holds messages: one round sends at a time, so that
    however many workers run, the provider sees ``FOLLOWING_SEND_RATE`` at most. The
    check and the claim are one transaction that rounds take in turn (PostgreSQL: an
    advisory lock; SQLite: its transactions begin IMMEDIATE, one writer at a time)."""
    mine = {"status": Delivery.Status.SENDING, "claimed_until": lease_until}
    with transaction.atomic():
        if database.vendor == "postgresql":
            with database.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CLAIM_LOCK])
        if another_round_is_sending(now=now):
            return []
        candidates = claimable(now=now).order_by("pk")
        if database.features.has_select_for_update_skip_locked:
            # Rows someone else is writing are skipped, not waited for.
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        # A row is ours only if it is still claimable as it is updated; which ones
        # are is read back inside the same transaction, which no other round shares.
        claimable(now=now).filter(pk__in=ids).update(**mine)
        return list(
            Delivery.objects.filter(pk__in=ids, **mine).order_by("pk").values_list("pk", flat=True)
        )


# Messages rendered together (``render_batch``) while a round sends.
RENDER_AHEAD = 25


class Pace:
    """``rate`` messages a second on average: message n leaves no earlier than n/rate
    seconds after the first. A message that took longer than its share lets the next
    go sooner, so the rate is reached rather than lost to every slow one, but only
    ``CATCH_UP`` seconds of lateness are made up: a stalled round never bursts.

    Measured on the monotonic clock by differences only (its zero is the machine's boot)."""

    CATCH_UP = 0.2

    def __init__(self, rate: float):
        self.interval = 1.0 / rate
        self.next_at: float | None = None

    def wait(self) -> None:
        now = time.monotonic()
        due = now if self.next_at is None else max(self.next_at, now - self.CATCH_UP)
        if now < due:
            time.sleep(due - now)
        self.next_at = due + self.interval


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt: doubling from FOLLOWING_RETRY_SECONDS, with
    jitter so that messages refused together are not all tried again together."""
    base = settings.FOLLOWING_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    seconds = min(base * random.uniform(0.75, 1.25), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=seconds)


RECORDED = (
    "status",
    "attempts",
    "first_attempt_at",
    "last_attempt_at",
    "claimed_until",
    "sent_at",
    "next_attempt_at",
    "last_response",
)


def record(delivery: Delivery, verdict: Verdict, *, now: datetime) -> Delivery.Status:
    """Write one message's fate: SENT, RETRYING or FAILED, with the server's answer."""
    delivery.attempts += 1
    delivery.first_attempt_at = delivery.first_attempt_at or now
    delivery.last_attempt_at = now
    delivery.claimed_until = None
    delivery.last_response = verdict.answer
    delivery.next_attempt_at = None
    if verdict.accepted:
        delivery.status, delivery.sent_at = Delivery.Status.SENT, now
    elif verdict.final or delivery.attempts >= settings.FOLLOWING_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.status = Delivery.Status.RETRYING
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    # An update, not save(): a reader who left meanwhile took the row along, and
    # the round goes on.
    Delivery.objects.filter(pk=delivery.pk).update(
        **{name: getattr(delivery, name) for name in RECORDED}
    )
    if not verdict.accepted:
        log.warning(
            "mail to %s (%s %s), attempt %d: %s — %s",
            delivery.reader.log_name,
            delivery.kind,
            delivery.period,
            delivery.attempts,
            verdict.answer,
            delivery.get_status_display(),
        )
    return Delivery.Status(delivery.status)


def hold(delivery: Delivery, *, lease_until: datetime, now: datetime) -> bool:
    """Renew our claim on ``delivery`` for its sending, if we still hold it: a round
    slow enough to outlive its lease has lost the message to another round."""
    return bool(
        Delivery.objects.filter(
            pk=delivery.pk, status=Delivery.Status.SENDING, claimed_until=lease_until
        ).update(claimed_until=now + LEASE_MARGIN)
    )


class OpenFailed(Exception):
    def __init__(self, verdict: Verdict):
        super().__init__(verdict.answer)
        self.verdict = verdict


class MailConnection:
    """The round's one connection to the mail server, opened again after it is lost."""

    def __init__(self):
        self.backend = None

    def get(self):
        if self.backend is None:
            backend = get_connection(fail_silently=False)
            try:
                backend.open()
            except (smtplib.SMTPException, OSError) as error:
                raise OpenFailed(classify(error, timeout=settings.EMAIL_TIMEOUT)) from error
            remember_replies(backend)
            self.backend = backend
        return self.backend

    def drop(self) -> None:
        if self.backend is not None:
            # A connection that is gone already cannot be closed politely; a new one
            # is opened when needed.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.backend.close()
            self.backend = None

    def last_answer(self) -> str:
        smtp = getattr(self.backend, "connection", None)
        return getattr(smtp, "last_data_reply", "")


def remember_replies(backend) -> None:
    """Keep the server's answer to each message («250 2.0.0 Ok: queued as 4BkT…»), which
    smtplib's ``sendmail`` reads and drops: editors see it in the admin."""
    smtp = getattr(backend, "connection", None)
    if not isinstance(smtp, smtplib.SMTP):
        return  # the file, console and memory backends have no server to answer
    data = smtp.data

    def data_remembered(message):
        code, text = data(message)
        smtp.last_data_reply = reply(code, text)
        return code, text

    smtp.data = data_remembered


def send_one(delivery: Delivery, mail: MailConnection, *, rendered=None) -> Verdict:
    """Compose and send one message over the round's connection; the verdict.
    ``rendered``: its (subject, text, html) when the batch was rendered at once."""
    try:
        message = compose(delivery, rendered=rendered)
    except Exception as error:  # a broken template is a final failure an editor sees
        log.exception("mail to %s not composed", delivery.reader.log_name)
        return Verdict(f"письмо не составлено: {type(error).__name__}", final=True)
    message.connection = mail.get()
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        verdict = classify(error, timeout=settings.EMAIL_TIMEOUT)
        if verdict.connection_lost:
            mail.drop()
        return verdict
    except Exception as error:  # a message that cannot be written out (a bad header)
        log.exception("mail to %s not sent", delivery.reader.log_name)
        mail.drop()  # in whatever state the failure left it
        return Verdict(f"письмо не отправлено: {type(error).__name__}", final=True)
    return accepted(mail.last_answer())


def send_batch(deliveries: list[Delivery], *, lease_until: datetime, now) -> RoundReport:
    """Send claimed ``deliveries`` at the configured rate; a server that cannot be
    reached fails the rest of the batch for this round, without waiting on each."""
    report = RoundReport(claimed=len(deliveries))
    pace, mail = Pace(settings.FOLLOWING_SEND_RATE), MailConnection()
    rendered: dict[int, tuple[str, str, str]] = {}
    unreachable: Verdict | None = None
    try:
        for position, delivery in enumerate(deliveries):
            if position % RENDER_AHEAD == 0:
                # A few at a time, in the time the pace leaves between messages, rather
                # than the whole batch before the first one goes.
                rendered = render_batch(deliveries[position : position + RENDER_AHEAD])
            if not hold(delivery, lease_until=lease_until, now=now()):
                continue
            if unreachable is None:
                pace.wait()
                try:
                    verdict = send_one(delivery, mail, rendered=rendered.get(delivery.pk))
                except OpenFailed as failure:
                    unreachable = verdict = failure.verdict
            else:
                verdict = unreachable
            count(report, record(delivery, verdict, now=now()))
    finally:
        mail.drop()
    return report


def count(report: RoundReport, status: Delivery.Status) -> None:
    if status == Delivery.Status.SENT:
        report.sent += 1
    elif status == Delivery.Status.RETRYING:
        report.retrying += 1
    else:
        report.failed += 1


def batch_size() -> int:
    """``FOLLOWING_BATCH_SIZE``, or fewer when at the sending rate they would not go
    out well within the job runner's time limit (which stops a longer job half-way)."""
    seconds = settings.Q_CLUSTER.get("timeout", 300) / 2
    fits = int(settings.FOLLOWING_SEND_RATE * seconds)
    return max(1, min(settings.FOLLOWING_BATCH_SIZE, fits))


def send_round(*, limit: int | None = None, now: datetime | None = None) -> RoundReport:
    """Claim a batch of due messages and send it; what became of them.

    ``now`` stands for the clock (tests move it forward to reach a retry's time)."""
    limit = limit or batch_size()
    clock = (lambda: now) if now is not None else timezone.now
    started = clock()
    lease_until = started + timedelta(seconds=limit / settings.FOLLOWING_SEND_RATE) + LEASE_MARGIN
    ids = claim(limit=limit, now=started, lease_until=lease_until)
    if not ids:
        return RoundReport()
    deliveries = list(Delivery.objects.filter(pk__in=ids).select_related("reader").order_by("pk"))
    report = send_batch(deliveries, lease_until=lease_until, now=clock)
    log.info(
        "sending round: %d claimed, %d sent, %d to retry, %d failed",
        report.claimed,
        report.sent,
        report.retrying,
        report.failed,
    )
    return report


def send_due(*, limit: int | None = None, now: datetime | None = None) -> int:
    """Send up to ``limit`` (``batch_size()``) due messages; how many went out."""
    return send_round(limit=limit, now=now).sent
