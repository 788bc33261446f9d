"""What the admin says after an editor acts, in the case and gender of what was acted
on: saving, adding, deleting, list actions, refused values, the history and the
page around them (``articles/admin/russian.py``)."""

import datetime as dt
import html
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import ArticleCompany, EntitySuggestion, Tag
from articles.tests.adminforms import add_inline_row, form_data
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory, CountryFactory

ARTICLES = "/admin/articles/article/"


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def change_url(obj) -> str:
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


def save_unchanged(client, obj, button: str):
    data = form_data(client.get(change_url(obj)))
    return client.post(change_url(obj), {**data, button: "1"}, follow=True)


def test_saving_agrees_with_the_records_gender(admin_client):
    article = ArticleFactory(title="Завод открыт")
    tag = Tag.objects.create(name="Грузовики")
    link = f'<a href="{change_url(article)}">Завод открыт</a>'
    assert said(save_unchanged(admin_client, article, "_continue")) == [
        f"Статья «{link}» успешно изменена. Ниже можно продолжить правку."
    ]
    assert said(save_unchanged(admin_client, tag, "_save"))[0].endswith("» успешно изменён.")
    assert (
        "Ниже можно добавить ещё одну статью."
        in said(save_unchanged(admin_client, article, "_addanother"))[0]
    )


def test_adding_and_deleting(admin_client):
    response = admin_client.post(
        "/admin/auth/group/add/", {"name": "Выпускающие", "_addanother": "1"}, follow=True
    )
    link = f'<a href="{change_url(Group.objects.get())}">Выпускающие</a>'
    assert said(response) == [
        f"Группа «{link}» успешно добавлена. Ниже можно добавить ещё одну группу."
    ]
    article = ArticleFactory(title="Завод открыт")
    response = admin_client.post(f"{ARTICLES}{article.pk}/delete/", {"post": "yes"}, follow=True)
    assert said(response) == ["Статья «Завод открыт» успешно удалена."]


def test_a_record_that_is_gone(admin_client):
    response = admin_client.get(f"{ARTICLES}999999/change/", follow=True)
    assert said(response) == ["Статья с ID «999999» не найдена. Возможно, её удалили."]


def test_deleting_several_counts_them(admin_client):
    articles = ArticleFactory.create_batch(3)
    selected = {"action": "delete_selected", "_selected_action": [a.pk for a in articles[:2]]}
    page = admin_client.post(ARTICLES, selected).content.decode()
    assert "Вы уверены, что хотите удалить 2 статьи?" in page
    response = admin_client.post(ARTICLES, {**selected, "post": "yes"}, follow=True)
    assert said(response) == ["Удалено: 2 статьи."]


@pytest.mark.parametrize(("count", "ending"), [(1, "к 1 статье."), (2, "к 2 статьям.")])
def test_adding_a_tag_to_articles(admin_client, count, ending):
    articles = ArticleFactory.create_batch(count)
    data = {"action": "add_tag", "_selected_action": [a.pk for a in articles], "tag": "Экспорт"}
    response = admin_client.post(ARTICLES, data, follow=True)
    assert said(response) == [f"Тег «Экспорт» добавлен {ending}"]


def test_rejecting_one_suggestion(admin_client):
    suggestion = EntitySuggestion.objects.create(name="Иван Вымыслов", kind="person")
    data = {"action": "reject_selected", "_selected_action": [suggestion.pk]}
    response = admin_client.post("/admin/articles/entitysuggestion/", data, follow=True)
    assert said(response) == ["Отклонено предложений: 1. Оно больше не появится."]


def field_errors(response, field: str) -> list[str]:
    return response.context["adminform"].form.errors.get(field, [])


def test_a_taken_slug_is_named_in_the_instrumental(admin_client):
    ArticleFactory(slug="zavod")
    response = admin_client.post(f"{ARTICLES}add/", {"title": "Завод", "slug": "zavod"})
    assert field_errors(response, "slug") == ["Статья с таким слагом уже существует."]
    CompanyFactory(slug="tulpar")
    response = admin_client.post("/admin/companies/company/add/", {"slug": "tulpar"})
    assert field_errors(response, "slug") == ["Компания с таким слагом уже существует."]
    CountryFactory(iso_code="KG")
    response = admin_client.post("/admin/companies/country/add/", {"iso_code": "KG"})
    assert field_errors(response, "iso_code") == ["Страна с таким кодом ISO 3166 уже существует."]


def test_a_taken_value_of_a_field_django_declares(admin_client):
    Group.objects.create(name="Выпускающие")
    response = admin_client.post("/admin/auth/group/add/", {"name": "Выпускающие"})
    assert field_errors(response, "name") == ["Такое значение уже есть у другой группы."]


def test_a_tag_twice_in_the_form_is_named_by_its_label(admin_client):
    article, tag = ArticleFactory(), Tag.objects.create(name="Грузовики")
    data = form_data(admin_client.get(change_url(article)))
    for _ in range(2):
        add_inline_row(data, "taggedarticle_set", tag=tag.pk)
    page = admin_client.post(change_url(article), data).content.decode()
    assert "в поле &quot;Тег&quot;" in page
    assert "&quot;tag&quot;" not in page


def test_the_form_names_its_inlines_and_columns_in_russian(admin_client):
    page = admin_client.get(change_url(ArticleFactory())).content.decode()
    buttons = [
        json.loads(html.unescape(data))["options"]["addText"]
        for data in re.findall(r'data-inline-formset="([^"]*)"', page)
    ]
    assert "Добавить ещё одну связь с компанией" in buttons
    assert "Добавить ещё один тег" in buttons
    assert '<th class="column-tag required">Тег' in page


def test_the_history_agrees_with_what_changed(admin_client):
    article, company = ArticleFactory(), CompanyFactory(name="Завод «Вымышленный»")
    link = ArticleCompany.objects.create(article=article, entity=company)
    message = [
        {"added": {"name": "связь с компанией", "object": str(link)}},
        {"changed": {"fields": ["Заголовок", "Слаг"]}},
        {"deleted": {"name": "тег статьи", "object": "Грузовики"}},
    ]
    LogEntry.objects.log_actions(
        user_id=admin_client.session["_auth_user_id"],
        queryset=[article],
        action_flag=2,
        change_message=json.dumps(message),
        single_object=True,
    )
    page = admin_client.get(f"{ARTICLES}{article.pk}/history/").content.decode()
    assert f"Добавлена связь с компанией «{link}»." in page.replace("&quot;", '"')
    assert "Изменено: Заголовок и Слаг." in page
    assert "Удалён тег статьи «Грузовики»." in page


def test_the_list_counts_and_drills_down_by_day(admin_client):
    day = timezone.make_aware(dt.datetime(2025, 8, 16, 10, 0))
    ArticleFactory.create_batch(5, published_at=day)
    page = admin_client.get(ARTICLES).content.decode()
    assert "5 статей" in page
    assert "Выберите статью для изменения" in page
    assert "Добавить статью" in page
    august = admin_client.get(ARTICLES, {"published_at__year": 2025, "published_at__month": 8})
    assert "16 августа" in august.content.decode()


def test_the_header_names_the_portal(admin_client, settings):
    page = admin_client.get("/admin/").content.decode()
    assert f"<title>Редакция | {settings.SITE_NAME}</title>" in page
    assert f'<a href="/admin/">{settings.SITE_NAME}</a>' in page
