"""The synthetic readers and news of ``bench/digests.py`` (its cached database's fingerprint).

Runs in the bench's child, with Django set up on the database ``DATABASE_URL`` names
(migrated first).
``fill``: ``entities`` catalog entities of the four kinds (invented names), ``articles``
published articles each naming 1–3 of them, and ``readers`` confirmed readers each
following 1–9 entities (5 on average, daily digests at 08:00 in one of four Central
Asian and Russian time zones); popular entities are followed and named more (a Zipf
law), as on a real site. ``into_yesterday``: the articles dated into yesterday, at
each run. The measured run is ``bench/digests_run.py``.
"""

from __future__ import annotations

import datetime as dt
import random
import time

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
