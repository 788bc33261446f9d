"""Suggested names an editor can accept as they stand.

Each suggestion is a name in its initial form (a person's every part in the
nominative, agreeing in gender; an organisation's or place's head phrase in
the nominative, its genitive dependents kept), one spelling per organisation
(no legal form, no quotes), never a fragment of a word broken at a line end,
and never a catalog entity in another form. People and firms here are
fictional; the catalog's are only named as the seed names them.
"""

import re
from dataclasses import dataclass

import pytest

from articles.linking import Matcher
from articles.models import EntitySuggestion
from articles.suggestions import KnownNames, build_known_names, find_candidates, scan_articles
from articles.suggestions.common import is_common_compound, is_generic_abbreviation
from articles.suggestions.foreign import declines_the_russian_way
from articles.suggestions.names import names_in
from articles.suggestions.ner import NamedSpan
from articles.suggestions.persons import Hints, person_nominative
from articles.suggestions.phrases import is_lone_adjective, phrase_nominative
from articles.suggestions.repair import is_fragment, repair_text
from articles.suggestions.spelling import name_skeleton, word_skeleton
from articles.tests.factories import ArticleFactory
from companies.models import Company
from companies.tests.factories import CompanyFactory, OfficialFactory, VehicleModelFactory

Kind = EntitySuggestion.Kind
PERSON, ORGANISATION, PLACE = Kind.PERSON, Kind.ORGANISATION, Kind.PLACE
NOTHING_KNOWN = KnownNames(
    matcher=Matcher([]), names=frozenset(), brands=frozenset(), decided=frozenset()
)


def suggested(text, known=NOTHING_KNOWN):
    return {(c.name, c.kind) for c in find_candidates(text, known=known)}


# --- Whole texts: exactly what is suggested -----------------------------------------

PEOPLE = [
    pytest.param(
        "Награду вручили Айгерим Токтогуловой, главному инженеру завода.",
        {("Айгерим Токтогулова", PERSON)},
        id="feminine-surname-beside-an-indeclinable-first-name",
    ),
    pytest.param(
        "Письмо направлено Эркину Сатыбалдиеву, директору автобазы.",
        {("Эркин Сатыбалдиев", PERSON)},
        id="masculine-dative",
    ),
    pytest.param(
        "Дипломы получили Гульнаре Абдыкадыровой и Нурлану Бекову.",
        {("Гульнара Абдыкадырова", PERSON), ("Нурлан Беков", PERSON)},
        id="first-name-and-surname-both-in-the-dative",
    ),
    pytest.param(
        "С инвесторами встретился Бакыт Асанович Жумабаев.",
        {("Бакыт Асанович Жумабаев", PERSON)},
        id="patronymic",
    ),
    pytest.param(
        "Переговоры с Ольгой Кульчицкой и Тимуром Осмоновым продлятся до пятницы.",
        {("Ольга Кульчицкая", PERSON), ("Тимур Осмонов", PERSON)},
        id="adjectival-surname-instrumental",
    ),
    pytest.param(
        "Встречу провели с Жылдыз Осмонкуловой и Кайратом Нурланулы.",
        {("Жылдыз Осмонкулова", PERSON), ("Кайрат Нурланулы", PERSON)},
        id="indeclinable-parts-stay",
    ),
    pytest.param(
        "Новый кроссовер показали Дилнозе Рахимовой.",
        {("Дилноза Рахимова", PERSON)},
        id="first-name-the-dictionary-does-not-know",
    ),
    pytest.param(
        "Директор завода Бакыт Асанов показал цех. По словам Асанова, а также Б. Асанова, "
        "это только начало.",
        {("Бакыт Асанов", PERSON)},
        id="surname-and-initials-take-the-full-name",
    ),
    pytest.param(
        "Айгерим рассказала о заводе. Эркин Сатыбалдиев согласился.",
        {("Эркин Сатыбалдиев", PERSON)},
        id="a-lone-first-name-is-nobody-in-particular",
    ),
    pytest.param(
        "Своим мнением поделилась Айгерим. По словам Айгерим Токтогуловой, цех заработает.",
        {("Айгерим Токтогулова", PERSON)},
        id="a-first-name-beside-the-full-name-is-that-person",
    ),
    pytest.param(
        "Братья Асановы открыли цех в Оше.",
        {("Ош", PLACE)},
        id="a-family-is-no-person",
    ),
    pytest.param(
        "Директор завода Эмиль Курманов показал цех. По словам Курманова, линия заработает весной.",
        {("Эмиль Курманов", PERSON)},
        id="a-surname-in-ov-is-one-man-not-a-family",
    ),
    pytest.param(
        "Премию лучшему инженеру вручили Айсулуу Токтогуловой.",
        {("Айсулуу Токтогулова", PERSON)},
        id="a-first-name-with-a-long-vowel-does-not-decline",
    ),
    pytest.param(
        "Отчёт подготовила бухгалтер Бактыгуль Осмоновой поручили проверку.",
        {("Бактыгуль Осмонова", PERSON)},
        id="a-womans-first-name-in-a-consonant-does-not-decline",
    ),
]

