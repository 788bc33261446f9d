"""Latin catalog names found in their Russian spellings, and the Russian words
that look alike left alone («кобальт» the metal, a GPS «трекер», the stone «оникс»)."""

from pathlib import Path

import pytest

from articles.linking import Matcher, build_matcher, find_mentions
from articles.tests.factories import ArticleFactory
from articles.text.transcription import latin_keys, spelling_keys
from companies.models import Company
from companies.tests.factories import CompanyFactory, VehicleModelFactory

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_f151a0e0119b62b8.txt"


@pytest.fixture
def matcher(catalog):
    return build_matcher()


def found(matcher: Matcher, *texts: str) -> list[str]:
    """The slugs found in an article made of ``texts``, in order."""
    return [m.entity.slug for mentions in matcher.find_in_texts(texts) for m in mentions]


@pytest.mark.parametrize(
    ("latin", "russian"),
    [
        ("Cobalt", "Кобальта"),
        ("Tracker", "Трекером"),
        ("Onix", "Ониксе"),
        ("Isuzu", "Исузу"),
        ("Lacetti", "Лачетти"),
        ("Lacetti", "Ласетти"),
        ("Gentra", "Джентры"),
        ("Hilux", "Хайлюкс"),
        ("Sportage", "Спортейдж"),
        ("Cruiser", "Крузер"),
        ("Equinox", "Эквинокс"),
        ("Getz", "Гетц"),
        ("Nexia", "Нексией"),
    ],
)
def test_a_latin_word_and_its_russian_spelling_sound_alike(latin, russian):
    assert latin_keys(latin) & spelling_keys(russian)


@pytest.mark.parametrize(
    ("latin", "russian"),
    [("Cobalt", "Кабинет"), ("Tracker", "Трактор"), ("Onix", "Оникумы"), ("Spark", "Спорт")],
)
def test_other_words_do_not_sound_alike(latin, russian):
    assert not latin_keys(latin) & spelling_keys(russian)


def test_short_words_have_no_sound_keys():
    # «Рио», «Киа»: three letters sound like too many Russian words.
    assert latin_keys("Rio") == frozenset()
    assert spelling_keys("Рио") == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Шевроле Кобальт", ["chevrolet-cobalt", "chevrolet"]),
        ("продажи Шевроле Кобальта", ["chevrolet-cobalt", "chevrolet"]),
        ("о Шевроле Трекере", ["chevrolet-tracker", "chevrolet"]),
        ("с Шевроле Ониксом", ["chevrolet-onix", "chevrolet"]),
        ("«Шевроле Оникс»", ["chevrolet-onix", "chevrolet"]),
        ("ШЕВРОЛЕ КОБАЛЬТ ПОДЕШЕВЕЛ", ["chevrolet-cobalt", "chevrolet"]),
        ("Chevrolet Трекер", ["chevrolet-tracker", "chevrolet"]),
        ("Шевроле Cobalt", ["chevrolet-cobalt", "chevrolet"]),
    ],
)
def test_brand_and_model_in_cyrillic_in_every_form(matcher, text, expected):
    assert found(matcher, text) == expected


CHEVROLET_LINE = ["chevrolet-onix", "chevrolet", "chevrolet-cobalt", "chevrolet-tracker"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("новый кроссовер Трекер", ["chevrolet-tracker"]),
        ("кроссоверы «Трекер»", ["chevrolet-tracker"]),
        ("седан «Кобальт» обновился", ["chevrolet-cobalt"]),
        ("модели Кобальт и Трекер", ["chevrolet-cobalt", "chevrolet-tracker"]),
        ("Шевроле Оникс, Кобальт и Трекер", CHEVROLET_LINE),
        ("Chevrolet Onix, Кобальты и Трекеры", CHEVROLET_LINE),
    ],
)
def test_model_alone_after_a_vehicle_word_or_beside_its_brand(matcher, text, expected):
    assert found(matcher, text) == expected


def test_model_alone_where_the_article_names_its_brand(matcher):
    headline = "Шевроле наращивает выпуск"
    body = "Продажи Кобальта выросли, а на «Трекер» очередь. Цены на Ониксы не менялись."
    assert found(matcher, headline, body) == [
        "chevrolet",
        "chevrolet-cobalt",
        "chevrolet-tracker",
        "chevrolet-onix",
    ]


def test_brand_spelling_inside_a_model_name(matcher):
    assert found(matcher, "поставки грузовиков Исузу") == ["isuzu-trucks", "isuzu"]


# Russian words that look like the models ------------------------------------

