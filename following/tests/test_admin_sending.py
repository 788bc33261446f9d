"""The messages in the admin: what editors see (never an address in a list), what
they may not do, and «Отправить снова» for failed ones."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django_q.models import OrmQ

from articles.roles import AUTHOR, EDITOR, setup_roles
from following.models import Delivery
from following.tests.send_factories import DeliveryFactory, ReaderFactory

DELIVERIES = reverse("admin:following_delivery_changelist")


def staff(name: str, role: str) -> User:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor_client(db, client):
    setup_roles()
    client.force_login(staff("editor", EDITOR))
    return client


@pytest.fixture
def author_client(db, client):
    setup_roles()
    client.force_login(staff("author", AUTHOR))
    return client


def test_the_list_shows_each_message_and_its_fate_without_addresses(editor_client):
    failed = DeliveryFactory(
        reader__email="zhanna@mail.example.org",
        status=Delivery.Status.FAILED,
        attempts=1,
        last_response="550 5.1.1 <адрес>: user unknown",
    )

    page = editor_client.get(DELIVERIES).content.decode()

    assert failed.reader.log_name in page
    assert 'class="delivery-state delivery-state--failed">не доставлено<' in page
    assert "550 5.1.1 &lt;адрес&gt;: user unknown" in page
    assert "zhanna" not in page


def test_the_list_filters_by_state(editor_client):
    sent = DeliveryFactory(status=Delivery.Status.SENT)
    queued = DeliveryFactory()

    page = editor_client.get(DELIVERIES, {"status__exact": "sent"}).content.decode()

    assert sent.reader.log_name in page and queued.reader.log_name not in page


def test_editors_see_a_message_but_cannot_change_it(editor_client):
    delivery = DeliveryFactory()
    url = reverse("admin:following_delivery_change", args=[delivery.pk])

    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"status": "sent"}).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED


def test_the_address_is_on_the_readers_own_page_only(editor_client):
    reader = ReaderFactory(email="timur@mail.example.org")

    listing = editor_client.get(reverse("admin:following_reader_changelist")).content.decode()
    own = editor_client.get(reverse("admin:following_reader_change", args=[reader.pk]))

    assert reader.log_name in listing and "timur" not in listing
    assert "timur@mail.example.org" in own.content.decode()


def test_resending_puts_failed_messages_back_in_the_queue(editor_client):
    failed = DeliveryFactory(status=Delivery.Status.FAILED, attempts=6, last_response="451 x")
    sent = DeliveryFactory(status=Delivery.Status.SENT, attempts=1)

    response = editor_client.post(
        DELIVERIES, {"action": "resend", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )

    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts) == (Delivery.Status.QUEUED, 0)
    assert sent.status == Delivery.Status.SENT
    assert OrmQ.objects.count() == 1, "a sending round is queued"
    page = response.content.decode()
    assert "Снова в очереди на отправку: 1." in page
    assert "Не отправлены снова (только недоставленные можно): 1." in page


def test_only_those_allowed_may_resend(db, client):
    setup_roles()
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name=EDITOR).permissions.filter(codename="view_delivery")
    )
    client.force_login(viewer)
    failed = DeliveryFactory(status=Delivery.Status.FAILED)

    client.post(DELIVERIES, {"action": "resend", "_selected_action": [failed.pk]})

    failed.refresh_from_db()
    assert failed.status == Delivery.Status.FAILED
    assert "resend" not in client.get(DELIVERIES).content.decode()


def test_authors_do_not_see_readers_mail(author_client):
    assert author_client.get(DELIVERIES).status_code == 403


def test_the_list_names_each_message_s_period_as_an_editor_reads_it(editor_client):
    DeliveryFactory(kind=Delivery.Kind.DAILY, period="2026-12-05")
    DeliveryFactory(kind=Delivery.Kind.INSTANT, period="a418")
    DeliveryFactory(kind=Delivery.Kind.CONFIRM, period="2026-12-06T08:37:56.930473+00:00")

    page = editor_client.get(DELIVERIES).content.decode()

    assert '<td class="field-period_shown">2026-12-05</td>' in page
    assert '<td class="field-period_shown">материал № 418</td>' in page
    # A confirmation's key is its request time, shown once, in the «создано» column.
    assert '<td class="field-period_shown">—</td>' in page
