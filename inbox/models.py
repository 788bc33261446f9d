"""Sources, the items they bring, the stories those items tell, and what the items name.

The inbox keeps its own rows for the entities and unknown names found in an item
(``ItemEntity``, ``ItemSuggestion``): the articles app never imports the inbox, so
nothing of it can point here.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .source_addresses import address_error


class SourceQuerySet(models.QuerySet):
    def due(self, *, now):
        """Active sources whose next poll has come."""
        return self.filter(active=True, next_poll_at__lte=now)


class Source(models.Model):
    """A feed, a ninjs endpoint or a folder of seed files the newsroom follows."""

    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSONFEED = "jsonfeed", "JSON Feed"
        NINJS = "ninjs", "ninjs 3.x"
        FOLDER = "folder", "папка файлов в формате seed"

    name = models.CharField("название", max_length=200)
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    address = models.CharField(
        "адрес",
        max_length=1000,
        help_text="Адрес ленты (http:// или https://) или, для папки, полный путь к ней.",
    )
    interval = models.PositiveIntegerField(
        "интервал опроса, мин",
        default=30,
        help_text="Как часто спрашивать источник о новом. При ошибках интервал растёт.",
    )
    default_tags = models.CharField(
        "теги по умолчанию",
        max_length=500,
        blank=True,
        help_text="Через запятую; добавляются каждому материалу источника.",
    )
    active = models.BooleanField("опрашивать", default=True)
    created_at = models.DateTimeField("добавлен", default=timezone.now)

    # Health, written by the poll job.
    last_attempt_at = models.DateTimeField("последний опрос", null=True, blank=True)
    last_success_at = models.DateTimeField("последний успешный опрос", null=True, blank=True)
    last_new_item_at = models.DateTimeField("последний новый материал", null=True, blank=True)
    items_received = models.PositiveIntegerField("получено материалов", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)
    last_skipped = models.TextField(
        "пропущено при последнем опросе",
        blank=True,
        help_text="Записи ленты, которые не удалось принять, и почему.",
    )
    consecutive_failures = models.PositiveIntegerField("ошибок подряд", default=0)
    next_poll_at = models.DateTimeField("следующий опрос", default=timezone.now, db_index=True)
    # The validators of the last answer, sent back so that an unchanged feed costs a 304.
    etag = models.CharField("ETag", max_length=500, blank=True)
    last_modified = models.CharField("Last-Modified", max_length=100, blank=True)
    # The lease: the worker polling the source now, until when (inbox/leases.py).
    claimed_until = models.DateTimeField("занят до", null=True, blank=True)
    claimed_by = models.CharField("кем занят", max_length=200, blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "источник"
        verbose_name_plural = "источники"

    def __str__(self):
        return self.name

    @property
    def interval_delta(self) -> timedelta:
        return timedelta(minutes=max(self.interval, 1))

    def clean(self):
        if message := address_error(self.kind, self.address):
            raise ValidationError({"address": message})

    def tag_names(self) -> list[str]:
        return [tag.strip() for tag in self.default_tags.split(",") if tag.strip()]


class StoryGroup(models.Model):
    """Items from several sources that tell the same story."""

    created_at = models.DateTimeField("создан", default=timezone.now)

    class Meta:
        verbose_name = "сюжет"
        verbose_name_plural = "сюжеты"

    def __str__(self):
        return f"Сюжет №{self.pk}"


class InboxItemQuerySet(models.QuerySet):
    def mentioning(self, entity):
        """Items the linker found ``entity`` in."""
        return self.filter(
            entity_links__entity_type=ContentType.objects.get_for_model(entity),
            entity_links__entity_id=entity.pk,
        ).distinct()


class InboxItem(models.Model):
    """One item a source gave, stored once, waiting for an editor."""

    class State(models.TextChoices):
        NEW = "new", "новое"
        DRAFTED = "drafted", "взято в работу"
        DISCARDED = "discarded", "отклонено"

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="items", verbose_name="источник"
    )
    guid = models.CharField("GUID", max_length=1000, blank=True)
    url = models.URLField("ссылка", max_length=2000, blank=True)
    canonical_url = models.CharField("каноническая ссылка", max_length=2000, blank=True)
    content_key = models.CharField("ключ текста", max_length=100, db_index=True)
    title = models.CharField("заголовок", max_length=1000, blank=True)
    lead = models.TextField("лид", blank=True)
    body = models.TextField("текст", blank=True)
    published_at = models.DateTimeField("опубликовано источником", null=True, blank=True)
    received_at = models.DateTimeField("получено", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField("изменено источником", null=True, blank=True)
    was_updated = models.BooleanField(
        "обновлено",
        default=False,
        help_text="Источник прислал материал с тем же GUID и новым текстом.",
    )
    state = models.CharField(
        "состояние", max_length=10, choices=State.choices, default=State.NEW, db_index=True
    )
    group = models.ForeignKey(
        StoryGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name="сюжет",
    )
    signature = models.BinaryField("отпечаток текста", blank=True, default=b"")
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="черновик статьи",
    )
    # [text, start, end, "app.model", pk] per mention, as ``Article.mentions``; texts
    # 0 the headline, 1 the lead, 2 onwards the body's blocks.
    mentions = models.JSONField("упоминания", default=list, blank=True)
    # The fingerprint of the texts the links were found in: empty or stale, relink.
    linked_hash = models.CharField("отпечаток связанного текста", max_length=64, blank=True)

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "входящий материал"
        verbose_name_plural = "входящие"
        # «Сделать черновик» (inbox/desk/): declared here so that migrate makes it,
        # and a restored backup's roles find it.
        permissions = [("draft_inboxitem", "Может делать черновики из входящих")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "guid"],
                condition=~models.Q(guid=""),
                name="inbox_item_unique_source_guid",
            )
        ]
        indexes = [models.Index(fields=["canonical_url"], name="inbox_item_canonical_url")]

    def __str__(self):
        return self.title or self.url or f"Материал №{self.pk}"


class ItemTag(models.Model):
    """A tag an item came with, or its source's default."""

    item = models.ForeignKey(
        InboxItem, on_delete=models.CASCADE, related_name="tags", verbose_name="материал"
    )
    name = models.CharField("тег", max_length=100, db_index=True)

    class Meta:
        verbose_name = "тег"
        verbose_name_plural = "теги"
        constraints = [
            models.UniqueConstraint(fields=["item", "name"], name="inbox_tag_unique_item_name")
        ]

    def __str__(self):
        return self.name


