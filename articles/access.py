"""Who may see, change and publish which article: the newsroom's rules, in one place.

- Visitors (and anyone outside the newsroom) see published articles only
  (``ArticleQuerySet.published``).
- Those who may publish (the editor's ``articles.publish_article``, superusers)
  see and change every article, whoever wrote it and whatever its state.
- An author (staff who may view or change articles, without publishing) sees
  the published articles and their own, whatever state those are in; they
  change only their own drafts. Another author's draft or scheduled article is
  invisible to them: not on the site, not in the admin's lists, not behind the
  «view on site» redirect, not among an entity's mentioning articles.

The public article page, the admin (its form, lists, actions, the mentions
panel, the catalog's «mentioned in articles») and the «view on site» redirect
ask these functions; none of them spells a rule out again. Tags follow the
same line: a tag has public pages only while a published article carries it
(``public_tags``).
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Article, ArticleQuerySet, DailyTagUses, Tag

PUBLISH_PERMISSION = "articles.publish_article"
CHANGE_PERMISSION = "articles.change_article"
VIEW_PERMISSION = "articles.view_article"


def in_newsroom(user) -> bool:
    """Signed in to the admin as active staff: the only people who see beyond the public site."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_publish(user) -> bool:
    """Publishers (editors, superusers): every article, any state, anyone's."""
    return in_newsroom(user) and user.has_perm(PUBLISH_PERMISSION)


def _works_on_articles(user) -> bool:
    return in_newsroom(user) and (
        user.has_perm(VIEW_PERMISSION) or user.has_perm(CHANGE_PERMISSION)
    )


def _all(articles: ArticleQuerySet | None) -> ArticleQuerySet:
    return Article.objects.all() if articles is None else articles


def previewable_by(user, *, articles: ArticleQuerySet | None = None) -> ArticleQuerySet:
    """The articles (of ``articles``, default all) ``user`` may open: on the site, in the admin."""
    articles = _all(articles)
    if can_publish(user):
        return articles
    if not _works_on_articles(user):
        return articles.published()
    # ``published()`` stays the one spelling of "published": as a subquery of ids.
    published = Article.objects.published().values("pk")
    return articles.filter(Q(pk__in=published) | Q(author=user.pk))


def editable_by(user, *, articles: ArticleQuerySet | None = None) -> ArticleQuerySet:
    """The articles (of ``articles``, default all) ``user`` may change, tag, relink or delete."""
    articles = _all(articles)
    if can_publish(user):
        return articles
    if not (in_newsroom(user) and user.has_perm(CHANGE_PERMISSION)):
        return articles.none()
    return articles.drafts().filter(author=user.pk)


def can_preview(user, article: Article) -> bool:
    if article.is_public or can_publish(user):
        return True
    return _works_on_articles(user) and _is_authors(user, article)


def can_edit(user, article: Article) -> bool:
    if can_publish(user):
        return True
    return (
        in_newsroom(user)
        and user.has_perm(CHANGE_PERMISSION)
        and _is_authors(user, article)
        and article.status == Article.Status.DRAFT
    )


def _is_authors(user, article: Article) -> bool:
    return article.author_id is not None and article.author_id == user.pk


def public_tags():
    """Tags that have public pages and feeds: those a published article carries.

    A tag only drafts or scheduled articles use would otherwise be a public page
    under any name an author chose, before any editor has seen it.
    """
    # From the stored uses per day (``articles.figures``): a row of a day before
    # today counts published articles that are out, so one index probe answers
    # for any tag used before today; today's published articles are a few.
    # Asking the links instead reads every link of a common tag.
    today = timezone.localdate()
    earlier = DailyTagUses.objects.filter(tag=OuterRef("pk"), day__lt=today)
    today_start = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_current_timezone())
    today_out = Article.objects.published().filter(
        published_at__gte=today_start, tags=OuterRef("pk")
    )
    return Tag.objects.filter(Exists(earlier) | Exists(today_out))
