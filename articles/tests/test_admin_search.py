"""The article list's search is the portal's Russian search: word forms, ranking,
drafts for those who may see them, the list's filters and the access rules."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.admin import search as admin_search
from articles.models import Article
from articles.roles import AUTHOR, setup_roles
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def chief(client, db):
    client.force_login(User.objects.create_superuser("chief", password="x"))
    return client


def found(client, **params) -> list[str]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [article.title for article in response.context["cl"].result_list]


def test_any_form_of_a_word_finds_every_form(chief):
    ArticleFactory(title="Открытие", lead="Цех завода готов.", body="Текст.")
    ArticleFactory(title="Визит", lead="Лид.", body="Министр приехал на заводы региона.")
    ArticleFactory(title="Мимо", lead="Лид.", body="Про фабрику.")
    assert sorted(found(chief, q="заводом")) == ["Визит", "Открытие"]


def test_headline_matches_rank_above_lead_and_body_matches(chief):
    now, day = timezone.now(), dt.timedelta(days=1)
    # Newest first in the list's own order: the ranking must reverse it.
    ArticleFactory(title="Тема", lead="Лид.", body="Новый завод.", published_at=now)
    ArticleFactory(title="Лид", lead="Про завод.", body="Текст.", published_at=now - day)
    ArticleFactory(title="Завод", lead="Лид.", body="Текст.", published_at=now - 2 * day)
    assert found(chief, q="завод") == ["Завод", "Лид", "Тема"]
    # A column the editor sorts by still wins over the rank.
    assert found(chief, q="завод", o="3") == ["Завод", "Лид", "Тема"]
    assert found(chief, q="завод", o="-3") == ["Тема", "Лид", "Завод"]


def test_every_word_must_occur(chief):
    ArticleFactory(title="Завод в Оше", body="Текст.")
    ArticleFactory(title="Завод в Бишкеке", body="Текст.")
    assert found(chief, q="заводы Оша") == ["Завод в Оше"]
    assert found(chief, q="в") == []  # a word without meaning finds nothing


def test_search_keeps_the_lists_filters(chief):
    company = CompanyFactory()
    linked = ArticleFactory(title="Завод один", body="Текст.")
    linked.companies.add(company)
    ArticleFactory(title="Завод два", body="Текст.")
    ArticleFactory(title="Завод черновик", status=Article.Status.DRAFT)
    assert found(chief, q="завод", companies__id__exact=company.pk) == ["Завод один"]
    assert found(chief, q="завод", state="draft") == ["Завод черновик"]
    assert sorted(found(chief, q="завод")) == ["Завод два", "Завод один", "Завод черновик"]


def test_an_author_finds_no_one_elses_draft(client, db):
    setup_roles()
    author = User.objects.create_user("author", password="x", is_staff=True)
    author.groups.add(Group.objects.get(name=AUTHOR))
    other = User.objects.create_user("other", password="x", is_staff=True)
    ArticleFactory(title="Завод мой", status=Article.Status.DRAFT, author=author)
    ArticleFactory(title="Завод чужой", status=Article.Status.DRAFT, author=other)
    ArticleFactory(title="Завод на сайте")
    client.force_login(author)
    assert sorted(found(client, q="завод")) == ["Завод мой", "Завод на сайте"]


def test_beyond_the_ranked_matches_the_newest_are_shown_and_the_list_says_so(chief, monkeypatch):
    monkeypatch.setattr(admin_search, "RANKED_MATCHES", 3)
    now = timezone.now()
    for n in range(5):
        ArticleFactory(title=f"Завод {n}", published_at=now - dt.timedelta(days=n))
    response = chief.get(CHANGELIST, {"q": "завод"})
    assert sorted(a.title for a in response.context["cl"].result_list) == [
        "Завод 0",
        "Завод 1",
        "Завод 2",
    ]
    assert "Совпадений больше 3" in response.content.decode()
