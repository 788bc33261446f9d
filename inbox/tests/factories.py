"""Factories for the inbox's tests, and entries as a parser would give them."""

from __future__ import annotations

from datetime import UTC, datetime

import factory

from inbox.entries import Entry
from inbox.models import Source


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Пресс-служба «Восток-Металл {n}»")
    kind = Source.Kind.RSS
    address = factory.Sequence(lambda n: f"http://127.0.0.1:9/feed-{n}.xml")
    interval = 30


# Invented stories, different enough that no two tell the same story.
STORIES = [
    (
        "Завод «Восток-Металл» запустил линию №{n}",
        "Линия №{n} выпускает стальной профиль для строителей Чуйской долины.",
        "Директор завода Айбек Токтосунов рассказал, что линия №{n} работает в три смены."
        "\n\nПервую партию профиля получат строительные компании в октябре.",
    ),
    (
        "Кооператив «Талас Агро» собрал урожай фасоли (№{n})",
        "Фермеры долины отгрузили первые вагоны на экспорт, сводка №{n}.",
        "Председатель кооператива Нургуль Садыкова ждёт рекордного сбора к зиме."
        "\n\nЧасть урожая уйдёт на переработку в Таразе.",
    ),
    (
        "Биржа «Ала-Тоо Зерно» открыла торги пшеницей, выпуск {n}",
        "Первая сделка сезона заключена утром, выпуск {n}.",
        "Брокеры ожидают роста объёмов после уборки в северных районах."
        "\n\nЦены держатся у прошлогоднего уровня.",
    ),
    (
        "Автопарк «Сары-Жаз Транс» получил новые автобусы, партия {n}",
        "Партия {n} пассажирских автобусов вышла на городские маршруты.",
        "Водители прошли обучение на заводе-изготовителе за две недели."
        "\n\nСтарые машины передадут районным перевозчикам.",
    ),
]


def entry(n: int = 1, **fields) -> Entry:
    """An invented item: a fictional firm's news; ``n`` picks the story and numbers it."""
    title, lead, body = (text.format(n=n) for text in STORIES[(n - 1) % len(STORIES)])
    values = {
        "guid": f"urn:test:{n}",
        "url": f"https://vostok-metall.example/news/{n}",
        "title": title,
        "lead": lead,
        "body": body,
        "published": datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Entry(**values)
