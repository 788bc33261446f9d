"""The child side of ``bench/digests.py``: the synthetic readers and news, and the measured run.

Runs with Django set up on the database ``DATABASE_URL`` names (migrated first).
``fill``: ``entities`` catalog entities of the four kinds (invented names), ``articles``
published articles each naming 1–3 of them, and ``readers`` confirmed readers each
following 1–9 entities (5 on average, daily digests at 08:00 in one of four Central
Asian and Russian time zones); popular entities are followed and named more (a Zipf
law), as on a real site. ``run``: the articles moved into yesterday, then the build
timed, its memory measured, digests rendered and a sample sent to a local SMTP
server at a set rate. The figures are printed as JSON on the last line.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import resource
import time
import tracemalloc

ZONES = ("Asia/Bishkek", "Asia/Almaty", "Asia/Tashkent", "Europe/Moscow")
BATCH = 5000
EMAIL_DOMAIN = "bench.invalid"


def weights(count: int) -> list[float]:
    return [1 / (rank + 1) ** 0.8 for rank in range(count)]


def _entities(count: int) -> list[tuple[str, int]]:
    from companies.models import Company, Country, Official, VehicleModel

    companies = Company.objects.bulk_create(
        Company(name=f"Бенчмарк Компания {n}", slug=f"bench-company-{n}", aliases=[])
        for n in range(count * 5 // 10)
    )
    countries = Country.objects.bulk_create(
        Country(name=f"Бенчмарк Страна {n}", slug=f"bench-country-{n}", aliases=[])
        for n in range(count // 10)
    )
    officials = Official.objects.bulk_create(
        Official(name=f"Бенчмарк Персона {n}", slug=f"bench-official-{n}", aliases=[])
        for n in range(count * 2 // 10)
    )
    models = VehicleModel.objects.bulk_create(
        VehicleModel(name=f"Бенчмарк Модель {n}", slug=f"bench-model-{n}", aliases=[],
                     brand=companies[n % len(companies)])
        for n in range(count - len(companies) - len(countries) - len(officials))
    )  # fmt: skip
    targets = [("companies", e.pk) for e in companies] + [("countries", e.pk) for e in countries]
    targets += [("officials", e.pk) for e in officials] + [("vehicle_models", e.pk) for e in models]
    random.Random(7).shuffle(targets)  # the popular ones of every kind
    return targets


def _articles(count: int, targets: list[tuple[str, int]], rng: random.Random) -> None:
    from articles.models import Article
    from companies.kinds import kind_for_key

    # Dated at each run (``into_yesterday``): a cached database is used on later days.
    articles = Article.objects.bulk_create(
        Article(
            title=f"Вымышленная новость {n}: завод расширяет сборку",
            slug=f"bench-digest-{n}",
            lead=f"Вымышленный завод {n} сообщил о новых заказах и планах на следующий год.",
            body="Текст для бенчмарка рассылок.",
            status=Article.Status.PUBLISHED,
        )
        for n in range(count)
    )
    links: dict[str, list] = {}
    popular = weights(len(targets))
    for article in articles:
        for key, pk in set(rng.choices(targets, popular, k=rng.randint(1, 3))):
            through = kind_for_key(key).links
            links.setdefault(key, []).append(through(article_id=article.pk, entity_id=pk))
    for key, rows in links.items():
        kind_for_key(key).links.objects.bulk_create(rows, batch_size=BATCH)


def _readers(count: int, targets: list[tuple[str, int]], rng: random.Random) -> None:
    from following.models import Reader, Subscription

    confirmed = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    popular = weights(len(targets))
    for first in range(0, count, BATCH):
        readers = Reader.objects.bulk_create(
            Reader(email=f"reader{n}@{EMAIL_DOMAIN}", confirmed_at=confirmed, created_at=confirmed,
                   time_zone=ZONES[n % len(ZONES)], digest_hour=8)
            for n in range(first, min(first + BATCH, count))
        )  # fmt: skip
        subscriptions = [
            Subscription(reader_id=reader.pk, target_kind=kind, target_id=pk,
                         frequency="daily", created_at=confirmed, confirmed_at=confirmed)
            for reader in readers
            for kind, pk in set(rng.choices(targets, popular, k=rng.randint(1, 9)))
        ]  # fmt: skip
        Subscription.objects.bulk_create(subscriptions, batch_size=BATCH)


def _marker(options: dict) -> str:
    return f"Бенчмарк рассылок {options.get('fingerprint', '')}"


def _reusable(options: dict) -> bool:
    """Whether the database holds this very data; refuses a database with real readers."""
    from articles.models import Tag
    from following.models import Reader

    if not Reader.objects.exists():
        return False
    if Reader.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}").exists():
        raise SystemExit(
            "DATABASE_URL's database has readers of its own: point it at a scratch database"
        )
    return bool(options.get("reuse")) and Tag.objects.filter(name=_marker(options)).exists()


def _remove_earlier() -> None:
    """An earlier run's data (another size or seed), removed before filling again."""
    from articles.models import Article, Tag
    from companies.kinds import KINDS
    from following.models import Delivery, Reader, Subscription

    Delivery.objects.all().delete()
    Subscription.objects.all().delete()
    Reader.objects.all()._raw_delete(Reader.objects.db)  # no related rows are left
    Article.objects.filter(slug__startswith="bench-digest-").delete()
    for kind in reversed(KINDS):
        kind.model.objects.filter(slug__startswith="bench-").delete()
    Tag.objects.filter(name__startswith=_marker({})).delete()


