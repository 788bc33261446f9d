"""Factories for the sending tests: readers (fictional addresses) and their messages."""

from __future__ import annotations

import factory
from django.utils import timezone

from following.models import Delivery, Reader


class ReaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reader

    email = factory.Sequence(lambda n: f"reader{n}@mail.example.org")
    confirmed_at = factory.LazyFunction(timezone.now)


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A confirmation mail by default: its text needs no articles."""

    class Meta:
        model = Delivery

    reader = factory.SubFactory(ReaderFactory)
    kind = Delivery.Kind.CONFIRM
    period = factory.Sequence(lambda n: f"2026-12-06T08:{n // 60 % 60:02d}:{n % 60:02d}")


class DigestDeliveryFactory(DeliveryFactory):
    """A daily digest: it carries the one-click unsubscribe headers."""

    kind = Delivery.Kind.DAILY
    period = factory.Sequence(lambda n: f"2026-12-{n % 28 + 1:02d}")
    article_ids = factory.LazyFunction(list)
