"""Articles, their links to tags, and which articles visitors see (``ArticleQuerySet``)."""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connections, models
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from companies.models import Company, Country, Official, VehicleModel
from portal.paths import slug_url

from ..images import presentation as image_presentation
from ..images.originals import LeadImageField
from ..images.validation import validate_image_upload
from .tags import ArticleTagsManager, Tag

SUBHEADING_PREFIX = "## "
# Which text a stored mention is in (``Article.mentions``): the headline, the
# lead, and the body's first block (the n-th block is MENTION_IN_BODY + n).
MENTION_IN_HEADLINE, MENTION_IN_LEAD, MENTION_IN_BODY = 0, 1, 2
# Django's own («Статья с таким Слаг уже существует») leaves the field's name in
# the nominative; ``model_name`` is the model's verbose name, capitalised.
UNIQUE_SLUG = "%(model_name)s с таким слагом уже существует."
# Attribution: a link to anything but a web page (javascript:, ftp:, file:) has no
# place on the article page.
SOURCE_URL_SCHEMES = ["http", "https"]
SOURCE_URL_INVALID = (
    "«Адрес источника»: укажите полный адрес страницы, начинающийся с http:// или https://."
)
SOURCE_NAME_MISSING = (
    "«Источник»: у адреса источника должно быть имя, которое увидят читатели "
    "(например, «Пресс-служба Министерства экономики»)."
)


class WebAddressField(models.URLField):
    """The address of a web page: http or https only, refused in words naming the field
    (in the admin's form and in ``full_clean`` alike, once)."""

    default_validators = [URLValidator(schemes=SOURCE_URL_SCHEMES, message=SOURCE_URL_INVALID)]

    def formfield(self, **kwargs):
        return super().formfield(
            **{
                "validators": [],  # the model field's own run after the form's
                "error_messages": {"invalid": SOURCE_URL_INVALID},
                "assume_scheme": "https",
                **kwargs,
            }
        )


@dataclass(frozen=True)
class Block:
    """One piece of an article body: a paragraph or a subheading."""

    kind: str  # "paragraph" or "subheading"
    text: str


