"""Merge duplicate catalog entities into one, losing nothing.

Everything that pointed at a duplicate is moved to the survivor: article links
(an editor's link stays an editor's), editors' removals, foreign keys and
many-to-many rows of the catalog itself, accepted suggestions. The duplicate's
name and aliases become the survivor's aliases, and its old URL redirects to
the survivor's page.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from companies.kinds import kind_of
from companies.models import Entity
from portal.models import RetiredSlug
from portal.slugs import retire_slug

from .figures import figures_batch
from .models import EntitySuggestion, LinkOrigin, RejectedLink


@transaction.atomic
def merge_entities(*, survivor: Entity, duplicates: list[Entity]) -> None:
    # Each moved link touches its article's day: count the days once, at the end.
    with figures_batch():
        _merge(survivor, duplicates)


def _merge(survivor: Entity, duplicates: list[Entity]) -> None:
    for duplicate in duplicates:
        if type(duplicate) is not type(survivor):
            raise TypeError("only entities of the same kind can be merged")
        if duplicate.pk == survivor.pk:
            continue
        _move_article_links(survivor, duplicate)
        _move_rejections(survivor, duplicate)
        _move_catalog_references(survivor, duplicate)
        _move_generic_references(survivor, duplicate)
        survivor.aliases = _merged_aliases(survivor, duplicate)
        old_slug = duplicate.slug
        duplicate.delete()
        retire_slug(obj=survivor, old_slug=old_slug)
    survivor.save()


def _move_article_links(survivor: Entity, duplicate: Entity) -> None:
    links = kind_of(survivor).links
    existing = {link.article_id: link for link in links.objects.filter(entity=survivor)}
    for link in links.objects.filter(entity=duplicate):
        kept = existing.get(link.article_id)
        if kept is None:
            link.entity = survivor
            link.save(update_fields=["entity"])
            continue
        if link.origin == LinkOrigin.EDITOR and kept.origin != LinkOrigin.EDITOR:
            kept.origin = LinkOrigin.EDITOR
            kept.save(update_fields=["origin"])
        link.delete()


def _move_rejections(survivor: Entity, duplicate: Entity) -> None:
    content_type = ContentType.objects.get_for_model(survivor)
    links = kind_of(survivor).links
    linked = set(links.objects.filter(entity=survivor).values_list("article_id", flat=True))
    rejected = set(
        RejectedLink.objects.filter(content_type=content_type, object_id=survivor.pk).values_list(
            "article_id", flat=True
        )
    )
    for rejection in RejectedLink.objects.filter(content_type=content_type, object_id=duplicate.pk):
        # Where the survivor is linked, the link wins: merging must not lose links.
        if rejection.article_id in linked or rejection.article_id in rejected:
            rejection.delete()
        else:
            rejection.object_id = survivor.pk
            rejection.save(update_fields=["object_id"])


def _move_catalog_references(survivor: Entity, duplicate: Entity) -> None:
    """Foreign keys and many-to-many rows of the catalog that point at the duplicate."""
    for relation in duplicate._meta.related_objects:
        if relation.related_model._meta.app_label != duplicate._meta.app_label:
            continue  # article links are moved above, with their origin
        if relation.many_to_many:
            field = relation.field  # e.g. VehicleModel.plants, seen from Company
            through = relation.through
            own, other = field.m2m_reverse_field_name(), field.m2m_field_name()
            present = set(
                through.objects.filter(**{own: survivor}).values_list(f"{other}_id", flat=True)
            )
            for row in through.objects.filter(**{own: duplicate}):
                if getattr(row, f"{other}_id") in present:
                    row.delete()
                else:
                    setattr(row, own, survivor)
                    row.save()
        elif relation.one_to_many:
            pointing = relation.related_model._base_manager.filter(
                **{relation.field.name: duplicate}
            )
            # A company never becomes its own parent by absorbing its parent.
            pointing.exclude(pk=survivor.pk).update(**{relation.field.name: survivor})
            if getattr(survivor, relation.field.attname, None) == duplicate.pk:
                setattr(survivor, relation.field.attname, None)


def _move_generic_references(survivor: Entity, duplicate: Entity) -> None:
    content_type = ContentType.objects.get_for_model(survivor)
    EntitySuggestion.objects.filter(entity_type=content_type, entity_id=duplicate.pk).update(
        entity_id=survivor.pk
    )
    RetiredSlug.objects.filter(content_type=content_type, object_id=duplicate.pk).update(
        object_id=survivor.pk
    )


def _merged_aliases(survivor: Entity, duplicate: Entity) -> list[str]:
    names = [*survivor.aliases, duplicate.name, *duplicate.aliases]
    seen: dict[str, str] = {}
    for name in names:
        key = name.strip().casefold()
        if key and key != survivor.name.strip().casefold():
            seen.setdefault(key, name.strip())
    return list(seen.values())