ORGANISATIONS_AND_PLACES = [
    pytest.param(
        "Соглашение подписано с Министерством энергетики Таджикистана.",
        {("Министерство энергетики Таджикистана", ORGANISATION), ("Таджикистан", PLACE)},
        id="foreign-ministry-keeps-its-country",
    ),
    pytest.param(
        "Соглашение подписали Министерство транспорта Республики Казахстан и "
        "Министерство промышленности Туркменистана.",
        {
            ("Министерство транспорта Республики Казахстан", ORGANISATION),
            ("Республика Казахстан", PLACE),
            ("Министерство промышленности Туркменистана", ORGANISATION),
            ("Туркменистан", PLACE),
        },
        id="nominative-ministries-keep-their-countries",
    ),
    pytest.param(
        "Цех построен в Ошской области, рядом с Жалал-Абадской областью.",
        {("Ошская область", PLACE), ("Жалал-Абадская область", PLACE)},
        id="adjective-and-noun-agree",
    ),
    pytest.param(
        "Кредит выдан Евразийским банком развития и Торгово-промышленной палатой Кыргызстана.",
        {
            ("Евразийский банк развития", ORGANISATION),
            ("Торгово-промышленная палата Кыргызстана", ORGANISATION),
            ("Кыргызстан", PLACE),
        },
        id="head-phrase-declines-dependents-stay",
    ),
    pytest.param(
        "Контракт получило ОАО «Ак-Тилек». Компания «Ак-Тилек» основана в 2010 году, "
        "а акционеры Ак-Тилека довольны.",
        {("Ак-Тилек", ORGANISATION)},
        id="legal-form-quotes-and-case-form-are-one-organisation",
    ),
    pytest.param(
        'Поставщиком стало ООО "Кара-Жол Транс", а подрядчиком — Обществом с '
        "ограниченной ответственностью «Нур Энерго».",
        {("Кара-Жол Транс", ORGANISATION), ("Нур Энерго", ORGANISATION)},
        id="legal-forms-abbreviated-and-in-words",
    ),
    pytest.param(
        "По данным компании Жол Моторс, продажи выросли. Акции Жол Моторса подорожали.",
        {("Жол Моторс", ORGANISATION)},
        id="unknown-name-in-a-case-form-takes-its-bare-form",
    ),
    pytest.param(
        "Руководство Кыргызско-Турецкого университета «Манас» подписало меморандум.",
        {("Кыргызско-Турецкий университет «Манас»", ORGANISATION)},
        id="quoted-name-after-its-organisation",
    ),
    pytest.param(
        "Партнёром выступила Ромашка Motors Ltd.",
        {("Ромашка Motors", ORGANISATION)},
        id="latin-legal-form",
    ),
    pytest.param(
        "Решение поддержали в Евразийском союзе автоперевозчиков и в ЕСАП.",
        {("Евразийский союз автоперевозчиков", ORGANISATION), ("ЕСАП", ORGANISATION)},
        id="abbreviation-never-declines",
    ),
]

FOREIGN_PLACES = [
    pytest.param(
        "Цех по розливу воды открыли в селе Кара-Суу Ошской области.",
        {("Кара-Суу", PLACE), ("Ошская область", PLACE)},
        id="a-kyrgyz-place-in-uu-is-not-reinflected",
    ),
    pytest.param(
        "Станцию построят у перевала Бийик-Ашуу, сообщил Нурсултан Жолдошев.",
        {("Бийик-Ашуу", PLACE), ("Нурсултан Жолдошев", PERSON)},
        id="a-pass-in-uu-is-not-reinflected",
    ),
]