class ItemEntity(models.Model):
    """A catalog entity the linker found in an item (the same linker as articles')."""

    item = models.ForeignKey(
        InboxItem, on_delete=models.CASCADE, related_name="entity_links", verbose_name="материал"
    )
    entity_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name="вид сущности"
    )
    entity_id = models.PositiveBigIntegerField("ID сущности")

    class Meta:
        verbose_name = "сущность в материале"
        verbose_name_plural = "сущности в материалах"
        constraints = [
            models.UniqueConstraint(
                fields=["item", "entity_type", "entity_id"], name="inbox_entity_unique"
            )
        ]
        indexes = [models.Index(fields=["entity_type", "entity_id"], name="inbox_entity_lookup")]

    def __str__(self):
        return f"{self.entity_type.model}:{self.entity_id}"


class ItemSuggestion(models.Model):
    """A name the catalog lacks, found in an item by the articles' suggester."""

    item = models.ForeignKey(
        InboxItem, on_delete=models.CASCADE, related_name="suggestions", verbose_name="материал"
    )
    name = models.CharField("название", max_length=200)
    kind = models.CharField("вид", max_length=20)  # an articles EntitySuggestion.Kind value
    sentence = models.TextField("предложение")

    class Meta:
        verbose_name = "предложенная сущность"
        verbose_name_plural = "предложенные сущности"

    def __str__(self):
        return self.name
