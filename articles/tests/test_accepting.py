"""Accepting a suggestion whose name the catalog has already, under any of its
names and forms: the accept page offers the existing entity, and the name
becomes its alias instead of a duplicate. The firms and people are fictional."""

import pytest
from django.contrib.auth.models import Permission, User

from articles.linking import link_entities, remove_link
from articles.models import ArticleCompany, EntitySuggestion, LinkOrigin, SuggestionOccurrence
from articles.tests.factories import ArticleFactory
from companies.models import Company
from companies.tests.factories import CompanyFactory, CountryFactory, OfficialFactory

CHANGELIST = "/admin/articles/entitysuggestion/"
Kind = EntitySuggestion.Kind
Status = EntitySuggestion.Status


def make_suggestion(name, kind, *articles):
    suggestion = EntitySuggestion.objects.create(name=name, kind=kind, mentions=len(articles))
    for article in articles:
        SuggestionOccurrence.objects.create(
            suggestion=suggestion, article=article, sentence=article.lead
        )
    return suggestion


def accept_url(suggestion):
    return f"{CHANGELIST}{suggestion.pk}/accept/"


@pytest.fixture
def plant(db):
    return CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors", aliases=["Jetigen Motors"])


@pytest.mark.parametrize(
    "suggested",
    [
        "Jetigen Motors",  # an alias
        "Жетиген Моторса",  # a case form the suggester could not undo
        "ОАО «Жетиген Моторс»",  # a legal form and quotes
        "Жетиген-Моторс",  # a hyphen for the space
        "жетиген моторс",  # case
    ],
)
def test_accept_page_offers_the_entity_the_catalog_has(admin_client, plant, suggested):
    suggestion = make_suggestion(suggested, Kind.ORGANISATION, ArticleFactory())
    page = admin_client.get(accept_url(suggestion))
    assert page.status_code == 200
    alias_form = page.context["alias_form"]
    assert [key for key, _label in alias_form.fields["entity"].choices] == [f"company:{plant.pk}"]
    content = page.content.decode()
    assert "Похоже, это уже есть в каталоге" in content
    assert f"/admin/companies/company/{plant.pk}/change/" in content
    assert "Добавить как другое название" in content and "Всё равно создать новую" in content


def test_a_match_of_another_kind_and_with_yo_is_offered(admin_client, db):
    # A person suggested with «е» where the catalog writes «ё».
    official = OfficialFactory(name="Пётр Алёшин", slug="petr-aleshin")
    suggestion = make_suggestion("Петр Алешин", Kind.PERSON, ArticleFactory())
    page = admin_client.get(accept_url(suggestion))
    assert [m for m, _name in page.context["matches"]] and official.name in page.content.decode()
    # A place suggested where the catalog knows a country under another name.
    country = CountryFactory(
        name="Жетисуйстан", slug="zhetisuistan", aliases=["Жетисуйская Республика"]
    )
    suggestion = make_suggestion("Жетисуйская Республика", Kind.PLACE, ArticleFactory())
    page = admin_client.get(accept_url(suggestion))
    assert page.context["alias_form"].fields["entity"].choices[0][0] == f"country:{country.pk}"


def test_a_new_name_shows_no_match(admin_client, plant):
    suggestion = make_suggestion("Каракол Агро", Kind.ORGANISATION, ArticleFactory())
    page = admin_client.get(accept_url(suggestion))
    assert page.context["matches"] == []
    assert "Добавить в каталог" in page.content.decode()


def test_adding_as_alias_links_the_existing_entity(admin_client, plant):
    article = ArticleFactory(lead="Станки для Жетиген Моторса прибыли.", body="")
    suggestion = make_suggestion("Жетиген Моторса", Kind.ORGANISATION, article)
    companies = Company.objects.count()
    response = admin_client.post(
        accept_url(suggestion),
        {"_alias": "1", "entity": f"company:{plant.pk}", "alias": "Жетиген Моторса"},
    )
    assert response.status_code == 302
    assert Company.objects.count() == companies  # no duplicate
    link = ArticleCompany.objects.get(article=article)
    assert (link.entity, link.origin) == (plant, LinkOrigin.LINKER)
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.entity) == (Status.ACCEPTED, plant)
    # A case form the linker reads as the name already is no alias worth keeping.
    plant.refresh_from_db()
    assert plant.aliases == ["Jetigen Motors"]


