"""The follow form: on every entity and tag page, without JavaScript or a CSRF token,
accessible, and its own page; what cannot be followed answers 404."""

import re

import pytest
from django.test import Client

from articles.models import Article
from articles.tests.factories import ArticleFactory
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)
from following.models import Delivery, Frequency, Subscription
from portal.tests.conftest import cache_on  # noqa: F401 (a fixture, used by name)

ADDRESS = "aibek.test@pochta.example"

ENTITY_FACTORIES = {
    "companies": CompanyFactory,
    "vehicle_models": VehicleModelFactory,
    "officials": OfficialFactory,
    "countries": CountryFactory,
}


def follow_forms(html: str) -> list[str]:
    return re.findall(r'<form class="follow-form"[^>]*>.*?</form>', html, flags=re.S)


@pytest.mark.parametrize("kind", list(ENTITY_FACTORIES))
def test_every_entity_page_has_a_follow_form_posting_to_its_follow_address(db, client, kind):
    entity = ENTITY_FACTORIES[kind]()
    html = client.get(entity.get_absolute_url()).content.decode()
    (form,) = follow_forms(html)
    assert f'action="/follow/{kind}/{entity.slug}/"' in form
    assert 'method="post"' in form


def test_the_tag_page_has_a_follow_form(db, client):
    tag = ArticleFactory(tags=["Электробусы"]).tags.get()
    (form,) = follow_forms(client.get(tag.get_absolute_url()).content.decode())
    assert f'action="/follow/tags/{tag.slug}/"' in form


def test_the_form_is_labelled_and_offers_every_frequency(db, client):
    company = CompanyFactory(name="Степной Автозавод")
    (form,) = follow_forms(client.get(company.get_absolute_url()).content.decode())
    assert '<label for="follow-email">' in form
    assert 'id="follow-email" type="email" name="email" required' in form
    assert 'autocomplete="email"' in form
    assert "<legend>Как часто присылать</legend>" in form
    offered = re.findall(r'name="frequency" value="(\w+)"', form)
    assert offered == list(Frequency.values)
    for value, label in Frequency.choices:
        assert f'value="{value}"' in form and label in form
    assert "<script" not in form and "csrfmiddlewaretoken" not in form


@pytest.mark.usefixtures("cache_on")
def test_the_form_is_served_from_the_page_cache_and_posts_without_a_csrf_token(db):
    company = CompanyFactory()
    visitor = Client(enforce_csrf_checks=True)
    visitor.get(company.get_absolute_url())
    cached = visitor.get(company.get_absolute_url())
    assert cached["X-Cache"] == "HIT"
    assert follow_forms(cached.content.decode())
    response = visitor.post(
        f"/follow/companies/{company.slug}/", {"email": ADDRESS, "frequency": "daily"}
    )
    assert response.status_code == 200
    assert Subscription.objects.filter(target_id=company.pk).exists()


def test_get_shows_the_form_on_its_own_page(db, client):
    company = CompanyFactory(name="Степной Автозавод")
    response = client.get(f"/follow/companies/{company.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Степной Автозавод" in html
    assert len(follow_forms(html)) == 1
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.parametrize(
    "path",
    [
        "/follow/planets/mars/",  # no such kind
        "/follow/companies/no-such-company/",
        "/follow/tags/no-such-tag/",
    ],
)
def test_what_cannot_be_followed_is_404(db, client, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": ADDRESS, "frequency": "daily"}).status_code == 404
    assert not Subscription.objects.exists()


def test_a_tag_only_drafts_carry_cannot_be_followed(db, client):
    tag = ArticleFactory(status=Article.Status.DRAFT, tags=["Секретный проект"]).tags.get()
    response = client.post(f"/follow/tags/{tag.slug}/", {"email": ADDRESS, "frequency": "daily"})
    assert response.status_code == 404
    assert client.get(f"/follow/tags/{tag.slug}/").status_code == 404
    assert not Subscription.objects.exists()


def test_a_company_of_the_same_slug_as_a_model_is_its_own_target(db, client):
    CompanyFactory(slug="tulpar")
    model = VehicleModelFactory(slug="tulpar")
    client.post("/follow/vehicle_models/tulpar/", {"email": ADDRESS, "frequency": "weekly"})
    subscription = Subscription.objects.get()
    assert (subscription.target_kind, subscription.target_id) == ("vehicle_models", model.pk)


def test_a_wrong_address_is_shown_again_with_its_error_tied_to_the_field(db, client):
    company = CompanyFactory()
    response = client.post(
        f"/follow/companies/{company.slug}/", {"email": "not an address", "frequency": "daily"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="follow-email-error follow-about"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="follow-email-error">Это не похоже на адрес электронной почты' in html
    assert 'value="not an address"' in html
    assert not Delivery.objects.exists()


def test_a_missing_frequency_is_an_error_of_the_fieldset(db, client):
    company = CompanyFactory()
    response = client.post(f"/follow/companies/{company.slug}/", {"email": ADDRESS})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-describedby="follow-frequency-error"' in html
    assert "Выберите, как часто присылать письма." in html
