import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.admin.entities import EntityAdmin
from articles.linking import add_link, link_entities, remove_link
from articles.merging import merge_entities
from articles.models import ArticleCompany, LinkOrigin, RejectedLink
from articles.tests.factories import ArticleFactory
from companies.kinds import KINDS
from companies.models import Company, Country, Official, VehicleModel
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)


@pytest.fixture
def plant_articles(catalog):
    articles = [
        ArticleFactory(lead="Тулпар Моторс собирает Chevrolet Tracker."),
        ArticleFactory(lead="Новости Тулпар Моторс."),
    ]
    for article in articles:
        link_entities(article=article)
    return articles


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_has_an_entity_admin(kind):
    # A kind added to the registry gets its counts, mentions and merging here.
    assert isinstance(admin.site.get_model_admin(kind.model), EntityAdmin)


def test_list_shows_article_counts(admin_client, plant_articles):
    content = admin_client.get("/admin/companies/company/").content.decode()
    assert "Тулпар Моторс" in content
    response = admin_client.get("/admin/companies/company/", {"q": "Тулпар"})
    (plant,) = response.context["cl"].result_list
    assert plant.n_articles == 2


@pytest.mark.parametrize("term", ["Tulpar", "tulpar motors", "тулпар"])
def test_search_by_name_and_alias(admin_client, catalog, term):
    response = admin_client.get("/admin/companies/company/", {"q": term})
    assert [c.slug for c in response.context["cl"].result_list] == ["tulpar-motors"]


def test_autocomplete_finds_entities_by_alias(admin_client, catalog):
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "term": "Киргизия",
            "app_label": "articles",
            "model_name": "articlecountry",
            "field_name": "entity",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Кыргызстан"]


def test_list_query_count_is_the_same_for_1_and_100_entities(admin_client, db):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/admin/companies/company/").status_code == 200
        return len(captured)

    article = ArticleFactory()
    add_link(article=article, entity=CompanyFactory(country=Country.objects.create(name="А")))
    admin_client.get("/admin/companies/company/")
    one = queries()
    for company in CompanyFactory.create_batch(99):
        add_link(article=article, entity=company)
    assert queries() == one


def test_aliases_are_edited_one_per_line(admin_client, catalog):
    country = Country.objects.get(slug="kyrgyzstan")
    page = admin_client.get(f"/admin/companies/country/{country.pk}/change/").content.decode()
    assert "Киргизия\nКР" in page
    response = admin_client.post(
        f"/admin/companies/country/{country.pk}/change/",
        {
            "name": "Кыргызстан",
            "slug": "kyrgyzstan",
            "iso_code": "KG",
            "aliases": "Киргизия\n  Киргизстан \n\nКиргизия",
        },
    )
    assert response.status_code == 302
    country.refresh_from_db()
    assert country.aliases == ["Киргизия", "Киргизстан"]


def test_change_page_lists_mentioning_articles(admin_client, plant_articles):
    plant = Company.objects.get(slug="tulpar-motors")
    content = admin_client.get(f"/admin/companies/company/{plant.pk}/change/").content.decode()
    for article in plant_articles:
        assert f'/admin/articles/article/{article.pk}/change/">{article.title}</a>' in content


def test_changed_entity_slug_redirects(admin_client, client, catalog):
    official = Official.objects.get(slug="roman-chekushov")
    admin_client.post(
        f"/admin/companies/official/{official.pk}/change/",
        {
            "name": official.name,
            "slug": "chekushov-roman",
            "position": official.position,
            "organization": official.organization_id,
            "country": official.country_id,
            "aliases": "",
        },
    )
    response = client.get("/officials/roman-chekushov/")
    assert (response.status_code, response["Location"]) == (301, "/officials/chekushov-roman/")


# Merging ------------------------------------------------------------------------


def test_merge_action_asks_which_to_keep_then_merges(admin_client, plant_articles):
    duplicate = Company.objects.create(
        name="Тулпар Моторз", slug="tulpar-motorz", aliases=["ТМ"], kind="assembly_plant"
    )
    extra = ArticleFactory(lead="Статья про дубликат.")
    add_link(article=extra, entity=duplicate)
    plant = Company.objects.get(slug="tulpar-motors")
    selected = {"action": "merge_selected", "_selected_action": [plant.pk, duplicate.pk]}

    page = admin_client.post("/admin/companies/company/", selected)
    assert "Какую запись оставить?" in page.content.decode()

    admin_client.post("/admin/companies/company/", {**selected, "survivor": plant.pk})
    assert not Company.objects.filter(pk=duplicate.pk).exists()
    plant.refresh_from_db()
    assert set(plant.articles.all()) == {*plant_articles, extra}
    assert "Тулпар Моторз" in plant.aliases and "ТМ" in plant.aliases
    assert admin_client.get("/companies/tulpar-motorz/").status_code == 301


