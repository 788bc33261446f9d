"""Items, stories and users for the desk's tests: invented firms and people only."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.roles import setup_roles
from inbox.linking import link_items
from inbox.models import InboxItem, ItemTag, Source, StoryGroup

from .factories import SourceFactory

PASSWORD = "входящие-2026-пароль"


def make_item(
    source: Source | None = None,
    *,
    title: str,
    lead: str = "Первая партия отгружена заказчикам.",
    body: str = "Подробности сообщила пресс-служба.\n\nРабота продолжится весной.",
    minutes_ago: int = 0,
    tags: tuple[str, ...] = (),
    group: StoryGroup | None = None,
    link: bool = True,
    **fields,
) -> InboxItem:
    """An item as storing would leave it, linked by the articles' linker."""
    source = source or SourceFactory()
    item = InboxItem.objects.create(
        source=source,
        guid=f"urn:desk:{title}",
        url=f"https://vostok-metall.example/news/{abs(hash(title)) % 10**8}",
        content_key=str(abs(hash(title + body))),
        title=title,
        lead=lead,
        body=body,
        received_at=timezone.now() - timedelta(minutes=minutes_ago),
        group=group,
        **fields,
    )
    ItemTag.objects.bulk_create(ItemTag(item=item, name=name) for name in tags)
    if link:
        link_items(item_ids=[item.pk])
        item.refresh_from_db()
    return item


def story(*titles: str) -> list[InboxItem]:
    """One story told by as many sources as titles, the first the oldest."""
    group = StoryGroup.objects.create()
    count = len(titles)
    return [
        make_item(title=title, group=group, minutes_ago=count - n) for n, title in enumerate(titles)
    ]


def staff(role: str, username: str) -> User:
    """A signed-up member of the newsroom with one of the roles of articles/roles.py."""
    setup_roles()
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user
