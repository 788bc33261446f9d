"""Tags: one tag per name whatever its letter case, each with a transliterated Latin slug.

«Выставки и салоны» and «выставки и салоны» are one tag. The database cannot say
so by itself: SQLite's ``lower()`` and ``LIKE`` fold ASCII letters only. So every
tag stores its name folded in Python (``name_key``, unique), and every route that
finds or makes a tag by name (the admin, the add-tag action, taggit's
``article.tags.add("…")``, the loader) compares that key, on either database.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, router, transaction
from taggit.managers import _TaggableManager
from taggit.models import NaturalKeyManager, TagBase

from portal.paths import slug_url
from portal.slugs import make_slug, unique_slug

# What the public addresses accept (Django's ``slug`` converter): a slug outside
# it can never be requested, so its pages would answer 404.
ROUTABLE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_HELP = (
    "Латиницей, часть адреса страницы тега. Оставьте пустым: слаг составится из названия "
    "(«Выставки и салоны» → vystavki-i-salony)."
)


def tag_key(name: str) -> str:
    """What makes two names one tag: letter case, «ё»/«е» and spacing aside."""
    return " ".join(name.split()).casefold().replace("ё", "е")


class TagQuerySet(models.QuerySet):
    def named(self, name: str):
        """The tag called ``name`` in any letter case (at most one)."""
        return self.filter(name_key=tag_key(name))

    def matching(self, term: str):
        """Tags whose name (in any case) or slug holds every word of ``term``: the
        admin's search and autocomplete, the same on SQLite and PostgreSQL."""
        result = self
        for word in tag_key(term).split():
            in_name_or_slug = models.Q(name_key__contains=word) | models.Q(slug__contains=word)
            result = result.filter(in_name_or_slug)
        return result


class TagManager(NaturalKeyManager.from_queryset(TagQuerySet)):
    def for_name(self, name: str) -> "Tag":
        """The tag called ``name`` in any letter case; made as written if there is none yet."""
        tag = self.named(name).first()
        if tag is not None:
            return tag
        try:
            with transaction.atomic(using=self.db):
                return self.create(name=name)
        except IntegrityError:
            # Made by someone else between the two queries.
            tag = self.named(name).first()
            if tag is None:
                raise
            return tag


class Tag(TagBase):
    """A topic tag with a transliterated slug: «Грузовики» → ``gruzoviki``."""

    # Casefolding may lengthen a name («ß» → «ss»), hence more room than the name's 100.
    name_key = models.CharField("ключ названия", max_length=300, unique=True, editable=False)
    slug = models.SlugField("слаг", max_length=100, unique=True, blank=True, help_text=SLUG_HELP)

    objects = TagManager()

    class Meta:
        verbose_name = "тег"
        verbose_name_plural = "теги"

    def get_absolute_url(self):
        return slug_url("articles:tag", self.slug)

    def clean(self):
        super().clean()
        same = Tag.objects.named(self.name or "").exclude(pk=self.pk).first()
        if same is not None:
            raise ValidationError(
                {"name": f"Такой тег уже есть: «{same.name}» (регистр букв не важен)."},
                code="unique",
            )

    def save(self, *args, **kwargs):
        # Here rather than in a form: tags are made by the admin, the add-tag
        # action, taggit's manager, the loader and ``Tag.objects.create`` alike.
        self.name_key = tag_key(self.name)
        if not ROUTABLE_SLUG.fullmatch(self.slug or ""):
            others = Tag.objects.using(kwargs.get("using") or router.db_for_write(Tag))
            self.slug = unique_slug(self.name, queryset=others.exclude(pk=self.pk), fallback="tag")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key", "slug"}
        super().save(*args, **kwargs)

    def slugify(self, tag, i=None):
        slug = make_slug(tag) or "tag"
        return f"{slug}-{i + 1}" if i is not None else slug


class ArticleTagsManager(_TaggableManager):
    """taggit's ``article.tags``, finding a tag named in any letter case
    (``Tag.objects.for_name``) instead of making a second one.

    taggit's own case-insensitive lookup is ``name__iexact``, which SQLite
    answers for ASCII letters only.
    """

    def _to_tag_model_instances(self, tags, tag_kwargs):
        db = router.db_for_write(self.through, instance=self.instance)
        manager = Tag.objects.db_manager(db)
        tags = [manager.for_name(tag) if isinstance(tag, str) else tag for tag in tags]
        return super()._to_tag_model_instances(tags, tag_kwargs)
