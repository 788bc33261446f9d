"""The ORM writes that change the figures, whoever makes them (admin, shell,
fixtures, merges): the days they touch are counted again (``pending``).

Derived data, like the page cache's version (``portal/cache.py``): only the
ORM's signals see every write, so these are signals, not business logic. Bulk
writes that send none (``insert_rows``, ``bulk_create``, ``QuerySet.update``)
call ``note_articles`` / ``note_days`` themselves.
"""

import threading

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from companies.kinds import KINDS
from companies.models import DailyMentions, MentionTotals

from ..models import Article, Tag, TaggedArticle
from .counting import local_day
from .pending import note_articles, note_days

# Objects being deleted: the cascade deletes their links one by one, and each
# link's own hook would recount a day the whole delete accounts for at once.
_deleting = threading.local()


def _marks() -> set:
    if not hasattr(_deleting, "marks"):
        _deleting.marks = set()
    return _deleting.marks


def _published_day(status: str, published_at):
    return local_day(published_at) if status == Article.Status.PUBLISHED else None


def _article_before(sender, instance, raw=False, using=None, **kwargs):
    instance._figures_before = None
    if instance.pk is not None and not instance._state.adding:
        stored = Article.objects.using(using).filter(pk=instance.pk)
        instance._figures_before = stored.values_list("status", "published_at").first()


def _article_saved(sender, instance, created, raw=False, using=None, **kwargs):
    if raw:
        return  # loaddata (a restore) writes the stored figures beside the articles
    before = getattr(instance, "_figures_before", None)
    if created or before is None:
        return  # a new article has no links yet; its links bring its day in
    old_day = _published_day(*before)
    new_day = _published_day(instance.status, instance.published_at)
    if before != (instance.status, instance.published_at) and (old_day or new_day):
        note_days(days={day for day in (old_day, new_day) if day}, using=using)


def _deleting_object(sender, instance, **kwargs):
    _marks().add((sender, instance.pk))


def _deleting_article(sender, instance, using=None, **kwargs):
    _marks().add((sender, instance.pk))
    if {"status", "published_at"} & instance.get_deferred_fields():
        # Read while the row is still there: after the delete it cannot be.
        stored = Article.objects.using(using).filter(pk=instance.pk)
        instance._figures_before = stored.values_list("status", "published_at").first()
    else:
        instance._figures_before = (instance.status, instance.published_at)


def _article_deleted(sender, instance, using=None, **kwargs):
    _marks().discard((sender, instance.pk))
    before = getattr(instance, "_figures_before", None)
    day = _published_day(*before) if before else None
    if day:
        note_days(days={day}, using=using)


def _entity_deleted(sender, instance, using=None, **kwargs):
    _marks().discard((sender, instance.pk))
    for model in (DailyMentions, MentionTotals):
        rows = model.objects.using(using)
        rows.filter(kind=sender._meta.model_name, entity_id=instance.pk).delete()


def _tag_deleted(sender, instance, **kwargs):
    _marks().discard((sender, instance.pk))  # its rows go by the foreign key's cascade


def _link_written(sender, instance, raw=False, using=None, **kwargs):
    if raw:
        return  # loaddata (a restore) writes the stored figures beside the links
    subject_model, subject_id, article_id = _link_parts(sender, instance)
    marks = _marks()
    if (Article, article_id) in marks or (subject_model, subject_id) in marks:
        return
    note_articles(article_ids=[article_id], using=using)


def _link_parts(sender, link):
    if sender is TaggedArticle:
        return Tag, link.tag_id, link.content_object_id
    return sender._meta.get_field("entity").related_model, link.entity_id, link.article_id


def _links_changed(sender, instance, action, reverse, model, pk_set, using=None, **kwargs):
    if action == "pre_clear":
        # What a clear removes is gone by post_clear: remember whose links they were.
        instance._figures_cleared = _article_ids(sender, instance, reverse, None)
    elif action == "post_clear":
        note_articles(article_ids=getattr(instance, "_figures_cleared", []), using=using)
    elif action in ("post_add", "post_remove"):
        note_articles(article_ids=_article_ids(sender, instance, reverse, pk_set), using=using)


def _article_ids(sender, instance, reverse, pk_set) -> list[int]:
    if isinstance(instance, Article):
        return [instance.pk]
    if pk_set is not None:
        return list(pk_set)
    subject = "tag" if sender is TaggedArticle else "entity"
    article = "content_object_id" if sender is TaggedArticle else "article_id"
    rows = sender._base_manager.filter(**{subject: instance})
    return list(rows.values_list(article, flat=True))


def connect() -> None:
    """Connect the hooks (from ``ArticlesConfig.ready``)."""
    pre_save.connect(_article_before, sender=Article, dispatch_uid="figures-article")
    post_save.connect(_article_saved, sender=Article, dispatch_uid="figures-article")
    pre_delete.connect(_deleting_article, sender=Article, dispatch_uid="figures-article")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="figures-article")
    pre_delete.connect(_deleting_object, sender=Tag, dispatch_uid="figures-tag")
    post_delete.connect(_tag_deleted, sender=Tag, dispatch_uid="figures-tag")
    for kind in KINDS:
        uid = f"figures-{kind.name}"
        pre_delete.connect(_deleting_object, sender=kind.model, dispatch_uid=uid)
        post_delete.connect(_entity_deleted, sender=kind.model, dispatch_uid=uid)
    for links in (*(kind.links for kind in KINDS), TaggedArticle):
        uid = f"figures-{links._meta.label}"
        post_save.connect(_link_written, sender=links, dispatch_uid=uid)
        post_delete.connect(_link_written, sender=links, dispatch_uid=uid)
        m2m_changed.connect(_links_changed, sender=links, dispatch_uid=uid)