def test_merge_keeps_every_link_and_editor_decisions(catalog):
    survivor = Company.objects.get(slug="tulpar-motors")
    duplicate = CompanyFactory(name="Тулпар", aliases=["Tulpar"])
    both, only_dup, rejected_dup = ArticleFactory.create_batch(3)
    add_link(article=both, entity=duplicate)  # an editor's link
    ArticleCompany.objects.create(article=both, entity=survivor, origin=LinkOrigin.LINKER)
    ArticleCompany.objects.create(article=only_dup, entity=duplicate, origin=LinkOrigin.LINKER)
    remove_link(article=rejected_dup, entity=duplicate)

    merge_entities(survivor=survivor, duplicates=[duplicate])

    links = {link.article_id: link.origin for link in ArticleCompany.objects.all()}
    assert links == {both.pk: LinkOrigin.EDITOR, only_dup.pk: LinkOrigin.LINKER}
    rejection = RejectedLink.objects.get()
    assert (rejection.article_id, rejection.object_id) == (rejected_dup.pk, survivor.pk)
    survivor.refresh_from_db()
    assert survivor.aliases == ["Tulpar Motors", "Тулпар", "Tulpar"]


def test_merge_moves_catalog_references(catalog):
    survivor = Company.objects.get(slug="chevrolet")
    duplicate = CompanyFactory(name="Шевроле Моторс")
    model = VehicleModelFactory(brand=duplicate, name="Шевроле Моторс X")
    plant = CompanyFactory(name="Завод")
    model.plants.add(plant)
    other = VehicleModel.objects.get(slug="chevrolet-onix")
    other.plants.add(duplicate)
    child = CompanyFactory(name="Дочка", parent=duplicate)

    merge_entities(survivor=survivor, duplicates=[duplicate])

    model.refresh_from_db()
    child.refresh_from_db()
    assert model.brand == survivor
    assert child.parent == survivor
    assert survivor in other.plants.all()


def test_merge_refuses_different_kinds(catalog):
    with pytest.raises(TypeError):
        merge_entities(
            survivor=Company.objects.get(slug="isuzu"),
            duplicates=[Country.objects.get(slug="rossiya")],
        )


def test_merge_needs_delete_permission(client, catalog, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_company", "change_company"])
    )
    client.force_login(user)
    plant, dup = Company.objects.all()[:2]
    client.post(
        "/admin/companies/company/",
        {"action": "merge_selected", "_selected_action": [plant.pk, dup.pk], "survivor": plant.pk},
    )
    assert Company.objects.filter(pk=dup.pk).exists()


# A name another entity has; re-linking after a save (fictional entities) ---------


@pytest.fixture
def fictional(db):
    ferrum = CompanyFactory(name="Ferrum", slug="ferrum", kind=Company.Kind.BRAND)
    return {
        "plant": CompanyFactory(
            name="Жетиген Моторс", slug="zhetigen-motors", aliases=["Jetigen Motors"]
        ),
        "country": CountryFactory(
            name="Жетисуйстан", slug="zhetisuistan", aliases=["Жетисуйская Республика"]
        ),
        "official": OfficialFactory(name="Пётр Алёшин", slug="petr-aleshin"),
        "brand": ferrum,
        "model": VehicleModelFactory(brand=ferrum, name="Ferrum Sarybel", slug="ferrum-sarybel"),
    }


def add_form(path, name, fictional, **extra):
    """What the add page of each kind posts, with ``name`` as the new entity's name."""
    common = {"name": name, "slug": "novaia-sushchnost", "aliases": "", **extra}
    return {
        "company": {**common, "kind": "other", "description": ""},
        "country": {**common, "iso_code": ""},
        "official": {**common, "position": ""},
        "vehiclemodel": {**common, "brand": fictional["brand"].pk, "category": ""},
    }[path]