# Negatives even in an article that names the brand.
NEGATIVES_BESIDE_THE_BRAND = [
    "Кобальт и никель подорожали.",  # opens a sentence: the metal
    "Корпус цвета кобальт.",
    "Кобальт подорожал на бирже в Лондоне.",
    "Установлен GPS-трекер.",
    "Трекеры для грузовиков дешевеют.",
    "Трекер GPS поставили на Шевроле.",  # opens a sentence, beside the brand
    "Подарили кольцо с ониксом.",
    "Оникс и яшма: камни Кыргызстана.",
    "Компания «Оникс» открыла ТЦ «Кобальт», а ТОО Трекер закрылось.",
    "Гостиница «Кобальт» открылась.",
]
NEGATIVES = [
    *NEGATIVES_BESIDE_THE_BRAND,
    "Продажи Кобальта выросли.",  # no brand and no vehicle word: a firm, or the metal
    "Рядом — Оникс.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alike_russian_words_are_not_models(matcher, text):
    assert not [slug for slug in found(matcher, text) if slug.startswith("chevrolet-")]


def test_no_false_models_in_an_article_about_the_brand(matcher):
    """The brand named in the article does not turn the metal or a GPS tracker
    into a model: lower case, or a capital only because a sentence opens."""
    lead = "Шевроле обновил линейку."
    mentions = found(matcher, lead, *NEGATIVES_BESIDE_THE_BRAND)
    assert [slug for slug in mentions if slug.startswith("chevrolet-")] == []
    # In one paragraph, too.
    mentions = found(matcher, lead, " ".join(NEGATIVES_BESIDE_THE_BRAND))
    assert [slug for slug in mentions if slug.startswith("chevrolet-")] == []


# A catalog of our own: a fictional brand --------------------------------------


@pytest.fixture
def karavan(db):
    brand = CompanyFactory(name="Karavan", aliases=["Караван"], kind=Company.Kind.BRAND)
    sapphire = VehicleModelFactory(brand=brand, name="Karavan Sapphire", slug="sapphire")
    velox = VehicleModelFactory(brand=brand, name="Karavan Velox", slug="velox")
    return Matcher([brand, sapphire, velox])


def test_fictional_brand_models_in_russian(karavan):
    assert found(karavan, "Караван Сапфир") == ["sapphire", brand_slug(karavan)]
    assert found(karavan, "Караван представил Велокс") == [brand_slug(karavan), "velox"]
    assert found(karavan, "внедорожник «Сапфир»") == ["sapphire"]


def test_fictional_model_spellings_need_the_brand_or_a_vehicle_word(karavan):
    assert found(karavan, "Велокс вышел на рынок") == []
    assert found(karavan, "ювелиры ценят сапфиры") == []
    assert found(karavan, "Караван обновился. Сапфиры подорожали.") == [brand_slug(karavan)]


def test_an_editors_cyrillic_alias_needs_the_same_evidence(db):
    brand = CompanyFactory(name="Karavan", aliases=["Караван"], kind=Company.Kind.BRAND)
    model = VehicleModelFactory(brand=brand, name="Karavan Sapphire", aliases=["Сапфир"])
    matcher = Matcher([brand, model])
    assert [m.entity for m in matcher.find("ювелиры ценят сапфиры")] == []
    assert [m.entity for m in matcher.find("седан «Сапфир»")] == [model]


def brand_slug(matcher: Matcher) -> str:
    return next(e.slug for e in matcher.entities.values() if isinstance(e, Company))


# The seed and whole articles --------------------------------------------------


def test_the_seed_finds_what_it_found(matcher):
    text = SEED.read_text(encoding="utf-8")
    assert set(found(matcher, text)) == {
        "rossiya",
        "kyrgyzstan",
        "minpromtorg-rossii",
        "roman-chekushov",
        "adylbek-kasymaliev",
        "tulpar-motors",
        "chevrolet",
        "chevrolet-onix",
        "chevrolet-cobalt",
        "chevrolet-tracker",
        "isuzu",
        "isuzu-trucks",
        "isuzu-buses",
    }


def test_article_with_the_brand_in_its_headline_links_models_in_the_body(matcher):
    article = ArticleFactory(
        title="Шевроле расширяет сборку",
        lead="Завод готовит новые модели.",
        body="В этом году на конвейер встанут Кобальт и Трекер.\n\nЦены на кобальт растут.",
    )
    mentions = find_mentions(article=article, matcher=matcher)
    texts = article.mention_texts()
    spans = [(n, texts[n][start:end]) for n, start, end, *_ in mentions.positions]
    assert spans == [(0, "Шевроле"), (2, "Кобальт"), (2, "Трекер")]


# A brand inside a model's name ---------------------------------------------------


@pytest.fixture
def zhetigen(db):
    brand = CompanyFactory(
        name="Zhetigen", slug="zhetigen", aliases=["Жетиген"], kind=Company.Kind.BRAND
    )
    buses = VehicleModelFactory(
        brand=brand, name="Автобусы Zhetigen", slug="buses", aliases=["автобусы … Zhetigen"]
    )
    tractors = VehicleModelFactory(
        brand=brand, name="Тракторы Zhetigen", slug="tractors", aliases=["тракторы … Zhetigen"]
    )
    return Matcher([brand, buses, tractors])


def spans(matcher: Matcher, text: str) -> list[tuple[str, str]]:
    return [(m.entity.slug, m.text) for m in matcher.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "парк пополнят автобусами Жетиген",
            [("buses", "автобусами Жетиген"), ("zhetigen", "Жетиген")],
        ),
        ("купили тракторы Zhetigen", [("tractors", "тракторы Zhetigen"), ("zhetigen", "Zhetigen")]),
        (
            "20 автобусов местной сборки Zhetigen",
            [("buses", "автобусов местной сборки Zhetigen"), ("zhetigen", "Zhetigen")],
        ),
    ],
)
def test_a_model_named_after_its_brand_mentions_the_brand_where_it_stands(zhetigen, text, expected):
    assert spans(zhetigen, text) == expected


