"""An article's links to catalog entities, one table per kind, remembering who
made each, and the links an editor removed (which the linker must not restore)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from companies.models import Company, Country, Official, VehicleModel

from .article import Article


class LinkOrigin(models.TextChoices):
    LINKER = "linker", "найдено автоматически"
    EDITOR = "editor", "добавлено редактором"


class ArticleLink(models.Model):
    """A link between an article and an entity, remembering who made it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, verbose_name="статья")
    origin = models.CharField(
        "кто связал", max_length=10, choices=LinkOrigin.choices, default=LinkOrigin.EDITOR
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.article} → {self.entity}"


class ArticleCountry(ArticleLink):
    entity = models.ForeignKey(Country, on_delete=models.CASCADE, verbose_name="страна")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="unique_article_country")
        ]
        # Entity pages walk one entity's links newest article first, index only.
        indexes = [models.Index(fields=["entity", "article"], name="articlecountry_entity_article")]
        verbose_name = "связь со страной"
        verbose_name_plural = "связи со странами"


class ArticleCompany(ArticleLink):
    entity = models.ForeignKey(Company, on_delete=models.CASCADE, verbose_name="компания")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="unique_article_company")
        ]
        # Entity pages walk one entity's links newest article first, index only.
        indexes = [models.Index(fields=["entity", "article"], name="articlecompany_entity_article")]
        verbose_name = "связь с компанией"
        verbose_name_plural = "связи с компаниями"


class ArticleVehicleModel(ArticleLink):
    entity = models.ForeignKey(VehicleModel, on_delete=models.CASCADE, verbose_name="модель")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "entity"], name="unique_article_vehicle_model"
            )
        ]
        # Entity pages walk one entity's links newest article first, index only.
        indexes = [
            models.Index(fields=["entity", "article"], name="articlevehmodel_entity_article")
        ]
        verbose_name = "связь с моделью"
        verbose_name_plural = "связи с моделями"


class ArticleOfficial(ArticleLink):
    entity = models.ForeignKey(Official, on_delete=models.CASCADE, verbose_name="лицо")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="unique_article_official")
        ]
        # Entity pages walk one entity's links newest article first, index only.
        indexes = [
            models.Index(fields=["entity", "article"], name="articleofficial_entity_article")
        ]
        verbose_name = "связь с должностным лицом"
        verbose_name_plural = "связи с должностными лицами"


class RejectedLink(models.Model):
    """An editor removed this entity from this article: the linker must not add it back."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="rejected_links", verbose_name="статья"
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name="вид сущности"
    )
    object_id = models.PositiveBigIntegerField("ID сущности")
    entity = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField("когда отклонена", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "content_type", "object_id"], name="unique_rejected_link"
            )
        ]
        verbose_name = "отклонённая связь"
        verbose_name_plural = "отклонённые связи"

    def __str__(self):
        return f"{self.article} ✗ {self.entity}"
