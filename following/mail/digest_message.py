"""Alerts and digests: the subject, plain text and HTML of a delivery record.

``render(delivery)`` for one; ``render_many(deliveries)`` for a batch, which
loads the articles, the reader's follows and their names once for all of them
(``digests/summaries.py``) and then renders without a query per message.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.template.loader import get_template
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from portal.cache import content_version_or_none
from portal.lifetimes import VersionedValue
from portal.templating import plural_ru

from ..digests.grouping import group_articles, in_listing_order
from ..digests.periods import covered_days, zone_named
from ..digests.summaries import ArticleSummary, Summaries
from ..models import Delivery, Subscription, TargetKind
from .links import absolute, manage_url, unsubscribe_url

NEWS = "новость,новости,новостей"
# What the reader chose, as the end of «… приходят …».
HOW_OFTEN = {
    Delivery.Kind.INSTANT: "сразу после публикации",
    Delivery.Kind.DAILY: "раз в день",
    Delivery.Kind.WEEKLY: "раз в неделю",
}
OTHER_GROUP = "Ещё по вашим подпискам"


# For ``render``, one message at a time (``compose``): the articles and their blocks
# loaded once per content version and process, so an edited headline is sent as edited.
recent = VersionedValue(Summaries, version=content_version_or_none)


def render(delivery: Delivery) -> tuple[str, str, str]:
    return render_many([delivery], summaries=recent.get())[0]


def render_many(
    deliveries: list[Delivery], *, summaries: Summaries | None = None
) -> list[tuple[str, str, str]]:
    """(subject, text, html) of each delivery; ``summaries`` may be shared between batches."""
    summaries = summaries if summaries is not None else Summaries()
    followed = _followed(deliveries)
    summaries.load(
        article_ids={pk for delivery in deliveries for pk in delivery.article_ids},
        targets={target for targets in followed.values() for target in targets},
    )
    text, html = (
        get_template("following/mail/digest.txt"),
        get_template("following/mail/digest.html"),
    )
    rendered = []
    with translation.override(settings.LANGUAGE_CODE):
        for delivery in deliveries:
            targets = followed.get((delivery.reader_id, delivery.kind), [])
            context = _context(delivery, targets, summaries)
            rendered.append((context["subject"], text.render(context), html.render(context)))
    return rendered


def _followed(deliveries: list[Delivery]) -> dict[tuple[int, str], list]:
    """{(reader id, frequency): followed targets} of the deliveries' readers."""
    followed: dict[tuple[int, str], list] = defaultdict(list)
    readers = sorted({delivery.reader_id for delivery in deliveries})
    rows = Subscription.objects.active().filter(reader_id__in=readers)
    for reader_id, frequency, kind, target_id in rows.values_list(
        "reader_id", "frequency", "target_kind", "target_id"
    ):
        followed[(reader_id, frequency)].append((kind, target_id))
    return followed


def _context(delivery: Delivery, targets: list, summaries: Summaries) -> dict:
    reader = delivery.reader
    zone = _zone(reader.time_zone)
    articles = [summaries.articles[pk] for pk in delivery.article_ids if pk in summaries.articles]
    followed = in_listing_order(targets, summaries.names)
    groups = [
        {
            "heading": summaries.names.get(group.target, "") if group.target else OTHER_GROUP,
            "label": TargetKind(group.target[0]).label if group.target else "",
            "articles": [_block(article, zone, delivery, summaries) for article in group.articles],
        }
        for group in group_articles(articles, followed)
    ]
    return {
        "subject": _subject(delivery, articles),
        "instant": delivery.kind == Delivery.Kind.INSTANT,
        "groups": groups,
        "count": plural_ru(len(articles), NEWS),
        "followed": ", ".join(summaries.names.get(t, "") for t in followed if t in summaries.names),
        "how_often": HOW_OFTEN.get(delivery.kind, ""),
        "manage_url": manage_url(reader),
        "unsubscribe_url": unsubscribe_url(reader),
        "site_url": absolute("/"),
    }


def _block(article: ArticleSummary, zone, delivery: Delivery, summaries: Summaries) -> dict:
    """The article as every reader in ``zone`` sees it, rendered once for them all."""
    instant = delivery.kind == Delivery.Kind.INSTANT
    key = (article.id, str(zone), instant)
    if key not in summaries.blocks:
        context = {
            "title": article.title,
            "url": absolute(article.path),
            "date": date_format(article.published_at.astimezone(zone), "j E Y, H:i"),
            "lead": article.lead,
            "entities": ", ".join(article.entity_names),
            "instant": instant,
        }
        summaries.blocks[key] = (
            get_template("following/mail/digest_article.txt").render(context),
            get_template("following/mail/digest_article.html").render(context),
        )
    text, html = summaries.blocks[key]
    return {"text": text, "html": mark_safe(html)}  # escaped by its own template


def _subject(delivery: Delivery, articles: list[ArticleSummary]) -> str:
    if delivery.kind == Delivery.Kind.INSTANT:
        return articles[0].title if articles else "Новость о ваших подписках"
    about = f"{plural_ru(len(articles), NEWS)} о ваших подписках"
    days = covered_days(
        kind=delivery.kind, key=delivery.period, weekday=delivery.reader.digest_weekday
    )
    if days is None:
        return about
    first, last = days
    if first == last:
        return f"{about} за {date_format(first, 'j E')}"
    return f"{about} за неделю {date_format(first, 'j E')} — {date_format(last, 'j E')}"


def _zone(name: str):
    try:
        return zone_named(name)
    except ValueError:
        return zone_named(settings.TIME_ZONE)
