"""Names found through typography: hyphens for spaces, line breaks, words hyphenated
at a line end (text pasted from a PDF), soft hyphens, Unicode spaces, «ё» and «е»."""

import pytest

from articles.linking import Matcher, build_matcher, find_mentions
from articles.tests.factories import ArticleFactory
from companies.models import Company
from companies.tests.factories import CompanyFactory, OfficialFactory


@pytest.fixture
def matcher(catalog):
    return build_matcher()


def found(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.entity.slug, m.text) for m in matcher.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Тулпар-Моторс",
        "завод «Тулпар-Моторс»",
        "Тулпар\u2011Моторса",  # a non-breaking hyphen
        "Тулпар\nМоторсом",  # a line break inside the name
        "Тулпар-\nМоторс",  # a compound hyphenated at a line end
        "Тулпар\u00a0Моторс",  # no-break space
        "Тулпар\u202fМоторс",  # narrow no-break space
        "Тулпар\u2009Моторс",  # thin space
        "Тулпар\u200bМоторс",  # zero-width space
        "Тул\u00adпар Мо\u00adторс",  # soft hyphens
        "Тул-\nпар Мотор-\r\nсу",  # hyphenated at line ends, with a Windows line end
        "Тулпа\u0301р Мо\u0301торс",  # stress marks
    ],
)
def test_company_through_typography(matcher, text):
    assert found(matcher, text) == [("tulpar-motors", text[text.index("Т") :].rstrip("»"))]


@pytest.mark.parametrize(
    "text",
    [
        "Чеку-\nшова",
        "Чеку-\n  шовым",
        "Чеку- шову",  # a paragraph's line break reads as a space
        "Чеку\u00ad\nшову",
        "Чеку\u00adшов",
        "Роман\nЧекушов",
        "Роман\u00a0Чекушов",
        "Р.\u00a0Чекушов",
    ],
)
def test_official_through_typography(matcher, text):
    assert found(matcher, text) == [("roman-chekushov", text)]


def test_mentions_point_at_the_original_text(matcher):
    text = "По словам Чеку-\nшова, Тулпар-Моторс готов."
    assert [(m.start, m.end) for m in matcher.find(text)] == [
        (text.index("Чеку"), text.index(",")),
        (text.index("Тулпар"), text.index(" готов")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Тулпар — Моторс",  # a dash between words is punctuation
        "авто- и мототехника",
        "GPS-трекер",
        "по-прежнему роман-эпопея",
        "российско-киргизский форум",
    ],
)
def test_no_false_links_through_typography(matcher, text):
    assert found(matcher, text) == []


def test_a_hyphen_between_two_names_gives_both(matcher):
    assert [slug for slug, _ in found(matcher, "форум Россия-Киргизия")] == [
        "rossiya",
        "kyrgyzstan",
    ]


@pytest.mark.parametrize(
    ("catalog_name", "text"),
    [
        ("Пётр Семёнов", "Петр Семенов"),
        ("Пётр Семёнов", "Петра Семенова"),
        ("Петр Семенов", "Пётр Семёнов"),
        ("Пётр Семёнов", "с Семеновым"),
        ("Фёдор Ёлкин", "Федору Елкину"),
        ("Федор Елкин", "с Фёдором Ёлкиным"),
    ],
)
def test_yo_and_ye_are_one_letter(db, catalog_name, text):
    official = OfficialFactory(name=catalog_name)
    assert [m.entity for m in Matcher([official]).find(text)] == [official]


def test_yo_in_an_unknown_company_name(db):
    plant = CompanyFactory(name="Кёкджар Моторс", kind=Company.Kind.ASSEMBLY_PLANT)
    assert [m.text for m in Matcher([plant]).find("на заводе Кекджар Моторса")] == [
        "Кекджар Моторса"
    ]


def test_a_body_with_a_hyphenated_name_keeps_its_positions(matcher):
    article = ArticleFactory(
        title="Сборка растёт",
        lead="Кратко.",
        body="Замминистра Чеку-\nшов посетил завод.\n\nВ «Тулпар-Моторсе» довольны.",
    )
    mentions = find_mentions(article=article, matcher=matcher)
    texts = article.mention_texts()
    # A paragraph is read with its line breaks as spaces.
    assert [texts[n][s:e] for n, s, e, *_ in mentions.positions] == [
        "Чеку- шов",
        "Тулпар-Моторсе",
    ]


# Line-end hyphens the text kept ------------------------------------------------------


@pytest.fixture
def sarybel(db):
    brand = CompanyFactory(
        name="Sarybel", slug="sarybel", aliases=["Сарыбель"], kind=Company.Kind.MANUFACTURER
    )
    village = CompanyFactory(name="Кок-Жар Агро", slug="kok-zhar", kind=Company.Kind.OTHER)
    return Matcher([brand, village])


@pytest.mark.parametrize(
    "text",
    [
        "с компанией Sary-bel и поставщиками",  # Latin halves keep their hyphen on entry
        "директор Сары-беля рассказал",
        "на заводе Сары-\nбеля",
    ],
)
def test_a_word_hyphenated_at_a_line_end_is_the_name_it_makes(sarybel, text):
    assert [slug for slug, _ in found(sarybel, text)] == ["sarybel"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ОсОО «Кок-Жар Агро»", [("kok-zhar", "Кок-Жар Агро")]),  # a real hyphenated name
        ("Кок-Жар-Агро", [("kok-zhar", "Кок-Жар-Агро")]),
        ("сары-бельский сыр", []),  # the halves make no name
    ],
)
def test_real_hyphenated_names_stay_as_they_are(sarybel, text, expected):
    assert found(sarybel, text) == expected