ORDINARY_WORDS = [
    pytest.param(
        "Основную часть тепла в городе дают ТЭЦ. Но спрос на тепло растёт.",
        set(),
        id="a-bare-generic-abbreviation-is-no-organisation",
    ),
    pytest.param(
        "Каждому водителю в первый месяц работы перевозчик обещает GPS-навигатор в подарок.",
        set(),
        id="an-abbreviation-joined-to-a-common-noun-is-a-common-noun",
    ),
    pytest.param(
        "Продажи в регионах\n\nАвтосалоны Нарына готовятся расширить продажи машин, "
        "собранных в стране.",
        set(),
        id="a-plural-common-noun-and-a-town-is-no-name",
    ),
    pytest.param(
        "Торгово-развлекательный центр «Жибек», который строит ОсОО «Кызыл-Таш Курулуш», "
        "откроется летом.",
        {("Жибек", ORGANISATION), ("Кызыл-Таш Курулуш", ORGANISATION)},
        id="a-compound-adjective-before-a-quoted-name-only-says-what-it-is",
    ),
    pytest.param(
        "Министерство экономики объявило тендер на поставку автобусов.",
        {("Министерство экономики", ORGANISATION)},
        id="ordinary-words-capitalised-as-a-name-at-a-sentence-start-stay",
    ),
    pytest.param(
        "Помощь пострадавшим прислали Врачи без границ.",
        {("Врачи без границ", ORGANISATION)},
        id="a-plural-noun-heading-a-whole-name-stays",
    ),
]

