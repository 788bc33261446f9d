"""The admin's front page names the sources that need an operator's eye."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from inbox.front_page import SHOWN

from .factories import SourceFactory

HEADING = '<h2 id="desk-warnings-title"'


def failing(name: str):
    now = timezone.now()
    return SourceFactory(
        name=name,
        consecutive_failures=9,
        last_error="Сервер ответил 500.",
        created_at=now - timedelta(days=10),
        last_success_at=now - timedelta(days=2),
        next_poll_at=now + timedelta(minutes=5),
    )


def test_an_unwell_source_is_named_with_what_is_wrong(admin_client):
    failing("Пресс-служба «Восток-Металл»")

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert HEADING in page
    assert "Источник «Пресс-служба «Восток-Металл»»: Ошибки уже 2 дн." in page


def test_many_unwell_sources_are_summed_up(admin_client):
    for n in range(SHOWN + 2):
        failing(f"Источник-{n}")

    page = admin_client.get(reverse("admin:index")).content.decode()

    assert page.count("Ошибки уже 2 дн.") == SHOWN
    assert "И ещё источников с неполадками: 2" in page


def test_staff_who_do_not_see_sources_are_not_told(db, client):
    client.force_login(User.objects.create_user("guest", password="x", is_staff=True))
    failing("Пресс-служба «Восток-Металл»")

    assert HEADING not in client.get(reverse("admin:index")).content.decode()
