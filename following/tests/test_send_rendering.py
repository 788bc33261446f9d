"""A sending round renders its alerts and digests together: their articles, follows
and names are read once per batch, so a message costs only its own two writes."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from companies.tests.factories import CompanyFactory
from following import sending
from following.mail import compose as composing
from following.models import Delivery
from following.tests.digest_factories import ReaderFactory, article_about, follow


@pytest.fixture(autouse=True)
def in_memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FOLLOWING_SEND_RATE = 1_000_000  # no pacing: this test counts queries


def digests(count: int, *, period: str) -> None:
    company = CompanyFactory()
    published = dt.datetime(2025, 12, 7, 3, tzinfo=dt.UTC)
    articles = [article_about(company, published_at=published) for _ in range(2)]
    for _ in range(count):
        reader = ReaderFactory()
        follow(reader, company)
        Delivery.objects.create(
            reader=reader, kind="daily", period=period, article_ids=[a.pk for a in articles]
        )


def queries_of_a_round() -> int:
    with CaptureQueriesContext(connection) as queries:
        report = sending.send_round()
    assert report.sent == report.claimed
    return len(queries)


def test_a_message_more_costs_only_its_own_claim_renewal_and_record(db):
    digests(2, period="2025-12-07")
    small = queries_of_a_round()
    digests(12, period="2025-12-08")
    large = queries_of_a_round()

    assert len(mail.outbox) == 14
    # hold() and record(): two writes a message; rendering adds none per message.
    assert (large - small) / 10 <= 2


def test_a_batch_that_cannot_be_rendered_together_is_composed_one_by_one(db, monkeypatch):
    digests(3, period="2025-12-07")
    render_many = composing.digest_message.render_many
    batches = []

    def only_alone(deliveries, **options):
        batches.append(len(deliveries))
        if len(deliveries) > 1:
            raise RuntimeError("a template that breaks in a batch")
        return render_many(deliveries, **options)

    monkeypatch.setattr(composing.digest_message, "render_many", only_alone)

    assert sending.send_round().sent == 3
    assert batches == [3, 1, 1, 1]
    assert len(mail.outbox) == 3