BROKEN_WORDS = [
    pytest.param(
        "Руководитель проекта Тимур Чеку-\nшов рассказал о планах.",
        {("Тимур Чекушов", PERSON)},
        id="word-hyphenated-at-a-line-end",
    ),
    pytest.param(
        "Руководитель проекта Тимур Чеку-\r\n  шов рассказал о планах.",
        {("Тимур Чекушов", PERSON)},
        id="crlf-and-indent-after-the-hyphen",
    ),
    pytest.param(
        "Об этом сообщил Санжар Исма\u00adилов.",
        {("Санжар Исмаилов", PERSON)},
        id="soft-hyphen",
    ),
    pytest.param(
        "Цех открыт в Жалал-\nАбадской области.",
        {("Жалал-Абадская область", PLACE)},
        id="hyphen-of-a-compound-name-kept",
    ),
    pytest.param(
        "Об этом рассказал Тимур Чеку-\n\nСледующий абзац начинается здесь.",
        set(),
        id="hanging-hyphen-is-no-name",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    PEOPLE + ORGANISATIONS_AND_PLACES + FOREIGN_PLACES + ORDINARY_WORDS + BROKEN_WORDS,
)
def test_suggestions_are_whole_names_in_their_initial_form(text, expected):
    assert suggested(text) == expected


# --- What NER reads, as it reads it in some contexts ----------------------------------
# natasha's reading depends on the whole text around a phrase; these give ``names_in``
# the spans it reported for such phrases in longer news texts.


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    stop: int
    pos: str
    id: str
    head_id: str = "1_0"
    feats: dict | None = None


def ner_read(text, kind, surface, tags):
    """``names_in`` of the one span NER reported over ``surface``, its words tagged ``tags``."""
    start = text.index(surface)
    words = list(re.finditer(r"[^\W_]+(?:-[^\W_]+)*|[^\w\s]", surface))
    tokens = tuple(
        _Token(m.group(), start + m.start(), start + m.end(), tag, f"1_{n}")
        for n, (m, tag) in enumerate(zip(words, tags, strict=True), start=1)
    )
    span = NamedSpan(kind, start, start + len(surface), tokens)
    return [name for name, *_ in names_in([span], text)]


@pytest.mark.parametrize(
    ("text", "kind", "surface", "tags", "expected"),
    [
        pytest.param(
            "Для Таджикистана это шанс нарастить выпуск.",
            ORGANISATION,
            "Для Таджикистана",
            ["ADP", "PROPN"],
            ["Таджикистан"],
            id="a-preposition-at-the-start-is-the-sentence's",
        ),
        pytest.param(
            "Выступил В. Петров.",
            PERSON,
            "В. Петров",
            ["ADP", "PUNCT", "PROPN"],
            ["В. Петров"],
            id="an-initial-that-spells-a-preposition-stays",
        ),
        pytest.param(
            "Вторым крупным заказчиком стала фирма.",
            ORGANISATION,
            "Вторым крупным",
            ["ADJ", "ADJ"],
            [],
            id="adjectives-without-a-noun-name-nothing",
        ),
        pytest.param(
            "Склады и цеха\n\n— Второй цех, «Ала-Арча Моторс», работает с весны.",
            ORGANISATION,
            "Второй цех",
            ["ADJ", "NOUN"],
            [],
            id="an-ordinal-and-a-common-noun-at-a-sentence-start-name-nothing",
        ),
        pytest.param(
            "Сюжет о заводе показали по Второму каналу.",
            ORGANISATION,
            "Второму каналу",
            ["ADJ", "NOUN"],
            ["Второй канал"],
            id="an-ordinal-capitalised-inside-a-sentence-is-a-name",
        ),
        pytest.param(
            "Автосалоны Нарына готовятся расширить продажи.",
            ORGANISATION,
            "Автосалоны Нарына",
            ["NOUN", "PROPN"],
            [],
            id="a-town's-businesses-are-no-organisation",
        ),
    ],
)
def test_what_ner_reads_is_kept_only_when_it_names_someone(text, kind, surface, tags, expected):
    assert ner_read(text, kind, surface, tags) == expected


def test_the_sentence_is_quoted_repaired_and_on_one_line():
    [candidate] = find_candidates(
        "Руководитель проекта Тимур Чеку-\nшов рассказал\nо планах.", known=NOTHING_KNOWN
    )
    assert candidate.sentence == "Руководитель проекта Тимур Чекушов рассказал о планах."


# --- The catalog's entities in other forms are never suggested --------------------------

CATALOG_FORMS = [
    pytest.param(
        "С заявлением выступил Р. Чекушов, а Р. Чекушову задали вопрос.",
        set(),
        id="initial-and-surname",
    ),
    pytest.param(
        "Завод «Тулпар-Моторс» выпустил машины, на Тулпар-Моторсе их проверили.",
        set(),
        id="hyphen-for-a-space",
    ),
    pytest.param(
        'ОсОО «Тулпар Моторс» и компания "Тулпар Моторс" наращивают выпуск.',
        set(),
        id="legal-form-and-quotes",
    ),
    pytest.param(
        "Представители Министерства промышленности и торговли России приехали.",
        set(),
        id="country-named-by-another-alias",
    ),
    pytest.param(
        "Делегацию Кыргызской Республики встретил Роман Чеку-\nшов.",
        set(),
        id="alias-and-broken-surname",
    ),
    pytest.param(
        "Дилер Марат Чекушов и его сестра Айгерим Чекушова открыли салон.",
        {("Марат Чекушов", PERSON), ("Айгерим Чекушова", PERSON)},
        id="namesakes-are-new-people",
    ),
    pytest.param(
        "Делегация Минпромторга Киргизии прибыла в Москву.",
        {("Минпромторг Киргизии", ORGANISATION), ("Москва", PLACE)},
        id="another-country's-ministry-is-new",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CATALOG_FORMS)
def test_catalog_entities_in_other_forms_are_not_suggested(catalog, text, expected):
    assert suggested(text, build_known_names()) == expected


@pytest.mark.parametrize(
    ("catalog_name", "text"),
    [
        ("Кёмин Агро", "Урожай собрала компания «Кемин Агро»."),
        ("Кемин Агро", "Урожай собрала компания «Кёмин Агро»."),
        ("Кемин Агро", "Урожай собрала компания «Кемин-Агро»."),
        ("Кемин-Агро", "Урожай собрала компания «Кемин Агро»."),
    ],
)
def test_yo_and_hyphens_do_not_make_a_known_name_new(db, catalog_name, text):
    CompanyFactory(name=catalog_name, kind=Company.Kind.OTHER)
    assert suggested(text, build_known_names()) == set()


def test_an_official_known_by_initials_is_not_suggested_but_a_namesake_is(db):
    OfficialFactory(name="Жылдыз Осмонкулова")
    found = suggested(
        "Выступили Ж. Осмонкулова и А. Осмонкулов, брат Жылдыз Осмонкуловой.",
        build_known_names(),
    )
    assert found == {("А. Осмонкулов", PERSON)}


# --- The catalog's names in the other alphabet, without their brand, in short ----------


@pytest.fixture
def fictional_catalog(db):
    """A brand whose Cyrillic spelling is no transliteration, its models, and companies."""
    brand = CompanyFactory(name="Quazar", aliases=["Квазар"], kind=Company.Kind.BRAND)
    VehicleModelFactory(name="Quazar Nova", brand=brand)
    CompanyFactory(name="Zholtash")
    CompanyFactory(name="Кара-Жол Металл Трейд")
    CompanyFactory(name="Государственное агентство связи")
    return build_known_names()


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Квазар Нова", Kind.VEHICLE_MODEL),  # brand by its alias, model transliterated
        ("Квазар-Нова", ORGANISATION),
        ("Нова", PLACE),  # a model without its brand, whatever NER took it for
        ("Жолташ", ORGANISATION),
        ("Zhol-Tash", ORGANISATION),
        ("Жол-Таш", ORGANISATION),
        ("Кара-Жол", ORGANISATION),  # a company's first words
        ("Кара-Жол Металл", ORGANISATION),
        ("Kara-Zhol Metall Treid", ORGANISATION),
    ],
)
def test_catalog_names_in_other_spellings_are_known(fictional_catalog, name, kind):
    assert fictional_catalog.knows(name, kind=kind)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Квазар Стелла", Kind.VEHICLE_MODEL),  # another model of the brand
        ("Кара-Жол", PLACE),  # the village a company is named after is a place of its own
        ("Государственное агентство", ORGANISATION),  # first words that are ordinary words
        ("Металл Трейд", ORGANISATION),  # last words are no short form
    ],
)
def test_other_names_are_not_known_by_spelling(fictional_catalog, name, kind):
    assert not fictional_catalog.knows(name, kind=kind)


