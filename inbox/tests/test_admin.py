"""The sources' admin: health at a glance, «Проверить сейчас» queues and never
fetches; the plain inbox list."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django_q.models import OrmQ

from inbox.models import InboxItem
from inbox.storing import ingest

from .factories import SourceFactory, entry
from .stand_ins import fake_sources_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_sources_list_shows_health_and_warns_about_unwell_sources(admin_client):
    SourceFactory(name="Исправный", last_success_at=timezone.now())
    SourceFactory(
        name="Сломанный",
        consecutive_failures=5,
        last_error="Сервер ответил 500.",
        created_at=timezone.now() - timedelta(days=1),
    )
    response = admin_client.get(reverse("admin:inbox_source_changelist"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "в порядке" in page and "⚠ Ошибки уже" in page
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1 and said[0].startswith("Сломанный: Ошибки уже")


def test_poll_now_queues_a_job_and_fetches_nothing_in_the_request(admin_client, fake_sources):
    source = SourceFactory()
    response = admin_client.post(
        reverse("admin:inbox_source_changelist"),
        {"action": "poll_now", "_selected_action": [source.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert fake_sources.requests == []
    assert OrmQ.objects.count() == 1
    assert "Опрос поставлен в очередь: 1" in response.content.decode()


def test_a_feed_address_must_be_http(admin_client):
    response = admin_client.post(
        reverse("admin:inbox_source_add"),
        {"name": "Лента", "kind": "rss", "address": "file:///etc/passwd", "interval": 30},
    )
    assert response.status_code == 200
    assert "только по http:// или https://" in response.content.decode()


def test_the_inbox_lists_items_filtered_by_source_and_state(admin_client):
    agency, ministry = SourceFactory(), SourceFactory()
    ingest(agency, [entry(1)])
    ingest(ministry, [entry(2, title="Биржа зерна открыла торги", lead="Торги в Бишкеке.")])
    InboxItem.objects.filter(source=ministry).update(state=InboxItem.State.DISCARDED)
    url = reverse("admin:inbox_inboxitem_changelist")
    page = admin_client.get(url, {"source__id__exact": agency.pk}).content.decode()
    assert "линию №1" in page and "Биржа зерна" not in page
    page = admin_client.get(url, {"state": "discarded"}).content.decode()
    assert "Биржа зерна" in page and "линию №1" not in page
