"""An inbox item made into a draft article, once.

``draft_item`` calls ``articles.drafting.make_draft`` with the item's headline,
lead, body and tags (its own and its source's defaults), the source's name and the
item's address as the attribution, and the editor as author; it links the item
to the draft and marks it drafted, all in one transaction. A second call, a double
submit or two editors at once, gives back the first draft: the item's row is
locked where the database can (PostgreSQL), and the link is set by a conditional
update everywhere, so of two racing calls one writes and the other's draft is
rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction

from articles.drafting import make_draft
from articles.models import Article

from ..models import InboxItem


class DraftRefused(Exception):
    """The item cannot become a draft; the message says why, in Russian."""


class _TakenMeanwhile(Exception):
    """Another request linked the item to its draft first: roll this one back."""


@dataclass(frozen=True)
class Drafted:
    article: Article
    created: bool  # False: the item had its draft already


def draft_item(*, item_id: int, user: AbstractBaseUser) -> Drafted:
    """The item's draft: made now, or the one made before. Raises ``DraftRefused``."""
    try:
        with transaction.atomic():
            item = InboxItem.objects.select_for_update().select_related("source").get(pk=item_id)
            if item.article_id is not None:
                return Drafted(article=item.article, created=False)
            if item.state == InboxItem.State.DISCARDED:
                raise DraftRefused("Материал отклонён: сначала верните его во входящие.")
            article = _make(item, user)
            linked = InboxItem.objects.filter(pk=item.pk, article__isnull=True).update(
                article=article, state=InboxItem.State.DRAFTED
            )
            if not linked:
                raise _TakenMeanwhile
    except _TakenMeanwhile:
        item = InboxItem.objects.select_related("article").get(pk=item_id)
        return Drafted(article=item.article, created=False)
    return Drafted(article=article, created=True)


def _make(item: InboxItem, user: AbstractBaseUser) -> Article:
    lead, body = lead_and_body(item)
    try:
        return make_draft(
            title=item.title,
            lead=lead,
            body=body,
            tags=item_tags(item),
            source_name=item.source.name,
            source_url=item.url,
            author=user,
        )
    except ValidationError as error:
        raise DraftRefused(refusal(error)) from error


def lead_and_body(item: InboxItem) -> tuple[str, str]:
    """The item's lead and body; an item without a lead gives its first paragraph,
    since a draft needs one (the editor rewrites it anyway)."""
    if item.lead.strip():
        return item.lead, item.body
    first, _, rest = item.body.strip().partition("\n\n")
    return first, rest


def item_tags(item: InboxItem) -> list[str]:
    """The item's tags, then its source's defaults not among them."""
    names = [tag.name for tag in item.tags.all()]
    return list(dict.fromkeys([*names, *item.source.tag_names()]))


def refusal(error: ValidationError) -> str:
    """make_draft's objections as one Russian sentence naming the draft's fields."""
    if not hasattr(error, "error_dict"):
        return "Черновик не создан: " + " ".join(error.messages)
    parts = []
    for field, messages in error.message_dict.items():
        label = _field_label(field)
        said = " ".join(messages)
        parts.append(f"{label}: {said}" if label else said)
    advice = "Исправьте это в источнике или сделайте черновик вручную."
    return " ".join(["Черновик не создан.", *parts, advice])


def _field_label(field: str) -> str:
    if field == "__all__":
        return ""
    try:
        return str(Article._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:  # a key of make_draft's own
        return field
