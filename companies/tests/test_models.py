import pytest

from companies.models import Company
from companies.tests.factories import CompanyFactory, OfficialFactory, VehicleModelFactory
from portal.slugs import make_slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Тулпар Моторс", "tulpar-motors"),
        ("Роман Чекушов", "roman-chekushov"),
        ("Chevrolet Onix", "chevrolet-onix"),
    ],
)
def test_slugs_are_transliterated(name, slug):
    assert make_slug(name) == slug


def test_slug_is_filled_from_the_name(db):
    company = Company.objects.create(name="Тулпар Моторс")
    assert company.slug == "tulpar-motors"
    assert company.get_absolute_url() == "/companies/tulpar-motors/"


def test_natural_key_is_the_slug(db):
    company = CompanyFactory(slug="isuzu")
    assert company.natural_key() == ("isuzu",)
    assert Company.objects.get_by_natural_key("isuzu") == company


def test_names_put_the_name_first_without_duplicates(db):
    company = CompanyFactory(name="Тулпар Моторс", aliases=["Tulpar Motors", " ", "Тулпар Моторс"])
    assert company.names == ["Тулпар Моторс", "Tulpar Motors"]


def test_short_forms(db):
    model = VehicleModelFactory(brand=CompanyFactory(name="Chevrolet"), name="Chevrolet Onix")
    assert model.short_name == "Onix"
    assert VehicleModelFactory(name="Грузовики Isuzu").short_name == ""
    assert OfficialFactory(name="Роман Чекушов").surname == "Чекушов"
    assert OfficialFactory(name="Чекушов").surname == ""