def test_two_models_sharing_their_brand_mention_it_once(zhetigen):
    assert spans(zhetigen, "тракторы и автобусы Zhetigen") == [
        ("tractors", "тракторы и автобусы Zhetigen"),
        ("buses", "автобусы Zhetigen"),
        ("zhetigen", "Zhetigen"),
    ]


def test_another_name_between_leaves_the_brand_to_the_nearer_model(zhetigen):
    assert spans(zhetigen, "тракторы МТЗ и автобусы Zhetigen") == [
        ("buses", "автобусы Zhetigen"),
        ("zhetigen", "Zhetigen"),
    ]


# Model codes in either alphabet ------------------------------------------------


@pytest.fixture
def orzu(db):
    brand = CompanyFactory(name="Orzu", slug="orzu", aliases=["Орзу"], kind=Company.Kind.BRAND)
    truck = VehicleModelFactory(brand=brand, name="Orzu K70", slug="k70")
    return Matcher([brand, truck])


@pytest.mark.parametrize(
    "text",
    ["Орзу К70", "Орзу-К70", "Orzu К70", "ОРЗУ К70", "самосвалов Орзу К70"],  # Cyrillic «К»
)
def test_a_code_typed_with_cyrillic_look_alikes_is_the_model(orzu, text):
    assert [slug for slug, _ in spans(orzu, text)] == ["k70", "orzu"]


def test_a_cyrillic_code_alone_needs_the_brand_or_a_vehicle_word(orzu):
    assert spans(orzu, "самосвалы К70 вышли в рейс") == [("k70", "К70")]
    texts = ["Орзу наращивает выпуск.", "Первые К70 ушли в Казахстан."]
    assert [[m.text for m in found] for found in orzu.find_in_texts(texts)] == [["Орзу"], ["К70"]]


@pytest.mark.parametrize(
    "text",
    [
        "трасса К70 закрыта на ремонт",  # no brand, no vehicle word: a road
        "Орзу К700",  # another code
        "Орзу К7",
    ],
)
def test_other_codes_are_not_the_model(orzu, text):
    assert "k70" not in [slug for slug, _ in spans(orzu, text)]


# A name the article gave a place --------------------------------------------------


@pytest.mark.parametrize(
    "introduction",
    [
        "В Бишкеке открылся ТРЦ «Сапфир».",
        "Торгово-развлекательный центр «Сапфир» открылся.",
        "Бизнес-центр «Сапфир» сдан.",
        "В торговом центре «Сапфир» тесно.",
        "Компания «Сапфир» открыла склад.",
    ],
)
def test_a_quoted_name_introduced_as_a_place_stays_the_place(karavan, introduction):
    later = "Караван выставит в «Сапфире» седаны Велокс."
    mentions = found(karavan, introduction, later)
    assert "sapphire" not in mentions
    assert "velox" in mentions


def test_a_vehicle_word_still_names_the_model_beside_such_a_place(karavan):
    texts = ["ТРЦ «Сапфир» открылся.", "Караван покажет там внедорожник Сапфир."]
    assert found(karavan, *texts) == [brand_slug(karavan), "sapphire"]


# A first name that is a model's name ------------------------------------------------


@pytest.fixture
def ruslan(db):
    brand = CompanyFactory(name="Karavan", aliases=["Караван"], kind=Company.Kind.BRAND)
    model = VehicleModelFactory(brand=brand, name="Karavan Ruslan", slug="ruslan")
    return Matcher([brand, model])


@pytest.mark.parametrize(
    "text",
    [
        "Директор дилера Руслан Бекжанов рассказал о планах.",
        "пообещал Руслан Бекжанов: «Цены не вырастут».",
        "Бекжанов Руслан, директор дилера, рассказал.",
        "Руслан Асанович рассказал о планах.",
    ],
)
def test_a_first_name_beside_a_surname_is_a_person(ruslan, text):
    assert "ruslan" not in found(ruslan, "Караван обновил линейку.", text)


@pytest.mark.parametrize(
    "text", ["Первые Русланы ушли дилерам.", "Производитель Руслана, компания Караван."]
)
def test_the_model_named_like_a_first_name_still_links(ruslan, text):
    assert "ruslan" in found(ruslan, "Караван обновил линейку.", text)