@pytest.mark.parametrize(
    ("path", "name", "other"),
    [
        ("company", "Жетисуйская Республика", "country"),  # a country's alias
        ("country", "Jetigen Motors", "plant"),  # a company's alias
        ("official", "Петр Алешин", "official"),  # «е» for «ё»
        ("vehiclemodel", "Жетиген-Моторс", "plant"),  # a hyphen for the space
        ("company", "ОАО «Жетиген Моторс»", "plant"),  # a legal form
        ("company", "Жетиген Моторса", "plant"),  # a case form
    ],
)
def test_adding_an_entity_named_like_another_asks_to_confirm(
    admin_client, fictional, path, name, other
):
    url = f"/admin/companies/{path}/add/"
    response = admin_client.post(url, add_form(path, name, fictional))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "confirm_other" in form.errors
    content = response.content.decode()
    assert (
        "Да, это другая сущность" in content and 'type="checkbox" name="confirm_other"' in content
    )
    entity = fictional[other]
    assert f"/admin/companies/{entity._meta.model_name}/{entity.pk}/change/" in content
    response = admin_client.post(url, add_form(path, name, fictional, confirm_other="on"))
    assert response.status_code == 302


def test_a_new_name_needs_no_confirmation(admin_client, fictional):
    response = admin_client.post(
        "/admin/companies/company/add/", add_form("company", "Каракол Агро", fictional)
    )
    assert response.status_code == 302
    page = admin_client.get("/admin/companies/company/add/").content.decode()
    assert 'type="checkbox" name="confirm_other"' not in page


def test_a_new_alias_that_another_entity_has_asks_to_confirm(admin_client, fictional):
    country = fictional["country"]
    data = {
        "name": country.name,
        "slug": country.slug,
        "iso_code": "",
        "aliases": "Жетисуйская Республика\nJetigen Motors",
    }
    url = f"/admin/companies/country/{country.pk}/change/"
    response = admin_client.post(url, data)
    assert "confirm_other" in response.context["adminform"].form.errors
    # Names the entity had are not questioned again, even if another has them too.
    fictional["plant"].aliases = ["Jetigen Motors", "Жетисуйская Республика"]
    fictional["plant"].save()
    assert admin_client.post(url, {**data, "aliases": "Жетисуйская Республика"}).status_code == 302


def test_aliases_help_says_articles_are_relinked(admin_client, fictional):
    page = admin_client.get(f"/admin/companies/company/{fictional['plant'].pk}/change/")
    assert "перепроверяются сами" in page.content.decode()


# Committed for real: the re-link and its message come once the save commits.
@pytest.mark.django_db(transaction=True)
def test_changing_aliases_relinks_the_articles_and_says_so(admin_client):
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    named = ArticleFactory(lead="Zhetigen Motors нанял сто человек.", body="")
    unrelated = ArticleFactory(lead="Погода в горах.", body="")
    for article in (named, unrelated):
        link_entities(article=article)
    response = admin_client.post(
        f"/admin/companies/company/{plant.pk}/change/",
        {
            "name": plant.name,
            "slug": plant.slug,
            "kind": "other",
            "description": "",
            "aliases": "Zhetigen Motors",
        },
        follow=True,
    )
    assert list(named.companies.all()) == [plant]
    content = response.content.decode()
    assert "Связи перепроверены в статьях, где встречаются эти названия: 1, из них" in content


@pytest.mark.django_db(transaction=True)
def test_adding_an_entity_links_the_articles_naming_it(admin_client):
    article = ArticleFactory(lead="Министр Бакыт Осмоналиев посетил завод.", body="")
    link_entities(article=article)
    response = admin_client.post(
        "/admin/companies/official/add/",
        {"name": "Бакыт Осмоналиев", "slug": "bakyt-osmonaliev", "position": "", "aliases": ""},
        follow=True,
    )
    official = Official.objects.get(slug="bakyt-osmonaliev")
    assert list(article.officials.all()) == [official]
    assert "Связи перепроверены" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_that_touches_no_name_relinks_nothing(admin_client):
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    response = admin_client.post(
        f"/admin/companies/company/{plant.pk}/change/",
        {
            "name": plant.name,
            "slug": plant.slug,
            "kind": "other",
            "description": "Собирает автобусы.",
            "aliases": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Связи перепроверены" not in response.content.decode()