def test_a_text_naming_the_catalog_in_cyrillic_suggests_only_what_is_new(fictional_catalog):
    found = suggested(
        "Дилер выставил в зале кроссоверы Квазар Нова, а компания Жол-Таш привезла тягачи. "
        "Цены на Нову назовут позже. Одним из первых клиентов стала компания «Кара-Жол»: "
        "она арендовала склад у села Кара-Жол.",
        fictional_catalog,
    )
    assert found == {("Кара-Жол", PLACE)}


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [("Сапар", "Sapar"), ("Вектор", "Vector"), ("Экспресс", "Express"), ("Хавал", "Haval")],
)
def test_word_skeleton_is_one_for_both_alphabets(cyrillic, latin):
    assert word_skeleton(cyrillic) == word_skeleton(latin)


def test_name_skeleton_runs_words_together_and_reads_brands_by_their_alias():
    brands = {word_skeleton("Квазар"): word_skeleton("Quazar")}
    assert name_skeleton("Квазар-Нова", brands) == name_skeleton("Quazar Nova", brands)
    assert name_skeleton("Temir-kan") == name_skeleton("Темиркан")


# --- Ordinary words and foreign words, rule by rule -------------------------------------


@pytest.mark.parametrize(
    ("name", "generic"),
    [
        ("ТЭЦ", True),
        ("АЭС", True),
        ("ТРЦ", True),
        ("МВД", False),
        ("ЕСАП", False),
        ("ТЭЦ-2", False),
    ],
)
def test_generic_abbreviations(name, generic):
    assert is_generic_abbreviation(name) is generic


@pytest.mark.parametrize(
    ("word", "common"),
    [
        ("GPS-навигатор", True),
        ("торгово-развлекательный", True),
        ("Кара-Суу", False),
        ("Альфа-банк", False),
        ("IT-Парк", False),
    ],
)
def test_common_compounds(word, common):
    assert is_common_compound(word) is common


@pytest.mark.parametrize(
    ("word", "nominative", "russian"),
    [
        ("Кара-Суу", "Кара-Суа", False),
        ("Айсулуу", "Айсулуа", False),
        ("Кара-Балте", "Кара-Балта", True),
        ("Чолпон-Ате", "Чолпон-Ата", True),
        ("Киргизии", "Киргизия", True),
    ],
)
def test_a_guess_declines_only_the_russian_way(word, nominative, russian):
    assert declines_the_russian_way(word, nominative) is russian


def test_a_kyrgyz_name_the_dictionary_does_not_know_stays_as_written():
    assert phrase_nominative("Кара-Суу", hints=Hints("loct")) == "Кара-Суу"
    assert phrase_nominative("Майлуу-Суу") == "Майлуу-Суу"
    assert phrase_nominative("Чолпон-Ате", hints=Hints("loct")) == "Чолпон-Ата"


# --- One organisation, one suggestion across articles -----------------------------------


def test_one_organisation_is_one_suggestion_across_articles(db):
    ArticleFactory(lead="Контракт получило ОАО «Ак-Тилек».", body="")
    ArticleFactory(lead="Компания «Ак-Тилек» открыла цех в Оше.", body="")
    ArticleFactory(lead="Акции Ак-Тилека выросли.", body="")
    scan_articles()
    suggestion = EntitySuggestion.objects.get(kind=ORGANISATION)
    assert (suggestion.name, suggestion.mentions) == ("Ак-Тилек", 3)


