"""Slugs: how every page's Latin slug is made from its Russian name, and old
slugs that keep answering (a renamed page's previous URL redirects to the new one)."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from slugify import slugify

from .models import RetiredSlug


def make_slug(text: str) -> str:
    """Transliterated Latin slug: «Тулпар Моторс» → ``tulpar-motors``.

    Django's own ``slugify`` drops Cyrillic letters altogether."""
    return slugify(text, max_length=80, word_boundary=True, save_order=True)


def unique_slug(text: str, *, queryset: models.QuerySet, fallback: str) -> str:
    """``make_slug(text)`` that nothing in ``queryset`` has yet: ``-2``, ``-3``… when taken.

    ``fallback`` stands in for a name with no letter or digit to transliterate."""
    base = make_slug(text) or fallback
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def retire_slug(*, obj: models.Model, old_slug: str) -> None:
    """Remember that ``obj`` was reachable at ``old_slug`` until now."""
    if not old_slug or old_slug == obj.slug:
        return
    content_type = ContentType.objects.get_for_model(obj)
    RetiredSlug.objects.update_or_create(
        content_type=content_type, slug=old_slug, defaults={"object_id": obj.pk}
    )
    # The page's current slug is live again if it had been retired before.
    RetiredSlug.objects.filter(content_type=content_type, slug=obj.slug).delete()


def find_by_retired_slug(queryset: models.QuerySet, slug: str) -> models.Model | None:
    """The object in ``queryset`` that used to have ``slug``, if any."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    object_id = (
        RetiredSlug.objects.filter(content_type=content_type, slug=slug)
        .values_list("object_id", flat=True)
        .first()
    )
    if object_id is None:
        return None
    return queryset.filter(pk=object_id).first()


class RetiredSlugRedirectMixin:
    """For DetailViews: a retired slug answers 301 to the object's current page."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            current = find_by_retired_slug(self.get_queryset(), kwargs.get("slug", ""))
            if current is None:
                raise
            return redirect(current, permanent=True)
