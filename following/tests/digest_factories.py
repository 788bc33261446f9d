"""Readers, their subscriptions and the articles they follow, for the alert and digest tests.

The firms and people are invented («Компания 3», «Имя Фамилия5»).
"""

import datetime as dt

import factory

from articles.models import Tag
from articles.tests.factories import ArticleFactory
from companies.kinds import kind_of
from following.models import Frequency, Reader, Subscription, TargetKind


def long_ago() -> dt.datetime:
    """Before every date the tests use."""
    return dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


class ReaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reader

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    created_at = factory.LazyFunction(long_ago)
    confirmed_at = factory.LazyFunction(long_ago)
    time_zone = "Asia/Bishkek"
    digest_hour = 8
    digest_weekday = 0


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    reader = factory.SubFactory(ReaderFactory)
    target_kind = TargetKind.COMPANIES
    target_id = 1
    frequency = Frequency.DAILY
    created_at = factory.LazyFunction(long_ago)
    confirmed_at = factory.LazyFunction(long_ago)


def target_of(followed) -> tuple[str, int]:
    """(TargetKind value, id) of an entity or a tag."""
    if isinstance(followed, Tag):
        return TargetKind.TAGS.value, followed.pk
    return kind_of(followed).key, followed.pk


def follow(reader: Reader, *followed, frequency=Frequency.DAILY, **fields) -> list[Subscription]:
    """Confirmed subscriptions of ``reader`` to each entity or tag of ``followed``."""
    subscriptions = []
    for each in followed:
        kind, pk = target_of(each)
        subscriptions.append(
            SubscriptionFactory(
                reader=reader, target_kind=kind, target_id=pk, frequency=frequency, **fields
            )
        )
    return subscriptions


def article_about(*entities, tags=(), **fields):
    """A published article linked to ``entities`` (any kinds) and tagged ``tags``."""
    article = ArticleFactory(**fields)
    for entity in entities:
        getattr(article, kind_of(entity).key).add(entity)
    if tags:
        article.tags.add(*tags)
    return article
