"""Existing tags made right: names that differ only in letter case (or «ё»/«е», or
spacing) merged into one tag, their articles moved to it without losing any; and
every slug the public addresses cannot serve (Cyrillic, from the admin's browser
prefill) replaced by a transliterated Latin one.

Self-contained on purpose: the folding and the transliteration are copied here
(``articles.models.tags.tag_key``, ``portal.slugs.make_slug``), so later changes
to the app cannot change what this migration did.

Tags have no retired-slug redirects (the tag page does not read ``RetiredSlug``),
and a Cyrillic slug never answered anyway, so no old slug is recorded.
"""

import re
from collections import defaultdict

from django.db import migrations
from django.db.models import Count
from slugify import slugify

ROUTABLE_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def fold(name: str) -> str:
    return " ".join(name.split()).casefold().replace("ё", "е")


def make_slug(text: str) -> str:
    return slugify(text, max_length=80, word_boundary=True, save_order=True)


def merge_into(survivor, duplicates, TaggedArticle, db) -> None:
    """Every article carrying a duplicate carries ``survivor`` instead."""
    for duplicate in duplicates:
        carried = TaggedArticle.objects.using(db).filter(tag=survivor)
        links = TaggedArticle.objects.using(db).filter(tag=duplicate)
        # An article carrying both keeps its link to the survivor only.
        links.filter(content_object_id__in=carried.values("content_object_id")).delete()
        links.update(tag=survivor)
        duplicate.delete()


def merge_case_duplicates(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    db = schema_editor.connection.alias
    groups = defaultdict(list)
    for tag in Tag.objects.using(db).annotate(uses=Count("tagged_articles")).order_by("pk"):
        groups[fold(tag.name)].append(tag)
    for key, tags in groups.items():
        # The most used spelling stays; between equals, the oldest.
        survivor = max(tags, key=lambda tag: (tag.uses, -tag.pk))
        merge_into(survivor, [tag for tag in tags if tag.pk != survivor.pk], TaggedArticle, db)
        survivor.name_key = key
        survivor.save(update_fields=["name_key"])


def latin_slugs(apps, schema_editor):
    Tag = apps.get_model("articles", "Tag")
    db = schema_editor.connection.alias
    taken = set(Tag.objects.using(db).values_list("slug", flat=True))
    for tag in Tag.objects.using(db).order_by("pk"):
        if ROUTABLE_SLUG.fullmatch(tag.slug or ""):
            continue
        base = make_slug(tag.name) or "tag"
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        tag.slug = slug
        tag.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_tag_key"),
    ]

    operations = [
        migrations.RunPython(merge_case_duplicates, migrations.RunPython.noop),
        migrations.RunPython(latin_slugs, migrations.RunPython.noop),
    ]
