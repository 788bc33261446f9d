"""Namesakes: another person with an official's surname, a shop or a horse with a
company's first word, a hotel with a country's name."""

import pytest

from articles.linking import Matcher, build_matcher, find_mentions
from articles.tests.factories import ArticleFactory
from companies.models import Company, Official
from companies.tests.factories import CompanyFactory, OfficialFactory


@pytest.fixture
def matcher(catalog):
    return build_matcher()


def found(matcher: Matcher, *texts: str) -> list[tuple[str, str]]:
    """(slug, text) of each mention in an article made of ``texts``."""
    return [(m.entity.slug, m.text) for mentions in matcher.find_in_texts(texts) for m in mentions]


def officials(matcher: Matcher, *texts: str) -> list[str]:
    return [text for slug, text in found(matcher, *texts) if slug == "roman-chekushov"]


# People --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "дилер Марат Чекушов открыл салон",
        "Айгерим Чекушова возглавила ассоциацию",
        "по словам М. Чекушова",
        "М.Чекушов",
        "Чекушов Марат, предприниматель",
        "Марат Ильич Чекушов",
        "Алмазбек Чекушов",  # a first name the dictionary does not know
        "бизнесвумен Чекушовой принадлежит сеть",  # a woman's form of a man's surname
    ],
)
def test_namesake_is_not_the_official(matcher, text):
    assert officials(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("Роман Чекушов выступил", "Роман Чекушов"),
        ("заявил Р. Чекушов", "Р. Чекушов"),
        ("Р.Н. Чекушов", "Р.Н. Чекушов"),
        ("Роман Николаевич Чекушов", "Роман Николаевич Чекушов"),
        ("Чекушов Роман", "Чекушов"),
        ("Вчера Чекушов заявил", "Чекушов"),
        ("глава делегации Чекушову", "Чекушову"),
        ("Глава Минпромторга Чекушов", "Чекушов"),
    ],
)
def test_the_official_by_name_initial_or_surname(matcher, text, mention):
    assert officials(matcher, text) == [mention]


def test_a_bare_surname_is_the_namesake_the_article_introduced(matcher):
    lead = "Дилер Марат Чекушов открыл в Бишкеке салон."
    body = "По словам Чекушова, спрос растёт."
    assert officials(matcher, lead, body) == []


def test_a_namesake_anywhere_in_the_article_makes_a_bare_surname_unsure(matcher):
    # Named later, the namesake still makes «Чекушов» alone ambiguous.
    assert officials(matcher, "Чекушов заявил о планах.", "Его однофамилец Марат Чекушов") == []


def test_the_officials_full_name_stays_linked_beside_a_namesake(matcher):
    texts = ("Роман Чекушов и дилер Марат Чекушов встретились.", "Р. Чекушов отметил рост.")
    assert officials(matcher, *texts) == ["Роман Чекушов", "Р. Чекушов"]


def test_an_initial_shared_with_a_namesake_is_unsure(matcher):
    texts = ("Руслан Чекушов, дилер, и Роман Чекушов.", "Р. Чекушов отметил рост.")
    assert officials(matcher, *texts) == ["Роман Чекушов"]


def test_a_bare_surname_links_in_an_article_without_namesakes(matcher):
    lead = "Заместитель министра промышленности и торговли РФ Роман Чекушов прибыл в Бишкек."
    body = "Чекушов обсудил сборку машин."
    assert officials(matcher, lead, body) == ["Роман Чекушов", "Чекушов"]


def test_another_spelling_of_the_first_name_is_the_official(matcher):
    assert [slug for slug, _ in found(matcher, "Адилбек Касымалиев")] == ["adylbek-kasymaliev"]


@pytest.mark.parametrize(
    "text", ["глава Минэкономкоммерции Осмонов", "представитель Госкомпромэнерго Осмонов"]
)
def test_a_bodys_name_before_a_surname_is_no_first_name(db, text):
    official = OfficialFactory(name="Бакыт Осмонов", slug="bakyt-osmonov")
    assert [m.entity for m in Matcher([official]).find(text)] == [official]


def test_a_woman_official_is_not_found_by_a_mans_form(db):
    official = OfficialFactory(name="Айгерим Досова", slug="aigerim-dosova")
    matcher = Matcher([official])
    assert [m.entity for m in matcher.find("встреча с Досовой")] == [official]
    assert [m.entity for m in matcher.find("Досова заявила")] == [official]
    assert matcher.find("встреча с Досовым") == []


def test_find_mentions_reads_the_whole_article(matcher):
    article = ArticleFactory(
        title="Новый дилер в Бишкеке",
        lead="Марат Чекушов открыл автосалон.",
        body="Чекушов рассказал о планах.\n\nРоман Чекушов в Бишкек не приезжал.",
    )
    mentions = find_mentions(article=article, matcher=matcher)
    chekushov = Official.objects.get(slug="roman-chekushov")
    found = [m[:3] for m in mentions.positions if m[4] == chekushov.pk]
    # Text 3: the body's second block (0 is the headline, 1 the lead).
    assert found == [[3, 0, len("Роман Чекушов")]]


# Companies ---------------------------------------------------------------------


def tulpar(matcher: Matcher, *texts: str) -> list[str]:
    return [text for slug, text in found(matcher, *texts) if slug == "tulpar-motors"]


