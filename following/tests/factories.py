"""Readers and subscriptions for the following app's tests (fictional addresses only)."""

import factory
from django.utils import timezone

from following.models import Frequency, Reader, Subscription, TargetKind


class ReaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reader

    email = factory.Sequence(lambda n: f"chitatel{n}@pochta.example")


class ConfirmedReaderFactory(ReaderFactory):
    confirmed_at = factory.LazyFunction(timezone.now)


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription to a company (give ``target_id``, and ``target_kind``
    for anything else)."""

    class Meta:
        model = Subscription

    reader = factory.SubFactory(ConfirmedReaderFactory)
    target_kind = TargetKind.COMPANIES
    target_id = 1
    frequency = Frequency.DAILY
    confirmed_at = factory.LazyFunction(timezone.now)
