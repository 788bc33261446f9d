"""What a subscription follows: a catalog entity (one of ``companies.kinds.KINDS``) or a tag.

A ``Subscription`` keeps a ``TargetKind`` value and a number; this module turns
them into the object, its name and its page, for the reader's pages and mail.
Only what has a public page can be followed: an entity, or a tag a published
article carries (``articles.access.public_tags``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.http import Http404

from articles.access import public_tags
from articles.models import Tag
from companies.kinds import kind_for_key

from .models import Subscription, TargetKind


def _models_of(kind: str, *, public_only: bool) -> models.QuerySet:
    if kind == TargetKind.TAGS:
        return public_tags() if public_only else Tag.objects.all()
    return kind_for_key(kind).model.objects.all()


def followable(kind: str, slug: str) -> models.Model:
    """The entity or public tag behind a follow address; ``Http404`` for anything else."""
    if kind not in TargetKind.values:
        raise Http404("Нет такого вида подписки")
    found = _models_of(kind, public_only=True).filter(slug=slug).first()
    if found is None:
        raise Http404("Нечего читать по этому адресу")
    return found


@dataclass(frozen=True)
class Followed:
    """A subscription with what it follows (``target`` is None once that is gone)."""

    subscription: Subscription
    target: models.Model | None

    @property
    def name(self) -> str:
        return self.target.name if self.target is not None else "удалено с сайта"

    @property
    def kind_label(self) -> str:
        return self.subscription.get_target_kind_display()

    @property
    def url(self) -> str | None:
        return self.target.get_absolute_url() if self.target is not None else None


def with_targets(subscriptions: Iterable[Subscription]) -> list[Followed]:
    """Each subscription with its target, read in one query per kind, in name order."""
    subscriptions = list(subscriptions)
    wanted: dict[str, set[int]] = defaultdict(set)
    for subscription in subscriptions:
        wanted[subscription.target_kind].add(subscription.target_id)
    found = {
        (kind, target.pk): target
        for kind, ids in wanted.items()
        for target in _models_of(kind, public_only=False).filter(pk__in=ids)
    }
    followed = [
        Followed(subscription, found.get((subscription.target_kind, subscription.target_id)))
        for subscription in subscriptions
    ]
    return sorted(followed, key=lambda item: (item.name.casefold(), item.subscription.pk))
