"""Counting the figures kept as data: mentions per entity and uses per tag, per day.

The stored rows (``companies.models.DailyMentions``, ``articles.models.DailyTagUses``)
count the articles whose status is published, by the day of ``published_at`` in
the site's time zone, scheduled articles included: a scheduled article comes out
by time passing, with no write to hook, so readers take off the few that are not
out yet instead (``articles.figures.reading``).

Every refresh is a recount of whole days, never an increment: whatever wrote the
links (the admin, the loader's raw inserts, a merge, the shell), recounting the
days it touched makes their rows exact again, and a missed hook is repaired by
``recount_figures()`` (``manage.py refresh_figures``).
"""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections, router, transaction

from companies.kinds import KINDS
from companies.models import DailyMentions, MentionTotals

from ..models import Article, DailyTagUses, TaggedArticle

# Any number: the key of the PostgreSQL lock that makes refreshes take turns.
_LOCK_KEY = 1_701_702


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    """The day ``moment`` falls on in the site's time zone."""
    return moment.astimezone(_zone()).date()


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of ``day`` in the site's time zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


def _runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days, first and last of each."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][1] == dt.timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _conditions(connection, runs) -> tuple[str, list]:
    """SQL: a published article (alias ``a``) of ``runs`` (any day when None)."""
    where, params = ["a.status = %s"], [Article.Status.PUBLISHED]
    if runs is not None:
        spans = ["(a.published_at >= %s AND a.published_at < %s)"] * len(runs)
        where.append("(" + " OR ".join(spans) + ")")
        for first, last in runs:
            for moment in (day_start(first), day_start(last + dt.timedelta(days=1))):
                params.append(connection.ops.adapt_datetimefield_value(moment))
    return " AND ".join(where), params


def _count_select(connection, runs, *, table: str, article: str, subject: str) -> tuple[str, list]:
    """SELECT subject id, day, count: the links of ``table`` to published articles."""
    day_sql, day_params = connection.ops.datetime_cast_date_sql(
        "a.published_at", (), settings.TIME_ZONE
    )
    condition, params = _conditions(connection, runs)
    # The day in a subquery: grouping by an expression with parameters is
    # refused by PostgreSQL when the parameters are bound on the server.
    sql = (
        f"SELECT c.subject_id, c.day, COUNT(*) FROM ("
        f"SELECT l.{subject} AS subject_id, {day_sql} AS day "
        f"FROM {table} l JOIN {Article._meta.db_table} a ON a.id = l.{article} "
        f"WHERE {condition}) c GROUP BY c.subject_id, c.day"
    )
    return sql, [*day_params, *params]


def _refresh(runs, *, using: str) -> None:
    """Delete the rows of ``runs`` (every row when None) and count them again."""
    connection = connections[using]
    in_runs = " OR ".join(["(day >= %s AND day <= %s)"] * len(runs or []))
    run_params = [day for run in runs or [] for day in run]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two writers recounting the same day would each miss the other's
            # uncommitted links; in turns, the second one sees the first's.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        where = f" WHERE {in_runs}" if runs else ""
        touched = _entities_on(cursor, where, run_params) if runs else set()
        for model in (DailyMentions, DailyTagUses):
            cursor.execute(f"DELETE FROM {model._meta.db_table}{where}", run_params)
        for kind in KINDS:
            select, params = _count_select(
                connection, runs, table=kind.links._meta.db_table,
                article="article_id", subject="entity_id",
            )  # fmt: skip
            cursor.execute(
                f"INSERT INTO {DailyMentions._meta.db_table} (kind, entity_id, day, count) "
                f"SELECT %s, s.* FROM ({select}) s",
                [kind.name, *params],
            )
        select, params = _count_select(
            connection, runs, table=TaggedArticle._meta.db_table,
            article="content_object_id", subject="tag_id",
        )  # fmt: skip
        cursor.execute(
            f"INSERT INTO {DailyTagUses._meta.db_table} (tag_id, day, count) {select}", params
        )
        if runs is None:
            _sum_totals(cursor, None)
        else:
            _sum_totals(cursor, touched | _entities_on(cursor, where, run_params))


def _entities_on(cursor, where: str, params: list) -> set[tuple[str, int]]:
    cursor.execute(
        f"SELECT DISTINCT kind, entity_id FROM {DailyMentions._meta.db_table}{where}", params
    )
    return set(cursor.fetchall())


def _sum_totals(cursor, entities: set[tuple[str, int]] | None) -> None:
    """``MentionTotals`` of ``entities`` (every entity when None) from their days."""
    totals, mentions = MentionTotals._meta.db_table, DailyMentions._meta.db_table
    if entities is None:
        cursor.execute(f"DELETE FROM {totals}")
        cursor.execute(
            f"INSERT INTO {totals} (kind, entity_id, count) "
            f"SELECT kind, entity_id, SUM(count) FROM {mentions} GROUP BY kind, entity_id"
        )
        return
    for kind in KINDS:
        ids = sorted(pk for name, pk in entities if name == kind.name)
        if not ids:
            continue
        listed = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"DELETE FROM {totals} WHERE kind = %s AND entity_id IN ({listed})", [kind.name, *ids]
        )
        cursor.execute(
            f"INSERT INTO {totals} (kind, entity_id, count) SELECT kind, entity_id, SUM(count) "
            f"FROM {mentions} WHERE kind = %s AND entity_id IN ({listed}) GROUP BY kind, entity_id",
            [kind.name, *ids],
        )


def refresh_days(*, days: Iterable[dt.date], using: str | None = None) -> None:
    """Count the figures of ``days`` again (every entity and tag on those days)."""
    runs = _runs(days)
    if runs:
        _refresh(runs, using=using or router.db_for_write(DailyMentions))


def recount_figures(*, using: str | None = None) -> None:
    """Count every stored figure again from the links: after a bulk write, and
    to repair (``manage.py refresh_figures``)."""
    _refresh(None, using=using or router.db_for_write(DailyMentions))


def refresh_articles(*, article_ids: Iterable[int], using: str | None = None) -> None:
    """Count again the days of these articles (as they are stored now)."""
    ids = list(set(article_ids))
    if not ids:
        return
    using = using or router.db_for_write(DailyMentions)
    dates = Article.objects.using(using).filter(pk__in=ids).values_list("published_at", flat=True)
    refresh_days(days={local_day(moment) for moment in dates}, using=using)