def fill(options: dict) -> dict:
    """Write the synthetic catalog, articles and readers; what was written."""
    from django.db import transaction

    from articles.models import Tag
    from following.models import Subscription

    if _reusable(options):
        return {"reused": True, "subscriptions": Subscription.objects.count()}
    _remove_earlier()
    rng = random.Random(options["seed"])
    started = time.perf_counter()
    with transaction.atomic():
        Tag.objects.create(
            name=_marker(options), slug=f"bench-digests-{options.get('fingerprint')}"
        )
        targets = _entities(options["entities"])
        _articles(options["articles"], targets, rng)
        _readers(options["readers"], targets, rng)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "subscriptions": Subscription.objects.count(),
        "built_on": dt.date.today().isoformat(),
    }


def into_yesterday(now: dt.datetime) -> None:
    """Date the articles evenly over the hours that are yesterday in every zone of ZONES,
    so every reader's digest of yesterday lists them, whenever the run is."""
    from articles.models import Article
    from following.digests.periods import daily_period, zone_named

    days = [daily_period(zone=zone_named(z), hour=8, now=now, any_hour=True) for z in ZONES]
    start, end = max(d.start for d in days), min(d.end for d in days)
    articles = list(Article.objects.order_by("pk").only("pk"))
    for n, article in enumerate(articles):
        article.published_at = start + (end - start) * (n + 0.5) / len(articles)
    Article.objects.bulk_update(articles, ["published_at"], batch_size=BATCH)


def max_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes: the process's peak resident memory so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clear() -> None:
    from following.models import AlertWatermark, Delivery

    Delivery.objects.all().delete()
    AlertWatermark.objects.all().delete()


def timed_build() -> dict:
    from following.digests.build import build_due

    _clear()
    gc.collect()
    rss_before = max_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    report = build_due(any_hour=True)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "made": report.made,
        "max_rss_mb_before": round(rss_before, 1),
        "max_rss_mb_after": round(max_rss_mb(), 1),
    }


