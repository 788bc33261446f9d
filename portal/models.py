"""Site-wide records that are not about any one kind of content."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class RetiredSlug(models.Model):
    """A slug a page used to have: its old URL answers with a permanent redirect."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name="вид страницы"
    )
    object_id = models.PositiveBigIntegerField("ID записи")
    target = GenericForeignKey("content_type", "object_id")
    slug = models.SlugField("слаг", max_length=100)
    retired_at = models.DateTimeField("когда заменён", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="unique_retired_slug")
        ]
        verbose_name = "старый адрес"
        verbose_name_plural = "старые адреса"

    def __str__(self):
        return self.slug


class ContentVersion(models.Model):
    """The version of everything visitors see, stamped on every cached page.

    A single row, in the database rather than in a process's memory, so that a
    change made in one gunicorn worker is seen by every other worker on its next
    request. With a shared cache (Redis) the version lives there instead and this
    table stays unused; see ``portal/cache.py``.
    """

    token = models.CharField("метка версии", max_length=32)
    changed_at = models.DateTimeField("когда изменено")

    class Meta:
        verbose_name = "версия содержимого"
        verbose_name_plural = "версии содержимого"

    def __str__(self):
        return self.token
