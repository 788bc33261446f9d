"""Every admin page reads as Russian: a superuser walks them all (the front page,
each app, and for every registered model its list, a date drill-down, the add form,
a record's form, its deletion, its history, the deletion of several) over a desk
where every list has rows, and no page may show a known broken pattern."""

import datetime as dt
import html
import json
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_q.models import Task
from django_q.tasks import async_task
from taggit.models import Tag as TaggitTag

from articles.admin.wording import NOUNS
from articles.models import (
    ArticleCompany,
    ArticleCountry,
    ArticleOfficial,
    ArticleVehicleModel,
    EntitySuggestion,
    SuggestionOccurrence,
)
from articles.tests.adminforms import add_inline_row, form_data
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)
from following.models import Delivery, Reader, Subscription
from inbox.models import InboxItem, Source

AUGUST_16 = timezone.make_aware(dt.datetime(2025, 8, 16, 10, 0))
MONTHS = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"
ENGLISH_MONTHS = (
    "January February March April May June July August September October November December"
)
VERBS = "добавить|выберите|изменить|просмотреть|удалить"


@pytest.fixture
def desk(db, client):
    """A newsroom with a row in every list the admin has, and an editor's history."""
    client.force_login(User.objects.create_superuser("glavred", "glavred@example.kg", "x"))
    Group.objects.create(name="Редакторы")
    country = CountryFactory(name="Страна Вымышленная")
    company = CompanyFactory(name="Завод «Вымышленный»", country=country)
    articles = ArticleFactory.create_batch(3, published_at=AUGUST_16)
    article = articles[0]
    article.tags.add("Грузовики")
    ArticleCountry.objects.create(article=article, entity=country)
    ArticleCompany.objects.create(article=article, entity=company)
    ArticleVehicleModel.objects.create(article=article, entity=VehicleModelFactory())
    ArticleOfficial.objects.create(article=article, entity=OfficialFactory(country=country))
    suggestion = EntitySuggestion.objects.create(name="Иван Вымыслов", kind="person", mentions=2)
    SuggestionOccurrence.objects.create(suggestion=suggestion, article=article, sentence="…")
    TaggitTag.objects.create(name="Старый тег", slug="staryi-teg")
    request = {"ip_address": "127.0.0.1", "user_agent": "Firefox", "http_accept": "*/*"}
    request |= {"username": "gost", "path_info": "/admin/login/"}
    AccessAttempt.objects.create(**request, get_data="", post_data="", failures_since_start=2)
    AccessLog.objects.create(**request)
    AccessFailureLog.objects.create(**request)
    inbox_and_jobs()
    readers_mail()
    edit_with_a_new_link(client, article)
    return articles


def inbox_and_jobs():
    """A source with an item, and the job runner's lists: a queued, a successful and a
    failed job (the minute's schedule comes with the migrations)."""
    source = Source.objects.create(name="Агентство «Вымысел»", kind="rss", address="https://a.kg/")
    InboxItem.objects.create(source=source, title="Завод открыт", received_at=AUGUST_16)
    async_task("inbox.jobs.link_items", [1])
    for n, success in enumerate([True, False]):
        Task.objects.create(
            id=f"{n:032x}",
            name=f"Связи входящих {n}",
            func="inbox.jobs.link_items",
            started=AUGUST_16,
            stopped=AUGUST_16,
            success=success,
            result=0 if success else "Traceback: ValueError",
        )


def readers_mail():
    """A reader following a company, and a message sent to them."""
    reader = Reader.objects.create(email="chitatel@mail.example.org", confirmed_at=AUGUST_16)
    Subscription.objects.create(reader=reader, target_kind="companies", target_id=1)
    Delivery.objects.create(reader=reader, kind="daily", period="2025-08-16", status="sent")


def edit_with_a_new_link(client, article):
    """Change the headline and add a company link through the form, as an editor
    would: the history then holds Django's record of both."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(url))
    data["title"] = "Новый заголовок"
    add_inline_row(data, "articlecompany_set", entity=CompanyFactory().pk)
    assert client.post(url, data).status_code == 302


def as_superuser():
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="glavred")
    return request


def registered_models():
    return [model for model in apps.get_models() if admin.site.is_registered(model)]


def pages(model) -> list[str]:
    """The addresses of every page the admin has for ``model``, as the superuser sees them."""
    opts, model_admin, request = model._meta, admin.site.get_model_admin(model), as_superuser()
    name = f"admin:{opts.app_label}_{opts.model_name}"
    obj = model_admin.get_queryset(request).first()
    assert obj is not None, f"seed a {opts.label} row: its list is empty"
    changelist = reverse(f"{name}_changelist")
    urls = [changelist, reverse(f"{name}_change", args=[obj.pk])]
    urls.append(reverse(f"{name}_history", args=[obj.pk]))
    if model_admin.has_add_permission(request):
        urls.append(reverse(f"{name}_add"))
    if model_admin.has_delete_permission(request, obj):
        urls.append(reverse(f"{name}_delete", args=[obj.pk]))
    if field := model_admin.date_hierarchy:
        day = timezone.localtime(getattr(obj, field))
        drill = [f"{field}__year={day.year}", f"{field}__month={day.month}"]
        drill.append(f"{field}__day={day.day}")
        urls += [f"{changelist}?{'&'.join(drill[:n])}" for n in (1, 2, 3)]
    return urls


def visible_text(page: str) -> str:
    """The words a reader meets: text between tags (each tag a break), the title, and
    the labels of the inline forms' add buttons (in a data attribute, for the script)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    add_buttons = [
        json.loads(html.unescape(data))["options"]["addText"]
        for data in re.findall(r'data-inline-formset="([^"]*)"', page)
    ]
    text = re.sub(r"<[^>]+>", " ¦ ", page)
    return html.unescape(" ¦ ".join([text, *add_buttons]))