def traced_build() -> dict:
    """The build again under tracemalloc, the heap in use noted after every batch written."""
    from following.digests import records
    from following.digests.build import build_due

    _clear()
    after_batches: list[float] = []
    flush = records.RecordWriter.flush

    def noting(self):
        flush(self)
        after_batches.append(tracemalloc.get_traced_memory()[0] / 2**20)

    records.RecordWriter.flush = noting
    tracemalloc.start()
    try:
        build_due(any_hour=True)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
        records.RecordWriter.flush = flush
    tenth = after_batches[len(after_batches) // 10] if after_batches else 0.0
    return {
        "peak_mb": round(peak, 1),
        "batches": len(after_batches),
        "in_use_mb_after_first_tenth": round(tenth, 1),
        "in_use_mb_at_end": round(after_batches[-1], 1) if after_batches else 0.0,
    }


def _sample(size: int) -> list:
    from following.models import Delivery

    return list(Delivery.objects.select_related("reader").order_by("pk")[:size])


def timed_rendering(size: int) -> dict:
    """``render_many`` over ``size`` digests, in batches as a sender would."""
    from following.digests.summaries import Summaries
    from following.mail.digest_message import render_many

    deliveries = _sample(size)
    summaries = Summaries()  # shared by the batches: the articles are loaded once
    started = time.perf_counter()
    sizes = []
    for first in range(0, len(deliveries), 500):
        for _subject, text, html in render_many(
            deliveries[first : first + 500], summaries=summaries
        ):
            sizes.append(len(text.encode()) + len(html.encode()))
    seconds = time.perf_counter() - started
    return {
        "messages": len(deliveries),
        "seconds": round(seconds, 2),
        "ms_per_message": round(1000 * seconds / max(len(deliveries), 1), 2),
        "median_kb": round(sorted(sizes)[len(sizes) // 2] / 1024, 1) if sizes else 0,
    }


class CountingHandler:
    """aiosmtpd's handler: accepts every message and counts it."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 Message accepted for delivery"


def timed_sending(size: int, *, rate: float, port: int) -> dict:
    """``size`` digests composed (``following.mail.compose``) and sent over one SMTP
    connection to a local aiosmtpd server, paced to ``rate`` messages a second."""
    from aiosmtpd.controller import Controller
    from django.core.mail import get_connection

    from following.mail.compose import compose

    deliveries = _sample(size)
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        backend = "django.core.mail.backends.smtp.EmailBackend"
        with get_connection(backend, host="127.0.0.1", port=port, timeout=10) as connection:
            started = time.perf_counter()
            for n, delivery in enumerate(deliveries):
                # Paced, not bursting: message n leaves no earlier than n / rate seconds in.
                if (wait := started + n / rate - time.perf_counter()) > 0:
                    time.sleep(wait)
                compose(delivery, connection=connection).send()
            seconds = time.perf_counter() - started
        deadline = time.monotonic() + 10
        while handler.received < len(deliveries) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
    return {
        "messages": len(deliveries),
        "received": handler.received,
        "configured_rate": rate,
        "achieved_rate": round(len(deliveries) / seconds, 1) if seconds else 0.0,
        "seconds": round(seconds, 2),
    }


def run(options: dict) -> dict:
    """The measured run on a filled database."""
    from django.db import connection

    from following.models import Reader, Subscription

    into_yesterday(dt.datetime.now(dt.UTC))
    build = timed_build()
    made = sum(build["made"].values())
    lengths = [len(ids) for ids in _article_counts()]
    memory = traced_build() if options["trace"] else None
    return {
        "database": connection.vendor,
        "readers": Reader.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "build": build,
        "digests": made,
        "articles_per_digest": {
            "mean": round(sum(lengths) / max(len(lengths), 1), 1),
            "max": max(lengths, default=0),
        },
        "traced": memory,
        "render": timed_rendering(options["sample"]),
        "send": timed_sending(options["sample"], rate=options["rate"], port=options["port"]),
    }


def _article_counts():
    from following.models import Delivery

    return Delivery.objects.values_list("article_ids", flat=True).iterator(chunk_size=BATCH)
