"""Instant alerts: one record per reader and new article, within minutes of publication.

Each round takes the articles published after the watermark (the newest
publication time an earlier round handled) up to the round's ``now``, and moves
the watermark to the newest of them. An article scheduled for later is past
``now`` until its time comes, so it is alerted then, once; a round that dies
before moving the watermark is repeated by the next, whose records already
there are skipped (one per reader and article: period «a<id>»).
"""

from __future__ import annotations

import datetime as dt

from ..models import AlertWatermark, Delivery
from .new_articles import new_articles, published_between
from .readers import instant_pages
from .records import RecordWriter

WATERMARK = "instant"
# A first round ever (no watermark yet) alerts the last hour's articles, not the archive.
FIRST_ROUND_LOOKBACK = dt.timedelta(hours=1)


def alert_period(article_id: int) -> str:
    return f"a{article_id}"


def _watermark(now: dt.datetime) -> dt.datetime:
    mark = AlertWatermark.objects.filter(name=WATERMARK).values_list("handled_until", flat=True)
    return mark.first() or now - FIRST_ROUND_LOOKBACK


def _move_watermark(to: dt.datetime) -> None:
    # Only forwards: a slower round that started earlier never moves it back.
    if not AlertWatermark.objects.filter(name=WATERMARK, handled_until__lt=to).update(
        handled_until=to
    ):
        AlertWatermark.objects.get_or_create(name=WATERMARK, defaults={"handled_until": to})


def build_alerts(*, now: dt.datetime, writer: RecordWriter) -> None:
    """Records for the articles published since the last round, up to ``now``."""
    since = _watermark(now)
    new = new_articles(published_between(start=since, end=now, alerts=True))
    if not new.published_at:
        return
    for page in instant_pages(list(new.by_target)):
        for reader_id, followed in page.items():
            _alerts_for(reader_id, followed, new, writer)
    writer.flush()
    _move_watermark(max(new.published_at.values()))


def _alerts_for(reader_id, followed, new, writer: RecordWriter) -> None:
    wanted: set[int] = set()
    for target, confirmed_at in followed:
        # Articles out before the reader asked for them are not news to announce.
        found = new.by_target.get(target, ())
        wanted |= {pk for pk in found if new.published_at[pk] > confirmed_at}
    for article_id in sorted(wanted):
        writer.add(
            reader_id=reader_id,
            kind=Delivery.Kind.INSTANT,
            period=alert_period(article_id),
            article_ids=[article_id],
        )
