"""A draft article made by code (the inbox's «make a draft»), as the admin would save it.

``make_draft`` is the one call for it: the text normalised as every text entering
the portal, a unique slug from the headline, validated like the admin's form
(attribution included), saved as a draft, tagged, then linked by the same linker
in the same order as an editor's save in the admin (``ArticleAdmin.save_related``:
tags first, then ``link_entities``); with an author, its history starts with
the addition, as in the admin. Nothing here publishes: an editor does.
"""

from collections.abc import Iterable

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .linking import link_entities
from .models import Article
from .publishing import unique_article_slug
from .text.normalise import normalise_text

# Another draft may take the same slug between choosing it and saving: choose again.
SLUG_ATTEMPTS = 3


def make_draft(
    *,
    title: str,
    lead: str,
    body: str,
    tags: Iterable[str],
    source_name: str,
    source_url: str,
    author: AbstractBaseUser | None = None,
) -> Article:
    """Save a draft article with tags, entity links and attribution; return it.

    Raises ``django.core.exceptions.ValidationError`` (``message_dict`` by field:
    a missing headline or lead, a headline too long, a source address that is
    not http(s), an address without the source's name) and writes nothing then.
    """
    article = Article(
        title=normalise_text(title, single_line=True),
        lead=normalise_text(lead),
        body=normalise_text(body),
        status=Article.Status.DRAFT,
        source_name=normalise_text(source_name, single_line=True),
        source_url=source_url.strip(),
        author=author,
    )
    with transaction.atomic():
        _save_with_unique_slug(article)
        names = _tag_names(tags)
        if names:
            article.tags.add(*names)
        # After the tags, as in the admin; the draft's links are the linker's own.
        link_entities(article=article)
        if author is not None:
            _record_addition(article=article, user=author)
    return article


def _record_addition(*, article: Article, user: AbstractBaseUser) -> None:
    """The article's history starts as an admin-made one does: added, by whom, when;
    and from which source."""
    message = f"Черновик по материалу: {article.source_name}." if article.source_name else ""
    LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(Article),
        object_id=str(article.pk),
        object_repr=str(article)[:200],
        action_flag=ADDITION,
        change_message=message or "Черновик создан.",
    )


def _save_with_unique_slug(article: Article) -> None:
    for attempt in range(SLUG_ATTEMPTS):
        article.slug = unique_article_slug(article.title)
        article.full_clean()
        try:
            with transaction.atomic():
                article.save()
            return
        except IntegrityError:
            if attempt == SLUG_ATTEMPTS - 1 or not _slug_taken(article.slug):
                raise


def _slug_taken(slug: str) -> bool:
    return Article.objects.filter(slug=slug).exists()


def _tag_names(tags: Iterable[str]) -> list[str]:
    """The tags as written, spaces made single, empty ones left out, each once."""
    names: dict[str, None] = {}
    for tag in tags:
        name = " ".join(str(tag).split())
        if name:
            names.setdefault(name, None)
    return list(names)
