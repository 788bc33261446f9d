"""Every change an editor makes to an article, by any route, is in its history («История»)
with who made it and when: the list's actions and the mentions panel's buttons too."""

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.linking import link_entities
from articles.models import Article
from articles.roles import EDITOR, setup_roles
from articles.tests.factories import ArticleFactory
from companies.models import Company

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def editor(db):
    setup_roles()
    user = User.objects.create_user("editor", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def run_action(client, action, articles, **extra):
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [a.pk for a in articles], **extra}
    )
    assert response.status_code == 302
    return response


def history(article) -> list[LogEntry]:
    return list(LogEntry.objects.filter(object_id=str(article.pk)).order_by("action_time"))


def history_page(client, article) -> str:
    return client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()


def only_change(article, editor) -> str:
    """The one history entry of ``article``: a change by ``editor``; its message."""
    [entry] = history(article)
    assert (entry.user, entry.action_flag) == (editor, CHANGE)
    assert timezone.now() - entry.action_time < dt.timedelta(minutes=5)
    return entry.get_change_message()


def test_publish_now_is_in_the_history(editor_client, editor):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    out = ArticleFactory()
    run_action(editor_client, "publish_selected", [draft, out])
    message = only_change(draft, editor)
    assert "Опубликовано" in message
    assert "«черновик» → «опубликовано»" in message
    assert "дата публикации" in message
    assert history(out) == []  # already out: nothing changed, nothing recorded
    assert "Опубликовано" in history_page(editor_client, draft)


def test_unpublish_is_in_the_history(editor_client, editor):
    out = ArticleFactory()
    run_action(editor_client, "unpublish_selected", [out])
    assert "Снято с публикации" in only_change(out, editor)
    assert "Снято с публикации" in history_page(editor_client, out)


def test_add_tag_is_in_the_history_of_the_articles_it_changed(editor_client, editor):
    untagged = ArticleFactory()
    tagged = ArticleFactory(tags=["Локализация"])
    run_action(editor_client, "add_tag", [untagged, tagged], tag="Локализация")
    assert "Добавлен тег «Локализация»" in only_change(untagged, editor)
    assert history(tagged) == []


def test_relink_is_in_the_history_naming_the_links(editor_client, editor, catalog):
    article = ArticleFactory(lead="Isuzu и Chevrolet.")
    unchanged = ArticleFactory(lead="Ничего из каталога.")
    run_action(editor_client, "relink_selected", [article, unchanged])
    message = only_change(article, editor)
    assert "Связи перепроверены" in message
    assert "Isuzu (компания)" in message
    assert history(unchanged) == []


def test_mentions_panel_decisions_are_in_the_history(editor_client, editor, catalog):
    article = ArticleFactory(lead="Тулпар Моторс в Киргизии.", body="")
    link_entities(article=article)
    plant = Company.objects.get(slug="tulpar-motors")
    url = f"/admin/articles/article/{article.pk}/mentions/"
    editor_client.post(f"{url}reject/", {"entity": f"companies.company:{plant.pk}"})
    editor_client.post(f"{url}restore/", {"entity": f"companies.company:{plant.pk}"})
    rejected, restored = (entry.get_change_message() for entry in history(article))
    assert rejected.startswith("Связь отклонена") and "Тулпар Моторс" in rejected
    assert restored.startswith("Связь восстановлена") and "Тулпар Моторс" in restored
    assert {entry.user for entry in history(article)} == {editor}


def test_deleting_from_the_list_is_in_the_history(editor_client, editor):
    article = ArticleFactory()
    editor_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    )
    [entry] = history(article)
    assert (entry.user, entry.action_flag) == (editor, DELETION)