def test_a_case_form_takes_the_bare_form_found_in_another_article(db):
    ArticleFactory(lead="Компания Жол Моторс открыла салон.", body="")
    ArticleFactory(lead="Акции Жол Моторса подорожали.", body="")
    scan_articles()
    assert list(EntitySuggestion.objects.values_list("name", "mentions")) == [("Жол Моторс", 2)]


# --- The parts on their own ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "hints", "expected"),
    [
        (["Айгерим", "Токтогуловой"], Hints("gent"), "Айгерим Токтогулова"),
        (["Р.", "Чекушова"], Hints("gent", "masc"), "Р. Чекушов"),
        (["Гульмиры", "Ким"], Hints(), "Гульмира Ким"),
        (["Алёне", "Петровой-Водкиной"], Hints(), "Алёна Петрова-Водкина"),
        (["Алене", "Сидоровой"], Hints(), "Алена Сидорова"),
        (["Эрмеку", "Токтосунову"], Hints(), "Эрмек Токтосунов"),
        (["Мээрим", "Жумабаевой"], Hints("gent", "femn"), "Мээрим Жумабаева"),
        (["Кайратом", "Нурланулы"], Hints(), "Кайрат Нурланулы"),
        (["Нурсулуу", "Асановой"], Hints(), "Нурсулуу Асанова"),
    ],
)
def test_person_nominative(words, hints, expected):
    assert person_nominative(words, hints=hints) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Министерством энергетики Таджикистана", "Министерство энергетики Таджикистана"),
        ("Ошской области", "Ошская область"),
        ("Объединённых Арабских Эмиратов", "Объединённые Арабские Эмираты"),
        ("Госагентству по инвестициям", "Госагентство по инвестициям"),
        ("Минпромторга Киргизии", "Минпромторг Киргизии"),
        ("Тулпар Моторса", "Тулпар Моторса"),  # the first word is no head: left as it is
        ("«Ак-Тилек»", "«Ак-Тилек»"),
        ("ЕСАП", "ЕСАП"),
        ("Бишкекской ТЭЦ-2", "Бишкекская ТЭЦ-2"),
    ],
)
def test_phrase_nominative(name, expected):
    assert phrase_nominative(name) == expected


def test_a_name_whose_first_word_does_not_decline_declines_at_its_last():
    assert phrase_nominative("Жогорку Кенеша", hints=Hints("gent")) == "Жогорку Кенеш"
    assert phrase_nominative("Жогорку Кенеш", hints=Hints("nomn")) == "Жогорку Кенеш"


def test_a_lone_adjective_names_nothing():
    assert is_lone_adjective("Каракольский")
    assert not is_lone_adjective("Каракол")
    assert not is_lone_adjective("Каракольский порт")


def test_repair_joins_words_broken_at_line_ends():
    broken = "Чеку-\nшов, Жалал-\nАбад, торгово-\nпромышленная, Ис\u00adма\u00adилов"
    assert repair_text(broken) == "Чекушов, Жалал-Абад, торгово-промышленная, Исмаилов"


def test_a_fragment_is_not_whole_words():
    text = "Тимур Чеку-\n\nАк-Тилек"
    assert is_fragment(text, 0, 11)  # «Тимур Чеку-»
    assert is_fragment(text, 13, 15)  # «Ак» of «Ак-Тилек»
    assert not is_fragment(text, 13, 21)


def test_a_ministry_is_one_suggestion_whatever_its_country_is_called(catalog):
    ArticleFactory(lead="Делегация Министерства энергетики Киргизии прибыла в Ош.", body="")
    ArticleFactory(lead="Министерство энергетики КР объявило тендер.", body="")
    scan_articles()
    ministry = EntitySuggestion.objects.get(kind=ORGANISATION)
    assert (ministry.name, ministry.mentions) == ("Министерство энергетики Киргизии", 2)


def test_a_decision_on_a_name_with_its_legal_form_holds_for_the_name(db):
    EntitySuggestion.objects.create(
        name="ОАО «Ак-Тилек»", kind=ORGANISATION, status=EntitySuggestion.Status.REJECTED
    )
    assert suggested("Контракт получило ОАО «Ак-Тилек».", build_known_names()) == set()
