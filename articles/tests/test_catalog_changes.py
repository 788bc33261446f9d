"""Re-linking the articles a catalog change concerns (``relink_for_entity``).
The firms, people and texts are fictional."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.catalog_changes import affected_articles, footprint, relink_for_entity
from articles.linking import add_link, link_entities, remove_link
from articles.models import Article, ArticleCompany, LinkOrigin
from articles.tests.factories import ArticleFactory
from companies.kinds import LOAD_ORDER
from companies.models import Company
from companies.tests.factories import CompanyFactory, OfficialFactory, VehicleModelFactory


def article(lead, *, days_ago=0, **fields):
    published = timezone.now() - dt.timedelta(days=days_ago, hours=1)
    return ArticleFactory(lead=lead, body="", published_at=published, **fields)


def test_articles_naming_the_entity_in_any_form_are_relinked(db):
    texts = [
        "Жетиген Моторсом подписан договор.",
        "ЖЕТИГЕН МОТОРС РАСШИРЯЕТ ЦЕХ.",
        "Погода в горах.",
    ]
    inflected, capitals, unrelated = [article(text) for text in texts]
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    report = relink_for_entity(entity=plant)
    assert (report.relinked, report.changed, report.more) == (2, 2, False)
    assert list(plant.articles.order_by("pk")) == [inflected, capitals]
    assert not unrelated.companies.exists()


def test_drafts_are_relinked_too(db):
    draft = article("Жетиген Моторс открыл цех.", status=Article.Status.DRAFT)
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    relink_for_entity(entity=plant)
    assert list(draft.companies.all()) == [plant]


def test_yo_in_the_text_where_the_catalog_writes_e(db):
    text = article("Игорь Семёнов открыл завод.")
    official = OfficialFactory(name="Игорь Семенов", slug="igor-semenov")
    assert relink_for_entity(entity=official).relinked == 1
    assert list(text.officials.all()) == [official]


def test_a_removed_alias_unlinks_what_only_it_named(db):
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors", aliases=["Zhetmot"])
    by_alias = article("Zhetmot нанял сто человек.")
    by_editor = article("Zhetmot закрыл цех.")
    by_name = article("Жетиген Моторс открыл цех.")
    for each in (by_alias, by_editor, by_name):
        link_entities(article=each)
    add_link(article=by_editor, entity=plant)
    before = footprint(plant)
    plant.aliases = []
    plant.save()
    relink_for_entity(entity=plant, before=before)
    assert not by_alias.companies.exists()
    # The editor's own link stays whatever the text says.
    assert ArticleCompany.objects.get(article=by_editor).origin == LinkOrigin.EDITOR
    assert list(by_name.companies.all()) == [plant]


def test_an_editors_removal_stays(db):
    removed = article("Жетиген Моторс открыл цех.")
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    remove_link(article=removed, entity=plant)
    relink_for_entity(entity=plant)
    assert not removed.companies.exists()


def test_the_newest_articles_go_first_and_the_work_is_bounded(db):
    oldest, older, newest = [
        article("Жетиген Моторс открыл цех.", days_ago=days) for days in (30, 20, 10)
    ]
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    report = relink_for_entity(entity=plant, limit=2)
    assert (report.relinked, report.more) == (2, True)
    assert set(plant.articles.all()) == {older, newest}
    assert not oldest.companies.exists()


def test_a_new_namesake_makes_a_bare_surname_ambiguous(db):
    azamat = OfficialFactory(name="Азамат Жолдошев", slug="azamat-zholdoshev")
    bare = article("Жолдошев открыл новый цех.")
    link_entities(article=bare)
    assert list(bare.officials.all()) == [azamat]
    namesake = OfficialFactory(name="Бакыт Жолдошев", slug="bakyt-zholdoshev")
    relink_for_entity(entity=namesake)
    assert not bare.officials.exists()


def test_a_brands_new_alias_links_its_models_russian_spelling(db):
    brand = CompanyFactory(name="Ferrum", slug="ferrum", kind=Company.Kind.BRAND)
    model = VehicleModelFactory(brand=brand, name="Ferrum Sarybel", slug="ferrum-sarybel")
    text = article("На заводе собрали первый Феррум Сарыбел.")
    link_entities(article=text)
    assert not text.vehicle_models.exists()
    before = footprint(brand)
    brand.aliases = ["Феррум"]
    brand.save()
    relink_for_entity(entity=brand, before=before)
    assert list(text.vehicle_models.all()) == [model]


@pytest.mark.parametrize(
    "text",
    [
        "Сборка Ferrum Sarybel выросла.",  # the model in Latin
        "Ferrum начал продавать Сарыбел.",  # its Russian spelling, the brand named
    ],
)
def test_a_models_footprint_finds_the_latin_name_and_its_brand(db, text):
    brand = CompanyFactory(name="Ferrum", slug="ferrum", kind=Company.Kind.BRAND)
    model = VehicleModelFactory(brand=brand, name="Ferrum Sarybel", slug="ferrum-sarybel")
    written = article(text)
    article("Погода в горах.")
    assert list(affected_articles(entity=model, footprint=footprint(model))) == [written.pk]


def test_an_entity_linked_by_an_editor_is_relinked_even_if_unnamed(db):
    plant = CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors")
    linked = article("Завод открыл цех.")
    add_link(article=linked, entity=plant)
    assert list(affected_articles(entity=plant, footprint=footprint(plant))) == [linked.pk]


def test_every_article_the_linker_links_meets_the_entitys_footprint(db):
    # The seed article names the real catalog in many forms («Тулпар Моторса»,
    # «Романа Чекушова», «Киргизии», «Шевроле»); the fictional ones add more.
    call_command("load_seed", verbosity=0)
    CompanyFactory(name="Жетиген Моторс", slug="zhetigen-motors", aliases=["ОсОО «Жетиген»"])
    OfficialFactory(name="Игорь Семенов", slug="igor-semenov")
    for text in [
        "Жетиген Моторсу выдали лицензию, ОсОО «Жетиген» наняло людей.",
        "ЖЕТИГЕН-МОТОРС И ИГОРЬ СЕМЁНОВ",
        "Игорем Семёновым подписано, Семёнову вручили.",
    ]:
        link_entities(article=article(text))
    checked = 0
    for kind in LOAD_ORDER:
        for entity in kind.catalog():
            linked = set(kind.links.objects.filter(entity=entity).values_list("article", flat=True))
            affected = set(affected_articles(entity=entity, footprint=footprint(entity)))
            assert linked <= affected, entity
            checked += len(linked)
    assert checked >= 15  # the seed article's entities and the fictional ones
