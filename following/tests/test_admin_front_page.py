"""The admin's front page warns when readers' mail failed or stalled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from articles.roles import AUTHOR, EDITOR, setup_roles
from following.models import Delivery
from following.tests.send_factories import DeliveryFactory

INDEX = reverse("admin:index")
HEADING = '<h2 id="desk-warnings-title"'


def staff(name: str, role: str) -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor_client(db, client):
    setup_roles()
    client.force_login(staff("editor", EDITOR))
    return client


def front_page(client) -> str:
    response = client.get(INDEX)
    assert response.status_code == 200
    return response.content.decode()


def ago(**delta) -> timezone.datetime:
    return timezone.now() - timedelta(**delta)


def test_all_well_no_warnings(editor_client):
    DeliveryFactory(status=Delivery.Status.SENT, sent_at=ago(minutes=5))
    DeliveryFactory(created_at=ago(minutes=2))  # queued a moment ago: the round is coming

    assert HEADING not in front_page(editor_client)


def test_a_failure_of_the_last_day_is_said_with_the_servers_answer(editor_client):
    for answer, when in (("550 5.1.1 user unknown", 3), ("554 5.7.1 rejected as spam", 1)):
        DeliveryFactory(
            status=Delivery.Status.FAILED, last_attempt_at=ago(hours=when), last_response=answer
        )
    DeliveryFactory(status=Delivery.Status.FAILED, last_attempt_at=ago(days=3))

    page = front_page(editor_client)

    assert HEADING in page
    assert (
        "Письма читателям не доставлены за сутки: 2. Последний ответ сервера: "
        "«554 5.7.1 rejected as spam»."
    ) in page


def test_retries_that_went_on_for_over_an_hour_are_said(editor_client):
    DeliveryFactory(
        status=Delivery.Status.RETRYING,
        first_attempt_at=ago(hours=3),
        next_attempt_at=timezone.now() + timedelta(minutes=5),
        last_response="421 4.7.0 Try again later",
    )

    page = front_page(editor_client)

    assert "Письма читателям не уходят уже 3 ч: в повторе 1" in page
    assert "«421 4.7.0 Try again later»" in page


def test_messages_waiting_long_past_their_time_ask_for_the_worker(editor_client):
    DeliveryFactory(created_at=ago(minutes=40))

    page = front_page(editor_client)

    assert "Письма читателям ждут отправки уже 40 мин (1): запущен ли обработчик задач" in page
    assert "manage.py qcluster, служба portal-worker" in page


def test_a_round_that_died_holding_messages_counts_as_stalled(editor_client):
    DeliveryFactory(status=Delivery.Status.SENDING, claimed_until=ago(hours=2))

    assert "ждут отправки уже 2 ч (1)" in front_page(editor_client)


def test_users_who_may_not_see_the_mail_are_not_told(db, client):
    setup_roles()
    client.force_login(staff("author", AUTHOR))
    DeliveryFactory(status=Delivery.Status.FAILED, last_attempt_at=ago(hours=1))

    assert "Письма читателям" not in front_page(client)
