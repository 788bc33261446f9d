"""The editors' pages cost a fixed number of queries, whatever an article carries
and however many articles a list shows."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from articles.linking import link_entities, remove_link
from articles.models import (
    Article,
    ArticleCountry,
    ArticleOfficial,
    ArticleVehicleModel,
    EntitySuggestion,
    SuggestionOccurrence,
    Tag,
)
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)

CHANGE_FORM_MAX_QUERIES = 15


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("chief", password="x"))
    return client


def loaded_article(size: int) -> Article:
    """An article with ``size`` links of every kind, as many tags, suggested
    names and history entries, and companies named in its text but rejected."""
    companies = CompanyFactory.create_batch(2 * size)
    article = ArticleFactory(
        lead=" ".join(f"{company.name} открыла цех." for company in companies),
        body="\n\n".join(f"Снова {company.name}." for company in companies),
    )
    link_entities(article=article)
    for company in companies[size:]:
        remove_link(article=article, entity=company)
    for n in range(size):
        ArticleCountry.objects.create(article=article, entity=CountryFactory())
        ArticleOfficial.objects.create(article=article, entity=OfficialFactory())
        ArticleVehicleModel.objects.create(article=article, entity=VehicleModelFactory())
        article.tags.add(Tag.objects.for_name(f"Тег {n}"))
        suggestion = EntitySuggestion.objects.create(
            name=f"Вымышленная фирма {n}", kind=EntitySuggestion.Kind.ORGANISATION, mentions=1
        )
        SuggestionOccurrence.objects.create(suggestion=suggestion, article=article, sentence="…")
        LogEntry.objects.create(
            user=User.objects.get(username="chief"),
            content_type=ContentType.objects.get_for_model(Article),
            object_id=str(article.pk),
            object_repr=str(article),
            action_flag=CHANGE,
            change_message=f"Правка {n}",
        )
    return Article.objects.get(pk=article.pk)


@pytest.mark.parametrize("size", [1, 12])
def test_the_change_form_costs_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries, size
):
    article = loaded_article(size)
    with django_assert_max_num_queries(CHANGE_FORM_MAX_QUERIES):
        response = superuser_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    # Every row still shows its entity or tag, chosen, in its autocomplete.
    for kind_links in ("articlecompany_set", "articlecountry_set", "articleofficial_set"):
        for link in getattr(article, kind_links).select_related("entity"):
            assert f'<option value="{link.entity.pk}" selected>{link.entity}</option>' in html
    for tag in article.tags.all():
        assert f'<option value="{tag.pk}" selected>{tag.name}</option>' in html


def test_the_change_form_saves_its_rows_as_before(superuser_client):
    article = loaded_article(2)
    response = superuser_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert response.status_code == 200
    # The form as shown, posted back unchanged, keeps every link and tag.
    data = form_data(response)
    response = superuser_client.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert article.companies.count() == 2
    assert article.countries.count() == 2
    assert article.tags.count() == 2


@pytest.mark.parametrize("rows", [3, 40])
def test_the_article_list_costs_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries, rows
):
    company = CompanyFactory()
    for n in range(rows):
        article = ArticleFactory(title=f"Завод номер {n}", tags=[Tag.objects.for_name("Заводы")])
        article.companies.add(company)
    for path in ["", "?q=завод", f"?q=завод&companies__id__exact={company.pk}", "?state=published"]:
        with django_assert_max_num_queries(12):
            response = superuser_client.get(f"/admin/articles/article/{path}")
        assert response.status_code == 200
        assert response.context["cl"].result_count == rows


@pytest.mark.parametrize("rows", [3, 40])
def test_the_company_list_costs_a_fixed_number_of_queries(
    superuser_client, django_assert_max_num_queries, rows
):
    for article in ArticleFactory.create_batch(3):
        article.companies.add(*CompanyFactory.create_batch(rows))
    for path in ["", "?q=Компания", "?o=4"]:
        with django_assert_max_num_queries(8):
            response = superuser_client.get(f"/admin/companies/company/{path}")
        assert response.status_code == 200
