"""«Сделать черновик» on the desk: one draft per item whatever is clicked twice,
make_draft's objections in Russian with nothing written, and who may do what."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.roles import AUTHOR, EDITOR, setup_roles
from inbox.desk import drafts
from inbox.desk.drafts import draft_item
from inbox.models import InboxItem

from .desk_helpers import make_item, staff
from .factories import SourceFactory

pytestmark = pytest.mark.django_db

LIST = "admin:inbox_inboxitem_changelist"


def draft_url(item: InboxItem) -> str:
    return reverse("admin:inbox_inboxitem_draft", args=[item.pk])


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def item():
    source = SourceFactory(name="Агентство «Степной вестник»", default_tags="регионы, металлургия")
    return make_item(
        source,
        title="Завод «Восток-Металл» запустил линию",
        lead="Линия выпускает стальной профиль.",
        body="Директор Айбек Токтосунов рассказал о сменах.\n\nПрофиль получат в октябре.",
        tags=("металлургия", "стройка"),
    )


def test_a_draft_gets_the_items_text_tags_attribution_and_author(admin_client, admin_user, item):
    response = admin_client.post(draft_url(item))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.title, article.lead) == (item.title, item.lead)
    assert article.body == item.body
    assert sorted(article.tags.names()) == ["металлургия", "регионы", "стройка"]
    assert (article.source_name, article.source_url) == ("Агентство «Степной вестник»", item.url)
    assert article.author == admin_user
    assert article.status == Article.Status.DRAFT  # nothing is published without an editor
    item.refresh_from_db()
    assert (item.state, item.article) == (InboxItem.State.DRAFTED, article)


def test_a_second_click_opens_the_same_draft(admin_client, item):
    first = admin_client.post(draft_url(item))
    second = admin_client.post(draft_url(item))
    assert Article.objects.count() == 1
    assert second.url == first.url
    assert "уже есть" in said(second)[-1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_draft(admin_user, item):
    """A double submit: two requests in two threads, each on its own connection,
    reach ``draft_item`` together; one makes the draft, the other opens it.

    PostgreSQL only: SQLite's test database is in memory with a shared cache, whose
    table locks fail at once instead of waiting; the portal's file database begins
    every transaction IMMEDIATE, so there the second request waits for the first."""
    both_ready = threading.Barrier(2)
    real_make_draft = drafts.make_draft
    results: list = []
    errors: list[Exception] = []

    def slow_make_draft(**fields):
        time.sleep(0.2)  # the other request arrives while this one is still writing
        return real_make_draft(**fields)

    def submit():
        try:
            both_ready.wait(timeout=10)
            results.append(draft_item(item_id=item.pk, user=admin_user))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    drafts.make_draft = slow_make_draft
    try:
        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        drafts.make_draft = real_make_draft
    assert errors == []
    assert Article.objects.count() == 1
    assert sorted(result.created for result in results) == [False, True]
    assert {result.article.pk for result in results} == {Article.objects.get().pk}


def test_a_headline_too_long_is_refused_in_russian_and_nothing_is_written(admin_client):
    item = make_item(title="Очень длинный заголовок " * 20)
    response = admin_client.post(draft_url(item))
    assert response.url == reverse("admin:inbox_inboxitem_change", args=[item.pk])
    message = said(response)[0]
    assert message.startswith("Черновик не создан. Заголовок:")
    assert "300" in message and "вручную" in message
    assert not Article.objects.exists()
    item.refresh_from_db()
    assert (item.state, item.article) == (InboxItem.State.NEW, None)


def test_an_item_without_a_lead_gives_its_first_paragraph_as_the_lead(admin_user):
    item = make_item(title="Без лида", lead="", body="Первый абзац.\n\nВторой абзац.")
    article = draft_item(item_id=item.pk, user=admin_user).article
    assert (article.lead, article.body) == ("Первый абзац.", "Второй абзац.")


def test_a_discarded_item_is_restored_before_it_becomes_a_draft(admin_client):
    item = make_item(title="Отклонённое", state=InboxItem.State.DISCARDED)
    response = admin_client.post(draft_url(item))
    assert "сначала верните" in said(response)[0]
    assert not Article.objects.exists()


def test_the_list_action_drafts_exactly_one_item(admin_client, item):
    other = make_item(title="Другая заметка")
    both = admin_client.post(
        reverse(LIST), {"action": "make_draft_action", "_selected_action": [item.pk, other.pk]}
    )
    assert "Выберите один материал" in said(both)[0] and not Article.objects.exists()
    one = admin_client.post(
        reverse(LIST), {"action": "make_draft_action", "_selected_action": [item.pk]}
    )
    assert one.url == reverse("admin:articles_article_change", args=[Article.objects.get().pk])


def test_an_author_reads_the_inbox_and_makes_drafts_but_does_not_discard(client, item):
    client.force_login(staff(AUTHOR, "avtor"))
    assert client.get(reverse(LIST)).status_code == 200
    page = client.get(reverse("admin:inbox_inboxitem_change", args=[item.pk])).content.decode()
    assert "Сделать черновик" in page and "desk-discard" not in page
    actions = client.get(reverse(LIST)).context["action_form"].fields["action"].choices
    assert [name for name, _label in actions if name] == ["make_draft_action"]
    discard = client.post(reverse("admin:inbox_inboxitem_discard", args=[item.pk]))
    assert discard.status_code == 403
    drafted = client.post(draft_url(item))
    article = Article.objects.get()
    assert drafted.url == reverse("admin:articles_article_change", args=[article.pk])
    assert client.get(drafted.url).status_code == 200  # the author's own draft


def test_an_editor_does_everything_on_the_desk(client, item):
    client.force_login(staff(EDITOR, "redaktor"))
    assert client.post(reverse("admin:inbox_inboxitem_discard", args=[item.pk])).status_code == 302
    assert client.post(reverse("admin:inbox_inboxitem_restore", args=[item.pk])).status_code == 302
    assert client.post(draft_url(item)).status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT
    actions = client.get(reverse(LIST)).context["action_form"].fields["action"].choices
    assert {name for name, _label in actions if name} >= {
        "make_draft_action",
        "discard_action",
        "restore_action",
    }


def test_staff_without_a_role_sees_no_inbox(client, django_user_model, item):
    user = django_user_model.objects.create_user("gost", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse(LIST)).status_code == 403
    assert client.post(draft_url(item)).status_code == 403
    assert not Article.objects.exists()


def test_the_inbox_comes_first_on_an_editors_admin_index(client):
    client.force_login(staff(EDITOR, "redaktor"))
    apps = client.get(reverse("admin:index")).context["app_list"]
    assert apps[0]["app_label"] == "inbox"
    assert [model["object_name"] for model in apps[0]["models"]] >= ["InboxItem"]


def test_setup_roles_makes_the_desks_permission_once_and_gives_it_to_both_roles():
    setup_roles()
    setup_roles()
    assert Permission.objects.filter(codename="draft_inboxitem").count() == 1
    for role in (AUTHOR, EDITOR):
        codes = set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
        assert "draft_inboxitem" in codes and "view_inboxitem" in codes
    editor_only = {"change_inboxitem", "delete_inboxitem", "change_source"}
    author = set(Group.objects.get(name=AUTHOR).permissions.values_list("codename", flat=True))
    assert not author & editor_only
