"""Items out of the inbox and back: «Отклонить» and «Вернуть во входящие».

Only new items are discarded: one taken into work has its draft, and discarding
it would hide where the draft came from. Both are conditional updates, so a list
selected a while ago changes only what is still in the state it expects.
"""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import InboxItem


def discard(items: QuerySet[InboxItem]) -> int:
    """Discard the new items among ``items``; how many."""
    return items.filter(state=InboxItem.State.NEW).update(state=InboxItem.State.DISCARDED)


def restore(items: QuerySet[InboxItem]) -> int:
    """Bring the discarded items among ``items`` back as new; how many."""
    return items.filter(state=InboxItem.State.DISCARDED).update(state=InboxItem.State.NEW)