def test_first_word_alone_is_not_the_company(matcher):
    assert tulpar(matcher, "«Тулпар» увеличил выпуск") == []


def test_first_word_alone_is_the_company_the_article_named(matcher):
    lead = "Завод «Тулпар Моторс» начал сборку."
    body = "В «Тулпаре» рассчитывают на рост. Тулпар ищет партнёров."
    assert tulpar(matcher, lead, body) == ["Тулпар Моторс", "Тулпаре", "Тулпар"]


def test_the_full_name_later_in_the_article_is_evidence_too(matcher):
    assert tulpar(matcher, "«Тулпар» наращивает выпуск", "Завод «Тулпар Моторс»") == [
        "Тулпар",
        "Тулпар Моторс",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "В Бишкеке открылся магазин «Тулпар».",
        "Крылатый конь Тулпар — герой эпоса.",
        "Скакун по кличке Тулпар выиграл скачки.",
        "Гостиница «Тулпар» приняла гостей.",
        "Партнёром стала «Тулпар Трейд».",  # another name that starts alike
        "легенда о тулпаре",  # lower case: the winged horse
    ],
)
def test_first_word_naming_something_else(matcher, body):
    assert tulpar(matcher, "Завод «Тулпар Моторс» начал сборку.", body) == ["Тулпар Моторс"]


def test_a_first_word_inside_another_name_is_not_the_company(db):
    plant = CompanyFactory(name="Азия Моторс", kind=Company.Kind.ASSEMBLY_PLANT)
    matcher = Matcher([plant])
    mentions = matcher.find_in_texts(["«Азия Моторс» растёт.", "Рынки Центральной Азии."])
    assert [m.text for text in mentions for m in text] == ["Азия Моторс"]


def test_abbreviations_and_lower_case_names_have_no_first_word(db):
    firm = CompanyFactory(name="ОсОО Жетиген", kind=Company.Kind.OTHER)
    ministry = CompanyFactory(name="Министерство экономики", kind=Company.Kind.GOVERNMENT_BODY)
    matcher = Matcher([firm, ministry])
    texts = ["ОсОО Жетиген и Министерство экономики.", "ОсОО работает. Министерство молчит."]
    assert [m.text for text in matcher.find_in_texts(texts) for m in text] == [
        "ОсОО Жетиген",
        "Министерство экономики",
    ]


# Places named after a country ------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["форум прошёл в гостинице «Россия»", "кинотеатр «Киргизия»", "остановка «Россия»"]
)
def test_a_hotel_cinema_or_stop_named_after_a_country(matcher, text):
    assert found(matcher, text) == []


def test_the_countrys_market_is_the_country(matcher):
    assert found(matcher, "выход на рынок России") == [("rossiya", "России")]


# Whom a bare surname names: the last person introduced with it whom its form fits ----


@pytest.fixture
def toktogulova(db):
    return Matcher([OfficialFactory(name="Гульнара Токтогулова", slug="toktogulova")])


@pytest.fixture
def omorov(db):
    return Matcher([OfficialFactory(name="Азамат Оморов", slug="omorov")])


def texts_of(matcher: Matcher, *texts: str) -> list[str]:
    return [m.text for mentions in matcher.find_in_texts(texts) for m in mentions]


def test_a_woman_officials_surname_alone_in_every_case(toktogulova):
    texts = (
        "Замминистра Гульнара Токтогулова открыла форум.",
        "Токтогулова добавила:",
        "к Токтогуловой",
    )
    assert texts_of(toktogulova, *texts) == ["Гульнара Токтогулова", "Токтогулова", "Токтогуловой"]


def test_her_forms_are_hers_beside_a_man_with_her_surname(toktogulova):
    texts = (
        "Гульнара Токтогулова открыла форум.",
        "Справка: Токтогулова работает в министерстве с 2020 года.",
        "Её однофамилец Азамат Токтогулов, фермер, на форум не пришёл.",
        "Письма, которые по ошибке попадают к Токтогуловой, пересылают ему.",
        "Токтогулова улыбается.",  # after him: his genitive or her name, unsure
        "Токтогуловым звонят часто.",  # his instrumental
    )
    assert texts_of(toktogulova, *texts) == [
        "Гульнара Токтогулова",
        "Токтогулова",
        "Токтогуловой",
    ]


def test_a_mans_genitive_is_him_until_a_namesake_is_introduced(omorov):
    texts = (
        "Директор агентства Азамат Оморов представил программу.",
        "По словам Оморова, в первую очередь речь идёт о сиденьях.",
        "Инженер одного из заводов Т. Оморов предложил добавить шины.",
        "Оморов ответил, что перечень пересмотрят.",  # after the namesake: unsure
    )
    assert texts_of(omorov, *texts) == ["Азамат Оморов", "Оморова"]


def test_a_woman_with_his_surname_takes_the_form_they_share(omorov):
    texts = (
        "Азамат Оморов представил программу.",
        "Его коллега Айжан Оморова отвечает за поставщиков.",
        "По словам Оморова, программа рассчитана на пять лет.",  # hers, or his: unsure
        "Оморову поддержали заводы.",
    )
    assert texts_of(omorov, *texts) == ["Азамат Оморов"]


def test_a_family_is_not_the_official(omorov):
    texts = ("Азамат Оморов выступил.", "Семья Оморовых владеет салоном.", "Братья Оморовы")
    assert texts_of(omorov, *texts) == ["Азамат Оморов"]
