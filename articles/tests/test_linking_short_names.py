"""Short names of companies («Маяк» for «Маяк Логистик», «Жер-Суу» for «Жер-Суу
Агро»), the places that share them («ТРЦ «Маяк»»), and an organisation's name
or an official's position with another name of its country."""

import pytest

from articles.linking import Matcher, build_matcher
from companies.models import Company
from companies.tests.factories import CompanyFactory, CountryFactory, OfficialFactory


def texts_of(matcher: Matcher, *texts: str) -> list[str]:
    return [m.text for mentions in matcher.find_in_texts(texts) for m in mentions]


# A compound first word ---------------------------------------------------------


@pytest.fixture
def zher_suu(db):
    return Matcher([CompanyFactory(name="Жер-Суу Агро", slug="zher-suu")])


def test_a_compound_first_word_in_quotes_is_the_company(zher_suu):
    texts = ("Агрохолдинг «Жер-Суу Агро» расширяет посевы.", "В компании «Жер-Суу» довольны.")
    assert texts_of(zher_suu, *texts) == ["Жер-Суу Агро", "Жер-Суу"]


@pytest.mark.parametrize(
    "text",
    ["Поля у села Жер-Суу орошают.", "Жер-Суу лежит в долине.", "в Жер-Суу"],
)
def test_a_compound_first_word_without_quotes_is_the_place(zher_suu, text):
    assert texts_of(zher_suu, "Агрохолдинг «Жер-Суу Агро» расширяет посевы.", text) == [
        "Жер-Суу Агро"
    ]


# A first word that is a Russian word --------------------------------------------


@pytest.fixture
def mayak(db):
    return Matcher([CompanyFactory(name="Маяк Логистик", slug="mayak")])


FULL = "Логистическая компания «Маяк Логистик» открыла склад."


def test_opening_a_heading_it_is_the_company_the_article_calls_so(mayak):
    texts = (FULL, "Маяк идёт на север", "В следующем году «Маяк» откроет склад в Оше.")
    assert texts_of(mayak, *texts) == ["Маяк Логистик", "Маяк", "Маяк"]


def test_opening_a_sentence_alone_it_is_the_word(mayak):
    assert texts_of(mayak, FULL, "Маяк на берегу отреставрировали.") == ["Маяк Логистик"]


@pytest.mark.parametrize(
    "text",
    [
        "Маяк-сервис открыл мойку.",  # a part of a compound
        "На стоянке работает кафе «Маяк».",
        "На кровле торгового центра «Маяк» поставят панели.",
        "В ТРЦ «Маяк» открылся кинотеатр.",
        "в торгово-развлекательном центре «Маяк»",
        "Бизнес-центр «Маяк» сдан.",
    ],
)
def test_a_place_or_compound_sharing_the_first_word_is_not_the_company(mayak, text):
    later = "В «Маяке» рассчитывают на рост."
    assert texts_of(mayak, FULL, text, later) == ["Маяк Логистик", "Маяке"]


# Another name of the country ---------------------------------------------------


@pytest.fixture
def tarlandia(db):
    country = CountryFactory(
        name="Тарландия", slug="tarlandia", aliases=["ТР", "Тарландская Республика"]
    )
    ministry = CompanyFactory(
        name="Министерство энергетики ТР",
        slug="minenergo",
        kind=Company.Kind.GOVERNMENT_BODY,
        country=country,
    )
    official = OfficialFactory(
        name="Эмиль Асанов",
        slug="asanov",
        position="первый заместитель министра энергетики ТР",
        organization=ministry,
        country=country,
    )
    return Matcher([country, ministry, official])


@pytest.mark.parametrize(
    "text",
    [
        "первый заместитель министра энергетики Тарландии Эмиль Асанов",
        "первым заместителем министра энергетики Тарландской Республики Эмилем Асановым",
        "первый заместитель министра энергетики ТР Эмиль Асанов",
    ],
)
def test_a_position_with_any_name_of_its_country_names_the_ministry(tarlandia, text):
    assert [m.entity.slug for m in tarlandia.find(text)][:2] == ["minenergo", "asanov"]


def test_an_organisation_with_another_name_of_its_country(tarlandia):
    found = tarlandia.find("Министерство энергетики Тарландии сообщило")
    assert [m.entity.slug for m in found] == ["minenergo"]


def test_another_country_is_another_ministry(tarlandia):
    found = tarlandia.find("первый заместитель министра энергетики Соседии")
    assert [m.entity.slug for m in found] == []


def test_the_seed_ministry_by_a_position_naming_russia(catalog):
    text = "заместитель министра промышленности и торговли России Роман Чекушов"
    assert [m.entity.slug for m in build_matcher().find(text)] == [
        "minpromtorg-rossii",
        "roman-chekushov",
    ]
