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


def entry(n: int = 1, **fields) -> Entry:
    """An invented item: a fictional firm's news, numbered so that texts differ."""
    values = {
        "guid": f"urn:test:{n}",
        "url": f"https://vostok-metall.example/news/{n}",
        "title": f"Завод «Восток-Металл» запустил линию №{n}",
        "lead": f"Линия №{n} выпускает стальной профиль для строителей Чуйской долины.",
        "body": (
            f"Директор завода Айбек Токтосунов рассказал, что линия №{n} работает в три "
            "смены.\n\nПервую партию профиля получат строительные компании в октябре."
        ),
        "published": datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
    }
    values.update(fields)
    return Entry(**values)
