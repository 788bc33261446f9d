import ast
import json
from pathlib import Path

import pytest

from companies import jsonld
from companies.jsonld import entity_jsonld
from companies.models import Company, Country, Official, VehicleModel
from companies.tests.factories import (
    CompanyFactory,
    CountryFactory,
    OfficialFactory,
    VehicleModelFactory,
)

BASE = "https://example.org"


def test_company(catalog):
    company = Company.objects.get(slug="tulpar-motors")
    assert entity_jsonld(company, base_url=BASE) == {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Тулпар Моторс",
        "url": f"{BASE}/companies/tulpar-motors/",
        "alternateName": ["Tulpar Motors"],
        "description": "Первый автосборочный завод в Киргизии, начал работу летом 2024 года.",
        "location": {
            "@type": "Country",
            "name": "Кыргызстан",
            "url": f"{BASE}/countries/kyrgyzstan/",
        },
    }


def test_government_body_is_a_government_organization(catalog):
    data = entity_jsonld(Company.objects.get(slug="minpromtorg-rossii"), base_url=BASE)
    assert data["@type"] == "GovernmentOrganization"


def test_company_parent(db):
    parent = CompanyFactory(name="Материнская", slug="materinskaya")
    child = CompanyFactory(parent=parent)
    assert entity_jsonld(child, base_url=BASE)["parentOrganization"] == {
        "@type": "Organization",
        "name": "Материнская",
        "url": f"{BASE}/companies/materinskaya/",
    }


def test_company_without_facts_states_none(db):
    data = entity_jsonld(CompanyFactory(), base_url=BASE)
    assert not {"alternateName", "description", "location", "parentOrganization"} & data.keys()


def test_official_with_organization(catalog):
    data = entity_jsonld(Official.objects.get(slug="roman-chekushov"), base_url=BASE)
    assert data["@type"] == "Person"
    assert data["url"] == f"{BASE}/officials/roman-chekushov/"
    assert data["jobTitle"] == "заместитель министра промышленности и торговли РФ"
    assert data["worksFor"] == {
        "@type": "GovernmentOrganization",
        "name": "Министерство промышленности и торговли РФ",
        "url": f"{BASE}/companies/minpromtorg-rossii/",
    }


def test_official_country_is_not_claimed_as_nationality(catalog):
    # The catalog records the country an official serves, not their citizenship.
    data = entity_jsonld(Official.objects.get(slug="roman-chekushov"), base_url=BASE)
    assert "nationality" not in data


def test_official_without_organization_or_position(db):
    data = entity_jsonld(OfficialFactory(), base_url=BASE)
    assert not {"worksFor", "jobTitle"} & data.keys()


def test_vehicle_model_is_a_product_of_a_brand(catalog):
    data = entity_jsonld(VehicleModel.objects.get(slug="chevrolet-tracker"), base_url=BASE)
    assert data["@type"] == "Product"
    assert data["brand"] == {
        "@type": "Brand",
        "name": "Chevrolet",
        "url": f"{BASE}/companies/chevrolet/",
    }
    assert data["category"] == "кроссовер"


def test_vehicle_model_by_a_manufacturer_names_an_organization(db):
    maker = CompanyFactory(kind=Company.Kind.MANUFACTURER)
    data = entity_jsonld(VehicleModelFactory(brand=maker), base_url=BASE)
    assert data["brand"]["@type"] == "Organization"
    assert "category" not in data


def test_linker_patterns_are_not_alternate_names(catalog):
    # «грузовики … Isuzu» tells the linker how to find the model, nobody calls it that.
    data = entity_jsonld(VehicleModel.objects.get(slug="isuzu-trucks"), base_url=BASE)
    assert "alternateName" not in data


def test_country(catalog):
    assert entity_jsonld(Country.objects.get(slug="kyrgyzstan"), base_url=BASE) == {
        "@context": "https://schema.org",
        "@type": "Country",
        "name": "Кыргызстан",
        "url": f"{BASE}/countries/kyrgyzstan/",
        "alternateName": [
            "Киргизия",
            "КР",
            "Кыргызская Республика",
            "Киргизская Республика",
        ],
        "identifier": "KG",
    }


def test_country_without_iso_code(db):
    assert "identifier" not in entity_jsonld(CountryFactory(), base_url=BASE)


@pytest.mark.parametrize(
    "factory", [CompanyFactory, OfficialFactory, VehicleModelFactory, CountryFactory]
)
def test_document_survives_a_json_round_trip(db, factory):
    data = entity_jsonld(factory(aliases=["Другое «имя»"]), base_url=BASE)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_companies_does_not_import_articles():
    # The directory must not depend on the news that cites it.
    tree = ast.parse(Path(jsonld.__file__).read_text())
    imported = [
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert not [name for name in imported if name and name.split(".")[0] == "articles"]
