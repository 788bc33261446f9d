"""Readers (an email address, nothing else), what they follow, and every message sent to them.

Privacy: the address, its subscriptions and the delivery records are all that is
kept. Deleting a ``Reader`` deletes the rest with it. Links in mail carry signed
tokens (``tokens.py``), never the address; logs name a reader by ``log_name``.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_key() -> str:
    return secrets.token_urlsafe(24)


class Frequency(models.TextChoices):
    INSTANT = "instant", "сразу"
    DAILY = "daily", "раз в день"
    WEEKLY = "weekly", "раз в неделю"


class TargetKind(models.TextChoices):
    """What can be followed: the catalog's kinds (``companies.kinds.KINDS`` keys) and tags."""

    COMPANIES = "companies", "компания"
    VEHICLE_MODELS = "vehicle_models", "модель техники"
    OFFICIALS = "officials", "официальное лицо"
    COUNTRIES = "countries", "страна"
    TAGS = "tags", "тема"


class ReaderQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True)


class Reader(models.Model):
    """One email address and when it receives its digests."""

    email = models.EmailField("адрес", max_length=254, unique=True)
    # A secret of the reader's own inside every link sent to them: deleting the
    # reader (or giving a new key) makes every old link worthless.
    key = models.CharField(max_length=64, default=new_key, editable=False)
    created_at = models.DateTimeField("подписался", default=timezone.now)
    confirmed_at = models.DateTimeField("подтвердил", null=True, blank=True)
    time_zone = models.CharField("часовой пояс", max_length=64, default=settings.TIME_ZONE)
    digest_hour = models.PositiveSmallIntegerField("час рассылки", default=8)
    # Monday is 0, as ``date.weekday()``.
    digest_weekday = models.PositiveSmallIntegerField("день недельной рассылки", default=0)

    objects = ReaderQuerySet.as_manager()

    class Meta:
        verbose_name = "читатель"
        verbose_name_plural = "читатели"

    def __str__(self) -> str:
        return self.log_name

    @property
    def log_name(self) -> str:
        """How logs and the admin's lists name the reader without showing the address."""
        digest = hashlib.sha256(self.email.lower().encode()).hexdigest()[:10]
        return f"читатель {self.pk or '—'} ({digest})"


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Subscriptions that receive mail: confirmed, of a confirmed reader."""
        return self.filter(confirmed_at__isnull=False, reader__confirmed_at__isnull=False)


class Subscription(models.Model):
    """A reader follows one entity or tag, at once or in a digest.

    A subscription asked for on the site waits for the reader's confirmation
    (``confirmed_at``), even when the address itself was confirmed before: anyone
    can type someone else's address."""

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="subscriptions")
    target_kind = models.CharField("что", max_length=20, choices=TargetKind.choices)
    target_id = models.PositiveIntegerField("номер")
    frequency = models.CharField(
        "как часто", max_length=10, choices=Frequency.choices, default=Frequency.DAILY
    )
    created_at = models.DateTimeField("с", default=timezone.now)
    confirmed_at = models.DateTimeField("подтверждена", null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = "подписка"
        verbose_name_plural = "подписки"
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "target_kind", "target_id"], name="one_subscription_per_target"
            )
        ]
        indexes = [models.Index(fields=["target_kind", "target_id", "frequency"])]

    def __str__(self) -> str:
        return f"{self.get_target_kind_display()} {self.target_id}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, *, now):
        """Queued messages, and retries whose time has come."""
        return self.filter(
            models.Q(status=Delivery.Status.QUEUED)
            | models.Q(status=Delivery.Status.RETRYING, next_attempt_at__lte=now)
        )


class Delivery(models.Model):
    """One message to one reader: a confirmation, an alert or a digest, and its fate.

    A digest is one record per reader, kind and period (the unique constraint): a
    build that runs twice, or a job that dies half-way and runs again, never makes
    or sends a second one. What it lists is fixed when it is made (``article_ids``),
    so a retry sends the same message."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "подтверждение адреса"
        INSTANT = "instant", "новость сразу"
        DAILY = "daily", "дневная подборка"
        WEEKLY = "weekly", "недельная подборка"

    class Status(models.TextChoices):
        QUEUED = "queued", "в очереди"
        SENDING = "sending", "отправляется"
        SENT = "sent", "отправлено"
        RETRYING = "retrying", "повтор"
        FAILED = "failed", "не доставлено"

    reader = models.ForeignKey(Reader, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    # Which message of its kind: the local date of a daily digest («2026-12-06»),
    # the ISO week of a weekly one («2026-W49»), the article of an alert («a1234»),
    # the request of a confirmation (its time).
    period = models.CharField("период", max_length=40)
    article_ids = models.JSONField("материалы", default=list, blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    # A sender holds the message until then; a sender that died lets it go.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_response = models.TextField("ответ сервера", blank=True)
    created_at = models.DateTimeField("создано", default=timezone.now)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    # When sending was first and last tried: the admin's front page warns of retries
    # that have gone on too long and of recent failures (following/desk.py).
    first_attempt_at = models.DateTimeField("первая попытка", null=True, blank=True)
    last_attempt_at = models.DateTimeField("последняя попытка", null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "письма"
        # Editors see the records but never edit them; sending a failed one again is
        # a permission of its own (the admin's «Отправить снова»).
        permissions = [("resend_delivery", "Может отправлять письма снова")]
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "kind", "period"], name="one_delivery_per_reader_and_period"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"


class ConfirmationRequest(models.Model):
    """A request for a confirmation mail, kept an hour to limit them.

    The address and the client's address are kept only as keyed hashes
    (``tokens.private_hash``), so neither is stored in clear."""

    address_hash = models.CharField(max_length=64, db_index=True)
    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "запрос подтверждения"
        verbose_name_plural = "запросы подтверждения"

    def __str__(self) -> str:
        return f"запрос {self.created_at:%Y-%m-%d %H:%M}"


class AlertWatermark(models.Model):
    """How far the instant alerts have gone: the newest publication time already handled.

    A round alerts the articles published after it (up to the round's time), so an
    article scheduled for later is alerted when its time comes, and only once."""

    name = models.CharField(max_length=40, unique=True)
    handled_until = models.DateTimeField("обработано до")

    class Meta:
        verbose_name = "отметка оповещений"
        verbose_name_plural = "отметки оповещений"

    def __str__(self) -> str:
        return f"{self.name}: {self.handled_until:%Y-%m-%d %H:%M:%S}"
