import json
from pathlib import Path

from django.core.management import call_command

from companies.models import Company, Country, Official, VehicleModel

CATALOG = Path(__file__).resolve().parents[2] / "seeds" / "catalog.json"


def dump(capsys) -> list[dict]:
    capsys.readouterr()
    call_command("dumpdata", "companies", "--natural-foreign", "--natural-primary", "--indent", "2")
    return json.loads(capsys.readouterr().out)


def canonical(objects: list[dict]) -> list[dict]:
    return sorted(objects, key=lambda o: (o["model"], o["fields"]["slug"]))


def test_catalog_round_trips_through_natural_keys(db, capsys):
    call_command("loaddata", CATALOG, verbosity=0)
    dumped = dump(capsys)
    assert canonical(dumped) == canonical(json.loads(CATALOG.read_text(encoding="utf-8")))
    assert all("pk" not in obj for obj in dumped)


def test_dump_loads_into_an_empty_database(db, capsys, tmp_path):
    call_command("loaddata", CATALOG, verbosity=0)
    dumped = dump(capsys)
    for model in (Official, VehicleModel, Company, Country):
        model.objects.all().delete()
    fixture = tmp_path / "dump.json"
    fixture.write_text(json.dumps(dumped), encoding="utf-8")
    call_command("loaddata", fixture, verbosity=0)
    assert canonical(dump(capsys)) == canonical(dumped)


def test_catalog_holds_the_seeds_entities(db):
    call_command("loaddata", CATALOG, verbosity=0)
    plant = Company.objects.get(slug="tulpar-motors")
    assert plant.kind == Company.Kind.ASSEMBLY_PLANT
    assert plant.country.slug == "kyrgyzstan"
    assert "Tulpar Motors" in plant.aliases
    assert {m.slug for m in plant.assembled_models.all()} == {
        "chevrolet-onix",
        "chevrolet-cobalt",
        "chevrolet-tracker",
        "isuzu-trucks",
        "isuzu-buses",
    }
    chekushov = Official.objects.get(slug="roman-chekushov")
    assert chekushov.position == "заместитель министра промышленности и торговли РФ"
    assert chekushov.organization.kind == Company.Kind.GOVERNMENT_BODY
    assert Country.objects.get(iso_code="KG").aliases[:2] == ["Киргизия", "КР"]
    assert VehicleModel.objects.get(slug="chevrolet-tracker").category == "crossover"
