"""Publishing dates an article at the moment it goes out, by every route, unless the
editor entered the date on purpose (changed it in the same save, or set it in the future)."""

import datetime as dt

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from articles.models import Article
from articles.roles import EDITOR, setup_roles
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory

CHANGELIST = "/admin/articles/article/"
TWO_DAYS_AGO = dt.timedelta(days=2, hours=1)


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


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


@pytest.fixture
def old_draft(db):
    """A draft written two days ago: its date is the day it was written."""
    return ArticleFactory(
        status=Article.Status.DRAFT,
        slug="staryi-chernovik",
        published_at=timezone.now() - TWO_DAYS_AGO,
    )


def publish_through_the_form(client, article, **changes):
    data = form_data(client.get(change_url(article)))
    data.update(status=Article.Status.PUBLISHED, **changes)
    return client.post(change_url(article), data, follow=True)


def date_fields(moment: dt.datetime) -> dict:
    local = timezone.localtime(moment)
    return {"published_at_0": local.strftime("%d.%m.%Y"), "published_at_1": local.strftime("%H:%M")}


def in_news_sitemap(article) -> bool:
    content = Client().get("/news-sitemap.xml").content.decode()
    return f"/news/{article.slug}/" in content


# The status field ------------------------------------------------------------


def test_a_draft_published_through_the_status_field_is_dated_now(editor_client, old_draft):
    before = timezone.now()
    response = publish_through_the_form(editor_client, old_draft)
    assert response.status_code == 200
    old_draft.refresh_from_db()
    assert old_draft.is_public
    assert before <= old_draft.published_at <= timezone.now()
    assert in_news_sitemap(old_draft)
    today = date_format(timezone.localtime(), "j E Y")
    assert today in Client().get(old_draft.get_absolute_url()).content.decode()


def test_the_editor_is_told_which_date_the_article_got(editor_client, old_draft):
    form = editor_client.get(change_url(old_draft)).content.decode()
    assert "при публикации статья получит время публикации" in form
    response = publish_through_the_form(editor_client, old_draft)
    assert "(момент публикации)" in response.content.decode()


def test_the_history_says_the_date_changed_on_publishing(editor_client, old_draft):
    publish_through_the_form(editor_client, old_draft)
    entry = LogEntry.objects.get(object_id=str(old_draft.pk))
    assert "Дата публикации" in entry.get_change_message()


def test_a_date_the_editor_enters_in_the_same_save_is_kept(editor_client, old_draft):
    chosen = timezone.now() - dt.timedelta(days=5)
    response = publish_through_the_form(editor_client, old_draft, **date_fields(chosen))
    old_draft.refresh_from_db()
    assert old_draft.published_at == timezone.localtime(chosen).replace(second=0, microsecond=0)
    assert "с датой, которую вы указали" in response.content.decode()


def test_a_future_date_schedules_the_article_for_then(editor_client, old_draft):
    later = timezone.now() + dt.timedelta(days=1)
    response = publish_through_the_form(editor_client, old_draft, **date_fields(later))
    old_draft.refresh_from_db()
    assert old_draft.state == Article.State.SCHEDULED
    assert old_draft.published_at == timezone.localtime(later).replace(second=0, microsecond=0)
    assert "Статья запланирована" in response.content.decode()


def test_a_draft_already_dated_in_the_future_keeps_its_schedule(editor_client):
    later = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=later)
    publish_through_the_form(editor_client, draft)
    draft.refresh_from_db()
    assert (draft.state, draft.published_at) == (Article.State.SCHEDULED, later)


def test_editing_a_published_article_keeps_its_date(editor_client):
    published = ArticleFactory(published_at=timezone.now() - TWO_DAYS_AGO)
    date = published.published_at.replace(microsecond=0)  # the form shows seconds
    data = form_data(editor_client.get(change_url(published)))
    data["title"] = "Поправленный заголовок"
    assert editor_client.post(change_url(published), data).status_code == 302
    published.refresh_from_db()
    assert published.published_at == date


def test_an_entered_date_survives_a_refused_save(editor_client, old_draft):
    """The re-shown form still knows which date the editor entered."""
    ArticleFactory(slug="zanyatyi-adres")
    chosen = timezone.now() - dt.timedelta(days=5)
    data = form_data(editor_client.get(change_url(old_draft)))
    data.update(status=Article.Status.PUBLISHED, slug="zanyatyi-adres", **date_fields(chosen))
    refused = editor_client.post(change_url(old_draft), data)
    assert refused.status_code == 200
    again = form_data(refused)
    again["slug"] = "svobodnyi-adres"
    assert editor_client.post(change_url(old_draft), again).status_code == 302
    old_draft.refresh_from_db()
    assert old_draft.published_at == timezone.localtime(chosen).replace(second=0, microsecond=0)


def test_a_new_article_published_at_once_is_dated_at_the_save(editor_client):
    data = form_data(editor_client.get("/admin/articles/article/add/"))
    data.update(title="Новая", lead="Лид.", status=Article.Status.PUBLISHED)
    before = timezone.now()
    assert editor_client.post("/admin/articles/article/add/", data).status_code == 302
    assert Article.objects.get().published_at >= before.replace(microsecond=0)


# The list's action and the schedule ----------------------------------------------


def test_publish_now_dates_a_draft_now(editor_client, old_draft):
    before = timezone.now()
    editor_client.post(
        CHANGELIST, {"action": "publish_selected", "_selected_action": [old_draft.pk]}
    )
    old_draft.refresh_from_db()
    assert old_draft.is_public
    assert old_draft.published_at >= before
    assert in_news_sitemap(old_draft)


def test_publish_now_leaves_articles_already_out_as_they_are(editor_client):
    out = ArticleFactory(published_at=timezone.now() - TWO_DAYS_AGO)
    date, version = out.published_at, out.version
    editor_client.post(CHANGELIST, {"action": "publish_selected", "_selected_action": [out.pk]})
    out.refresh_from_db()
    assert (out.published_at, out.version) == (date, version)


def test_a_scheduled_article_comes_out_dated_at_its_time(editor_client, old_draft, monkeypatch):
    later = timezone.now() + dt.timedelta(hours=3)
    publish_through_the_form(editor_client, old_draft, **date_fields(later))
    old_draft.refresh_from_db()
    assert not in_news_sitemap(old_draft)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=4))
    assert old_draft.is_public
    assert old_draft.published_at == timezone.localtime(later).replace(second=0, microsecond=0)
    assert in_news_sitemap(old_draft)