# Committed for real: the re-link and its message come once the save commits.
@pytest.mark.django_db(transaction=True)
def test_an_alias_the_linker_does_not_know_is_added(admin_client, plant):
    found_in = ArticleFactory(lead="Станки для Жетиген Моторса прибыли.", body="")
    other = ArticleFactory(lead="Zhetigen Motors нанял сто человек.", body="")
    link_entities(article=other)
    suggestion = make_suggestion("Жетиген Моторса", Kind.ORGANISATION, found_in)
    response = admin_client.post(
        accept_url(suggestion),
        {"_alias": "1", "entity": f"company:{plant.pk}", "alias": "Zhetigen Motors"},
        follow=True,
    )
    plant.refresh_from_db()
    assert plant.aliases == ["Jetigen Motors", "Zhetigen Motors"]
    # Articles beyond the suggestion's follow once the alias is saved.
    assert list(other.companies.all()) == [plant]
    content = response.content.decode()
    assert "«Zhetigen Motors» добавлено к другим названиям" in content
    assert "Связи перепроверены в статьях, где встречаются эти названия: 2" in content


def test_a_name_the_entity_has_is_not_added_twice(admin_client, plant):
    article = ArticleFactory(lead="Жетиген-Моторс открыл цех.", body="")
    suggestion = make_suggestion("Жетиген-Моторс", Kind.ORGANISATION, article)
    response = admin_client.post(
        accept_url(suggestion),
        {"_alias": "1", "entity": f"company:{plant.pk}", "alias": "Жетиген-Моторс"},
        follow=True,
    )
    plant.refresh_from_db()
    assert plant.aliases == ["Jetigen Motors"]
    assert list(article.companies.all()) == [plant]
    assert "в статьях уже находится компания" in response.content.decode()


def test_adding_as_alias_keeps_an_editors_removal(admin_client, plant):
    kept = ArticleFactory(lead="Жетиген Моторса открыл цех.", body="")
    removed = ArticleFactory(lead="Жетиген Моторса закрыл цех.", body="")
    remove_link(article=removed, entity=plant)
    suggestion = make_suggestion("Жетиген Моторса", Kind.ORGANISATION, kept, removed)
    admin_client.post(
        accept_url(suggestion),
        {"_alias": "1", "entity": f"company:{plant.pk}", "alias": "Жетиген Моторса"},
    )
    assert list(kept.companies.all()) == [plant]
    assert list(removed.companies.all()) == []


def test_creating_needs_the_editor_to_have_seen_the_match(admin_client, plant):
    suggestion = make_suggestion("Jetigen Motors", Kind.ORGANISATION, ArticleFactory())
    data = {
        "target": "company",
        "name": "Jetigen Motors",
        "slug": "jetigen-motors",
        "company_kind": "other",
    }
    response = admin_client.post(accept_url(suggestion), data)
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not Company.objects.filter(slug="jetigen-motors").exists()
    # «Всё равно создать новую» sends the matches the page showed.
    response = admin_client.post(accept_url(suggestion), {**data, "seen": f"company:{plant.pk}"})
    assert response.status_code == 302
    assert Company.objects.filter(slug="jetigen-motors").exists()


def test_a_name_changed_on_the_form_is_checked_too(admin_client, plant):
    suggestion = make_suggestion("Каракол Агро", Kind.ORGANISATION, ArticleFactory())
    response = admin_client.post(
        accept_url(suggestion),
        {"target": "company", "name": "Jetigen Motors", "slug": "jm", "company_kind": "other"},
    )
    assert response.status_code == 200
    assert [key for key, _ in response.context["alias_form"].fields["entity"].choices] == [
        f"company:{plant.pk}"
    ]


def test_adding_an_alias_needs_change_permission(client, plant):
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_entitysuggestion", "change_entitysuggestion", "add_official"]
        )
    )
    client.force_login(editor)
    suggestion = make_suggestion("Jetigen Motors", Kind.ORGANISATION, ArticleFactory())
    page = client.get(accept_url(suggestion))
    assert page.context["alias_form"].fields["entity"].choices == []
    assert "нет прав на их изменение" in page.content.decode()
    client.post(accept_url(suggestion), {"_alias": "1", "entity": f"company:{plant.pk}"})
    plant.refresh_from_db()
    assert plant.aliases == ["Jetigen Motors"]
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW


@pytest.mark.django_db(transaction=True)
def test_accepting_relinks_the_other_articles_naming_it(admin_client):
    found_in = ArticleFactory(lead="Каракол Агро купил тракторы.", body="")
    written_since = ArticleFactory(lead="Тракторы для Каракол Агро прибыли.", body="")
    unrelated = ArticleFactory(lead="Погода в горах.", body="")
    suggestion = make_suggestion("Каракол Агро", Kind.ORGANISATION, found_in)
    response = admin_client.post(
        accept_url(suggestion),
        {
            "target": "company",
            "name": "Каракол Агро",
            "slug": "karakol-agro",
            "company_kind": "other",
        },
        follow=True,
    )
    company = Company.objects.get(slug="karakol-agro")
    assert list(written_since.companies.all()) == [company]
    assert not unrelated.companies.exists()
    assert "Связи перепроверены в статьях, где встречаются эти названия: 2" in (
        response.content.decode()
    )
