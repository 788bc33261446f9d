"""Items out of the inbox and back: «Отклонить» and «Вернуть во входящие».

A story's row on the list stands for the whole story: discarding it from the
list discards the story's other new items too (``with_their_stories``); the
item page and the list of one story discard single items. Only new items are
discarded: one taken into work has its draft, and discarding
it would hide where the draft came from. Both are conditional updates, so a list
selected a while ago changes only what is still in the state it expects.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import InboxItem


def discard(items: QuerySet[InboxItem]) -> int:
    """Discard the new items among ``items``; how many."""
    return items.filter(state=InboxItem.State.NEW).update(state=InboxItem.State.DISCARDED)


def restore(items: QuerySet[InboxItem]) -> int:
    """Bring the discarded items among ``items`` back as new; how many."""
    return items.filter(state=InboxItem.State.DISCARDED).update(state=InboxItem.State.NEW)


def with_their_stories(items: QuerySet[InboxItem]) -> QuerySet[InboxItem]:
    """``items`` and every other item of their stories."""
    groups = items.exclude(group=None).values("group")
    return InboxItem.objects.filter(Q(pk__in=items.values("pk")) | Q(group__in=groups))