def header_cells(page: str) -> list[str]:
    """The column headers: a list's (``scope="col"``) and an inline table's (``column-…``);
    a row's first cell is a ``<th>`` too, but it holds a record's name."""
    header = r'<th\b[^>]*(?:scope="col"|class="column-)[^>]*>(.*?)</th>'
    cells = re.findall(header, page, flags=re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]


def broken_russian(page: str) -> list[str]:
    """The known broken patterns ``page`` shows."""
    text, problems = visible_text(page), []
    for noun in NOUNS.values():
        if noun.nominative != noun.accusative:
            wrong = rf"\b(?:{VERBS})\s+{re.escape(noun.nominative)}\b"
            problems += re.findall(wrong, text, flags=re.IGNORECASE)
        for form in {noun.nominative, noun.accusative}:
            for one in re.findall(rf"\bещ[её]\s+(\w+)\s+{re.escape(form)}\b", text, re.I):
                expected = noun.one_more.split()[1]
                if one.lower() != expected or form != noun.accusative:
                    problems.append(f"ещё {one} {form}")
        problems += wrong_counts(noun, text)
    problems += re.findall(r"\bбыл\s+(?:успешно|изменен|удален)\w*", text)
    problems += re.findall(rf"\b\d{{1,2}}\s+(?:{MONTHS.replace(' ', '|')})\b", text, re.I)
    problems += re.findall(rf"\b(?:{ENGLISH_MONTHS.replace(' ', '|')})\b", text)
    latin = [cell for cell in header_cells(page) if re.fullmatch(r"[A-Za-z][\w .\-/]*", cell)]
    problems += [f"<th>{cell}</th>" for cell in latin if cell.isascii()]
    return problems


def wrong_counts(noun, text: str) -> list[str]:
    """«137 статьи», «7 предложенные сущности»: a number before a form it does not take."""
    problems = []
    for form in {noun.nominative, noun.few, noun.plural, noun.genitive_plural}:
        for number in re.findall(rf"(?<![\d.,:])(\d+)\s+{re.escape(form)}\b", text, re.I):
            n = int(number)
            allowed = {
                phrase.split(" ", 1)[1]
                for phrase in (noun.count(n), noun.count_accusative(n), noun.count_genitive(n))
            }
            if form not in allowed:
                problems.append(f"{n} {form}")
    return problems


def test_every_admin_page_reads_as_russian(desk, client):
    urls = [reverse("admin:index")]
    urls += [reverse("admin:app_list", args=[label]) for label in {"articles", "companies"}]
    for model in registered_models():
        urls += pages(model)
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        if found := broken_russian(response.content.decode()):
            problems[url] = found
    assert not problems


def test_deleting_several_asks_in_the_right_case(desk, client):
    for model in registered_models():
        model_admin = admin.site.get_model_admin(model)
        request = as_superuser()
        if "delete_selected" not in model_admin.get_actions(request):
            continue
        pks = list(model_admin.get_queryset(request).values_list("pk", flat=True)[:3])
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        data = {"action": "delete_selected", "_selected_action": pks}
        page = client.post(url, data).content.decode()
        assert "Вы уверены, что хотите удалить" in page or "Удаление" in page, url
        assert not broken_russian(page), url


def test_the_checks_catch_what_django_says_unaided():
    # The patterns the issue reported, as Django's Russian admin wrote them.
    for page in [
        '<a class="addlink">Добавить статья</a>',
        "<h1>Выберите статья для изменения</h1>",
        "<li>Статья «Новость» был успешно добавлен.</li>",
        "<p>137 статьи</p>",
        "<p>7 предложенные сущности</p>",
        "<p>Добавить еще один Связь с компанией</p>",
        '<table><th class="column-tag required">Tag</th></table>',
        "<a>16 Август</a>",
        "<a>16 August</a>",
    ]:
        assert broken_russian(page), page
    for page in [
        "<p>137 статей, 3 статьи, 21 статья; удалить 3 пользователей</p>",
        "<p>16 августа</p>",
    ]:
        assert not broken_russian(page), page
