"""The article list's filters, date drill-down and pages, as cheap as they are
now, still show what they did: for each user what they may see."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article
from articles.roles import AUTHOR, setup_roles
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory

CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def chief(client, db):
    client.force_login(User.objects.create_superuser("chief", password="x"))
    return client


def filter_choices(response, title: str) -> list[str]:
    spec = next(s for s in response.context["cl"].filter_specs if s.title == title)
    return [choice["display"] for choice in spec.choices(response.context["cl"])][1:]


def test_the_company_filter_offers_the_companies_of_articles_the_user_may_see(client, db):
    setup_roles()
    author = User.objects.create_user("author", password="x", is_staff=True)
    author.groups.add(Group.objects.get(name=AUTHOR))
    other = User.objects.create_user("other", password="x", is_staff=True)
    shown, hidden, unlinked = (CompanyFactory(name=n) for n in ("Альфа", "Бета", "Гамма"))
    ArticleFactory().companies.add(shown)
    ArticleFactory(status=Article.Status.DRAFT, author=other).companies.add(hidden)
    client.force_login(author)
    response = client.get(CHANGELIST)
    assert filter_choices(response, "компании") == ["Альфа"]
    assert unlinked.name not in filter_choices(response, "компании")


def test_the_company_filter_keeps_the_linked_articles_once_each(chief):
    company = CompanyFactory()
    linked = ArticleFactory(title="Связана")
    linked.companies.add(company, CompanyFactory())
    ArticleFactory(title="Нет")
    response = chief.get(CHANGELIST, {"companies__id__exact": company.pk})
    assert [a.title for a in response.context["cl"].result_list] == ["Связана"]
    assert chief.get(CHANGELIST, {"companies__id__exact": "x"}).context["cl"].result_count == 0


def test_the_date_drill_down_offers_every_year_of_the_archive(chief):
    now = timezone.now()
    ArticleFactory(published_at=now)
    ArticleFactory(published_at=now - dt.timedelta(days=3 * 366))
    html = chief.get(CHANGELIST).content.decode()
    for year in range(timezone.localtime(now).year - 3, timezone.localtime(now).year + 1):
        assert f"?published_at__year={year}" in html


def test_a_later_page_shows_its_own_rows_with_their_figures(chief, monkeypatch):
    from articles.admin.articles import ArticleAdmin

    monkeypatch.setattr(ArticleAdmin, "list_per_page", 2)
    now = timezone.now()
    company = CompanyFactory()
    for n in range(5):
        article = ArticleFactory(title=f"Статья {n}", published_at=now - dt.timedelta(hours=n))
        article.companies.add(company)
    response = chief.get(CHANGELIST, {"p": 2})
    rows = list(response.context["cl"].result_list)
    assert [a.title for a in rows] == ["Статья 2", "Статья 3"]
    assert [a.n_companies for a in rows] == [1, 1]
