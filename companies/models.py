"""The industry directory: countries, companies, vehicle models and officials.

Every entity has a unique Latin slug (its natural key, so fixtures load into
any database) and a list of aliases the linker also looks for in articles.
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from portal.paths import slug_url
from portal.slugs import unique_slug


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Store Cyrillic as is, not as \\u escapes, so the admin's text search finds aliases."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Entity(models.Model):
    """Fields and behaviour shared by every catalog entity."""

    name = models.CharField("название", max_length=200)
    slug = models.SlugField(
        "слаг",
        max_length=100,
        unique=True,
        blank=True,
        help_text=(
            "Латиницей, часть адреса страницы. Оставьте пустым: слаг составится из названия. "
            "Не меняйте у опубликованных сущностей."
        ),
        # Django's own («Компания с таким Слаг уже существует») leaves the field's
        # name in the nominative; ``model_name`` is the model's verbose name.
        error_messages={"unique": "%(model_name)s с таким слагом уже существует."},
    )
    aliases = models.JSONField(
        "другие названия",
        default=list,
        encoder=UnicodeJSONEncoder,
        blank=True,
        help_text=(
            "Другие названия и написания, по которым сущность находится в тексте: "
            "«Киргизия», «КР», «Tulpar Motors». Склонять не нужно. "
            "Слова через «…» могут стоять в тексте не подряд (до пяти слов между ними)."
        ),
    )

    objects = SlugManager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            others = type(self)._default_manager.exclude(pk=self.pk)
            self.slug = unique_slug(self.name, queryset=others, fallback=self._meta.model_name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url(f"companies:{self.url_name}", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def kind_label(self) -> str:
        """What the entity is, for page headers: «компания», «страна»."""
        return str(self._meta.verbose_name)

    @property
    def names(self) -> list[str]:
        """The name first, then every alias, without duplicates or blanks."""
        seen: dict[str, None] = {}
        for value in [self.name, *self.aliases]:
            value = value.strip()
            if value:
                seen.setdefault(value, None)
        return list(seen)


class Country(Entity):
    iso_code = models.CharField(
        "код ISO 3166",
        max_length=2,
        unique=True,
        null=True,
        blank=True,
        help_text="Двухбуквенный код ISO 3166-1: KG, KZ, UZ, RU.",
        error_messages={"unique": "%(model_name)s с таким кодом ISO 3166 уже существует."},
    )

    url_name = "country"

    class Meta(Entity.Meta):
        verbose_name = "страна"
        verbose_name_plural = "страны"


class CompanyQuerySet(models.QuerySet):
    def brands(self):
        """Companies whose name stands before a model's: «Chevrolet» in «Chevrolet Onix»."""
        return self.filter(kind__in=Company.BRAND_KINDS)


class Company(Entity):
    class Kind(models.TextChoices):
        MANUFACTURER = "manufacturer", "производитель"
        BRAND = "brand", "марка"
        ASSEMBLY_PLANT = "assembly_plant", "сборочный завод"
        GOVERNMENT_BODY = "government_body", "государственный орган"
        OTHER = "other", "другое"

    # The kinds of company that vehicle models are named after.
    BRAND_KINDS = (Kind.BRAND, Kind.MANUFACTURER)

    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    country = models.ForeignKey(
        Country,
        verbose_name="страна",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="companies",
    )
    description = models.TextField(
        "описание", blank=True, help_text="Только факты, подтверждённые публикациями."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="материнская компания",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
    )

    objects = SlugManager.from_queryset(CompanyQuerySet)()

    url_name = "company"

    class Meta(Entity.Meta):
        verbose_name = "компания"
        verbose_name_plural = "компании"


class VehicleModel(Entity):
    class Category(models.TextChoices):
        PASSENGER_CAR = "passenger_car", "легковой автомобиль"
        CROSSOVER = "crossover", "кроссовер"
        SUV = "suv", "внедорожник"
        PICKUP = "pickup", "пикап"
        VAN = "van", "фургон"
        TRUCK = "truck", "грузовик"
        BUS = "bus", "автобус"
        SPECIAL = "special", "спецтехника"

    brand = models.ForeignKey(
        Company,
        verbose_name="марка",
        on_delete=models.PROTECT,
        related_name="brand_models",
    )
    category = models.CharField("класс", max_length=20, choices=Category.choices, blank=True)
    plants = models.ManyToManyField(
        Company,
        verbose_name="собирается на заводах",
        blank=True,
        related_name="assembled_models",
        help_text="Заводы, на которых собирают модель.",
    )

    url_name = "vehicle_model"

    class Meta(Entity.Meta):
        verbose_name = "модель техники"
        verbose_name_plural = "модели техники"

    @property
    def short_name(self) -> str:
        """The name without its brand: «Chevrolet Onix» → «Onix» (empty if none)."""
        prefix = f"{self.brand.name} "
        if self.name.startswith(prefix) and len(self.name) > len(prefix):
            return self.name[len(prefix) :]
        return ""


class Official(Entity):
    position = models.CharField("должность", max_length=300, blank=True)
    organization = models.ForeignKey(
        Company,
        verbose_name="ведомство",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
        limit_choices_to={"kind": Company.Kind.GOVERNMENT_BODY},
    )
    country = models.ForeignKey(
        Country,
        verbose_name="страна",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
    )

    url_name = "official"

    class Meta(Entity.Meta):
        verbose_name = "должностное лицо"
        verbose_name_plural = "должностные лица"

    @property
    def surname(self) -> str:
        """The last word of a «Имя Фамилия» name, used as its short form."""
        parts = self.name.split()
        return parts[-1] if len(parts) > 1 else ""


class DailyMentions(models.Model):
    """How many published articles mention one entity on one day (site time zone).

    Kept as data so that hub pages read a few hundred small rows instead of
    counting tens of thousands of links per request. ``kind`` is the entity's
    ``EntityKind.name`` (``company``…), ``entity_id`` its primary key. The rows
    count articles whose status is published, scheduled ones included: a reader
    takes off the ones not out yet (a handful, later today). The articles app
    keeps them up to date on every write (``articles/figures/``); ``manage.py
    refresh_figures`` rebuilds them from the links.
    """

    kind = models.CharField("вид сущности", max_length=20)
    entity_id = models.PositiveBigIntegerField("ID сущности")
    day = models.DateField("день")
    count = models.PositiveIntegerField("публикаций")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "entity_id", "day"], name="unique_daily_mentions"
            )
        ]
        # The home page's busiest entities read one window of days for a kind.
        indexes = [models.Index(fields=["kind", "day"], name="dailymentions_kind_day")]
        verbose_name = "упоминания за день"
        verbose_name_plural = "упоминания по дням"

    def __str__(self):
        return f"{self.kind} {self.entity_id} {self.day}: {self.count}"


class MentionTotals(models.Model):
    """How many articles whose status is published mention one entity: the sum
    of its ``DailyMentions``, kept beside them for the lists ranked by mentions.
    Scheduled articles are in it too; readers take them off."""

    kind = models.CharField("вид сущности", max_length=20)
    entity_id = models.PositiveBigIntegerField("ID сущности")
    count = models.PositiveIntegerField("публикаций")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "entity_id"], name="unique_mention_totals")
        ]
        verbose_name = "итог упоминаний"
        verbose_name_plural = "итоги упоминаний"

    def __str__(self):
        return f"{self.kind} {self.entity_id}: {self.count}"