class ArticleQuerySet(models.QuerySet):
    """The one place that says which articles visitors see (``published``)."""

    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self, *, after: dt.datetime | None = None):
        """Published articles whose time has not come (by ``after``, default now)."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__gt=after or timezone.now()
        )

    def drafts(self):
        return self.filter(status=Article.Status.DRAFT)

    def in_state(self, state: str):
        """Articles in ``state``, one of ``Article.State``, as readers would experience it."""
        return {
            Article.State.DRAFT: self.drafts,
            Article.State.SCHEDULED: self.scheduled,
            Article.State.PUBLISHED: self.published,
        }[Article.State(state)]()

    def published_sql(self, alias: str) -> tuple[str, dict[str, object]]:
        """``published()`` for the few raw queries: a condition on the article table
        aliased ``alias``, with named parameters, and their values."""
        now = connections[self.db].ops.adapt_datetimefield_value(timezone.now())
        condition = (
            f"{alias}.status = %(published_status)s AND {alias}.published_at <= %(published_now)s"
        )
        return condition, {"published_status": Article.Status.PUBLISHED, "published_now": now}

    def scheduled_sql(self, alias: str) -> tuple[str, dict[str, object]]:
        """``scheduled()`` for raw queries, with the same parameters as ``published_sql``."""
        _published, params = self.published_sql(alias)
        condition = (
            f"{alias}.status = %(published_status)s AND {alias}.published_at > %(published_now)s"
        )
        return condition, params

    def next_publication(self, *, after: dt.datetime) -> dt.datetime | None:
        """When the next scheduled article comes out, if one is waiting after ``after``."""
        upcoming = self.scheduled(after=after).order_by("published_at")
        return upcoming.values_list("published_at", flat=True).first()

    def for_listing(self):
        # Lists show headline, date and lead; the body can be long.
        return self.defer("body")

    def with_entities(self):
        return self.prefetch_related(
            "tags", "countries", "companies", "vehicle_models", "officials"
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        PUBLISHED = "published", "опубликовано"

    class State(models.TextChoices):
        """What readers experience: a published article with a future date is scheduled."""

        DRAFT = "draft", "черновик"
        SCHEDULED = "scheduled", "запланировано"
        PUBLISHED = "published", "опубликовано"

    title = models.CharField("заголовок", max_length=300)
    # Set by the seed loader when a document had no headline and one was made
    # from its opening sentence; an editor saving a headline of their own clears it.
    title_derived = models.BooleanField(
        "заголовок составлен из лида",
        default=False,
        editable=False,
        help_text="Заголовок составлен загрузчиком из первого предложения лида.",
    )
    slug = models.SlugField(
        "слаг",
        max_length=100,
        unique=True,
        help_text=(
            "Латиницей, часть адреса статьи. Оставьте пустым: слаг составится из заголовка. "
            "После публикации не меняйте."
        ),
        error_messages={"unique": UNIQUE_SLUG},
    )
    lead = models.TextField(
        "лид", help_text="Первый абзац: суть новости в одном-двух предложениях."
    )
    body = models.TextField(
        "текст",
        blank=True,
        help_text="Абзацы разделяются пустой строкой. Подзаголовок — строка, начинающаяся с «## ».",
    )
    published_at = models.DateTimeField(
        "дата публикации",
        default=timezone.now,
        db_index=True,
        help_text="Опубликованная статья с датой в будущем выйдет в это время сама.",
    )
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    source_key = models.CharField(
        "исходный файл",
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Имя файла затравки (без расширения), из которого загружена статья.",
        error_messages={"unique": "%(model_name)s из такого исходного файла уже есть."},
    )
    source_hash = models.CharField(
        "отпечаток исходного файла", max_length=64, blank=True, editable=False
    )
    # Fingerprint of the editorial fields right after the loader wrote them: when it
    # no longer matches, an editor has changed the article and re-imports leave it be.
    loaded_hash = models.CharField(
        "отпечаток после загрузки", max_length=64, blank=True, editable=False
    )
    # Whose publication the article is based on (an inbox item's source, a press
    # release): shown on the page as «Источник: …» and in JSON-LD and ninjs.
    source_name = models.CharField(
        "источник",
        max_length=200,
        blank=True,
        help_text=(
            "Кто опубликовал материал, на котором основана статья: издание, ведомство, "
            "пресс-служба."
        ),
    )
    source_url = WebAddressField(
        "адрес источника",
        max_length=2000,
        blank=True,
        help_text=(
            "Адрес публикации источника (http:// или https://). Без него источник "
            "показывается без ссылки."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="автор",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    # Stored without metadata, under a random name with its real format's
    # extension (articles/images/originals.py).
    image = LeadImageField(
        "главное изображение",
        upload_to="articles/%Y/%m/",
        blank=True,
        validators=[validate_image_upload],
        help_text=(
            "JPEG, PNG или WebP, не больше 10 МБ; от 600 пикселей в ширину и 300 в высоту, "
            "не больше 8000 по стороне."
        ),
    )
    image_alt = models.CharField(
        "описание изображения (alt)",
        max_length=300,
        blank=True,
        help_text="Что изображено, для тех, кто не видит картинку. Обязательно при изображении.",
    )
    image_caption = models.CharField("подпись", max_length=300, blank=True)
    image_credit = models.CharField("автор снимка", max_length=200, blank=True)
    # Responsive renditions made once on upload (see articles/images/).
    image_renditions = models.JSONField(
        "размеры изображения", default=dict, blank=True, editable=False
    )
    # Bumped on every save from the admin: a form carrying an older number was
    # opened before someone else's save and must not overwrite it.
    version = models.PositiveIntegerField("версия", default=1, editable=False)
    # Where the linker found entities: [text, start, end, "app.model", pk] per
    # mention, ``text`` counting ``mention_texts()`` (the headline, the lead, then
    # the body's blocks), and the fingerprint of the texts they were found in
    # (``text_hash()``): a stale list is ignored, never misapplied. Empty until
    # the linker has read the article.
    mentions = models.JSONField("упоминания", default=list, blank=True, editable=False)
    mentions_hash = models.CharField(
        "отпечаток текста упоминаний", max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    tags = TaggableManager("теги", through="TaggedArticle", blank=True, manager=ArticleTagsManager)
    countries = models.ManyToManyField(
        Country,
        through="ArticleCountry",
        related_name="articles",
        blank=True,
        verbose_name="страны",
    )
    companies = models.ManyToManyField(
        Company,
        through="ArticleCompany",
        related_name="articles",
        blank=True,
        verbose_name="компании",
    )
    vehicle_models = models.ManyToManyField(
        VehicleModel,
        through="ArticleVehicleModel",
        related_name="articles",
        blank=True,
        verbose_name="модели техники",
    )
    officials = models.ManyToManyField(
        Official,
        through="ArticleOfficial",
        related_name="articles",
        blank=True,
        verbose_name="должностные лица",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = "статья"
        verbose_name_plural = "статьи"
        indexes = [
            # Published lists, newest first, in the order of ``ordering``; it also
            # covers the ids of a date range (the home page's window) without the table.
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_status_published_id"
            )
        ]
        permissions = [("publish_article", "Может публиковать и снимать с публикации")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    def get_ninjs_url(self):
        return slug_url("articles:ninjs", self.slug)

    def clean(self):
        super().clean()
        # A bare link tells readers nothing about whose work they are reading.
        if self.source_url.strip() and not self.source_name.strip():
            raise ValidationError({"source_name": SOURCE_NAME_MISSING})

    @property
    def last_modified(self) -> dt.datetime:
        """When the public version last changed.

        A scheduled article is saved before it goes out, so its public version
        dates from publication: ``updated_at`` alone would come too early.
        """
        return max(self.updated_at, self.published_at)

    @property
    def state(self) -> "Article.State":
        """Draft, scheduled or published, as readers would experience it."""
        if self.status == self.Status.DRAFT:
            return self.State.DRAFT
        return self.State.PUBLISHED if self.is_public else self.State.SCHEDULED

    @property
    def lead_image(self) -> image_presentation.LeadImage | None:
        """The lead image ready for templates, or None (see ``articles/images/presentation.py``)."""
        return image_presentation.lead_image(self)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def blocks(self) -> list[Block]:
        """The body as paragraphs and subheadings, in order."""
        result = []
        for chunk in self.body.split("\n\n"):
            chunk = chunk.strip()
            if not chunk:
                continue
            if chunk.startswith(SUBHEADING_PREFIX):
                result.append(Block("subheading", chunk[len(SUBHEADING_PREFIX) :].strip()))
            else:
                result.append(Block("paragraph", " ".join(chunk.split())))
        return result

    def mention_texts(self) -> list[str]:
        """The texts ``mentions`` count positions in: the headline, the lead, the body's blocks."""
        return [self.title, self.lead, *(block.text for block in self.blocks())]

    def text_hash(self) -> str:
        """Fingerprint of the headline, lead and body, kept with the mention positions."""
        return hashlib.sha256("\x1f".join([self.title, self.lead, self.body]).encode()).hexdigest()

    @property
    def mentions_fresh(self) -> bool:
        """Whether ``mentions`` were found in the text as it is now."""
        return bool(self.mentions_hash) and self.mentions_hash == self.text_hash()

    def editorial_hash(self) -> str:
        """Fingerprint of what an editor may change (compared with ``loaded_hash``)."""
        published = self.published_at.astimezone(dt.UTC).isoformat() if self.published_at else ""
        parts = [self.title, self.lead, self.body, self.status, published]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def edited_since_load(self) -> bool:
        return bool(self.loaded_hash) and self.loaded_hash != self.editorial_hash()


class TaggedArticle(TaggedItemBase):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE, verbose_name="статья")
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles", verbose_name="тег"
    )

    class Meta:
        verbose_name = "тег статьи"
        verbose_name_plural = "теги статей"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag")
        ]
        # Tag pages and counts per tag walk one tag's links, index only.
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedarticle_tag_article")]
