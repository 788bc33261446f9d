"""Names found in articles that the catalog does not know yet, for editors to
accept or reject (see ``articles.suggestions``)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .article import Article


class EntitySuggestion(models.Model):
    """A name found in articles that the catalog does not know yet."""

    class Kind(models.TextChoices):
        PERSON = "person", "персона"
        ORGANISATION = "organisation", "организация"
        PLACE = "place", "место"
        VEHICLE_MODEL = "vehicle_model", "модель техники"

    class Status(models.TextChoices):
        NEW = "new", "новое"
        ACCEPTED = "accepted", "принято"
        REJECTED = "rejected", "отклонено"

    name = models.CharField("название", max_length=200, help_text="В начальной форме.")
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    status = models.CharField(
        "решение", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True
    )
    mentions = models.PositiveIntegerField("упоминаний", default=0)
    articles = models.ManyToManyField(
        Article, through="SuggestionOccurrence", related_name="suggestions", verbose_name="статьи"
    )
    # The catalog entity an accepted suggestion became.
    entity_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="вид сущности в каталоге",
    )
    entity_id = models.PositiveBigIntegerField("ID сущности в каталоге", null=True, blank=True)
    entity = GenericForeignKey("entity_type", "entity_id")
    created_at = models.DateTimeField("найдено", auto_now_add=True)
    updated_at = models.DateTimeField("обновлено", auto_now=True)

    class Meta:
        ordering = ["-mentions", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="unique_suggestion_name_kind")
        ]
        verbose_name = "предложенная сущность"
        verbose_name_plural = "предложенные сущности"

    def __str__(self):
        return self.name


class SuggestionOccurrence(models.Model):
    """Where a suggested name appears: the article and the sentence."""

    suggestion = models.ForeignKey(
        EntitySuggestion,
        on_delete=models.CASCADE,
        related_name="occurrences",
        verbose_name="предложенная сущность",
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, verbose_name="статья")
    sentence = models.TextField("предложение")

    class Meta:
        verbose_name = "упоминание"
        verbose_name_plural = "упоминания"

    def __str__(self):
        return self.sentence[:80]
