from pathlib import Path

import pytest
from django.core.management import call_command

from articles.linking import (
    ArticleText,
    Matcher,
    add_link,
    build_matcher,
    link_articles,
    link_entities,
    remove_link,
)
from articles.models import ArticleCompany, LinkOrigin
from articles.tests.factories import ArticleFactory
from articles.text.morphology import analyse
from articles.text.tokens import tokens
from companies.models import Company, Official, VehicleModel
from companies.tests.factories import CompanyFactory, OfficialFactory, VehicleModelFactory

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_f151a0e0119b62b8.txt"


@pytest.fixture
def matcher(catalog):
    return build_matcher()


def found(matcher: Matcher, text: str) -> list[str]:
    return [m.entity.slug for m in matcher.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Роман Чекушов выступил",  # именительный
        "слова Романа Чекушова",  # родительный
        "письмо Роману Чекушову",  # дательный
        "встретили Романа Чекушова",  # винительный
        "с Романом Чекушовым",  # творительный
        "о Романе Чекушове",  # предложный
        "Чекушову",
        "Чекушовым",
    ],
)
def test_official_in_every_case(matcher, text):
    assert found(matcher, text) == ["roman-chekushov"]


@pytest.mark.parametrize(
    "text",
    [
        "Адылбек Касымалиев",
        "Адылбека Касымалиева",
        "Адылбеку Касымалиеву",
        "Адылбеком Касымалиевым",
        "об Адылбеке Касымалиеве",
        "Касымалиевым",
    ],
)
def test_official_with_unknown_first_name(matcher, text):
    assert found(matcher, text) == ["adylbek-kasymaliev"]


@pytest.mark.parametrize(
    "text",
    [
        "Киргизия",
        "Киргизии",
        "Киргизию",
        "Киргизией",
        "о Киргизии",
        "Кыргызстана",
        "Кыргызстаном",
        "в КР",
        "Кыргызской Республики",
    ],
)
def test_country_by_any_alias_and_case(matcher, text):
    assert found(matcher, text) == ["kyrgyzstan"]


@pytest.mark.parametrize(
    "text",
    [
        "Тулпар Моторс",
        "Тулпар Моторса",
        "Тулпар Моторсу",
        "Тулпар Моторсом",
        "о Тулпар Моторсе",
        "завод «Тулпар Моторс»",
        "Tulpar Motors",
    ],
)
def test_company_with_unknown_words_in_every_case(matcher, text):
    assert found(matcher, text) == ["tulpar-motors"]


def test_plural_forms(matcher):
    # A model whose name holds its brand mentions the brand too.
    assert found(matcher, "кроссоверов Tracker") == ["chevrolet-tracker"]
    assert found(matcher, "грузовики Isuzu") == ["isuzu-trucks", "isuzu"]
    assert found(matcher, "грузовиков Isuzu") == ["isuzu-trucks", "isuzu"]
    assert found(matcher, "автобусами Isuzu") == ["isuzu-buses", "isuzu"]


def test_russia_by_abbreviation_and_case(matcher):
    assert found(matcher, "министра РФ и посла России") == ["rossiya", "rossiya"]


def test_longest_name_wins(matcher):
    text = "Минпромторг России сообщил"
    assert found(matcher, text) == ["minpromtorg-rossii"]
    assert found(matcher, "Министерством промышленности и торговли РФ") == ["minpromtorg-rossii"]


def test_officials_full_position_mentions_the_organization(matcher):
    text = "заместитель министра промышленности и торговли РФ Роман Чекушов"
    assert found(matcher, text) == ["minpromtorg-rossii", "roman-chekushov"]
    assert found(matcher, "заместителя министра промышленности и торговли РФ") == [
        "minpromtorg-rossii"
    ]


def test_short_position_does_not_name_an_organization(db):
    ministry = CompanyFactory(name="Министерство финансов", kind=Company.Kind.GOVERNMENT_BODY)
    official = OfficialFactory(name="Пётр Петров", position="министр", organization=ministry)
    assert Matcher([ministry, official]).find("министр сказал") == []


def test_model_with_brand_links_both(matcher):
    assert found(matcher, "Chevrolet Onix, Cobalt") == [
        "chevrolet-onix",
        "chevrolet",
        "chevrolet-cobalt",
    ]


def test_words_between_in_a_gapped_alias(matcher):
    text = "малые и средние грузовики и автобусы под маркой Isuzu"
    assert set(found(matcher, text)) == {"isuzu-trucks", "isuzu-buses", "isuzu"}


@pytest.mark.parametrize(
    "text",
    [
        "грузовики КАМАЗ и автобусы Isuzu",  # another name between
        "грузовики. Потом автобусы Isuzu",  # a sentence between
    ],
)
def test_gapped_alias_does_not_cross_names_or_sentences(matcher, text):
    assert "isuzu-trucks" not in found(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "новый роман вышел",  # «роман», the book
        "Роман вышел в отставку",  # a first name alone
        "легенда о тулпаре",  # the winged horse, not the company
        "Тулпар летит",  # half of the company name
        "Моторс",
        "cobalt blue",  # lower case: not the model
        "кобальт",
        "российских заводов",  # an adjective, not the country
        "киргизских заводах",
        "Касымалиевский район",
        "кр",  # the abbreviation only in capitals
        "министра промышленности",
        "Onyx",
    ],
)
def test_no_false_links(matcher, text):
    assert found(matcher, text) == []


def test_bare_surname_links_only_when_unambiguous(db):
    ivanov = OfficialFactory(name="Пётр Иванов")
    matcher = Matcher([ivanov])
    assert [m.entity for m in matcher.find("Иванова")] == [ivanov]

    namesake = OfficialFactory(name="Сергей Иванов")
    matcher = Matcher([ivanov, namesake])
    assert matcher.find("Иванов сказал") == []
    assert [m.entity for m in matcher.find("Сергей Иванов сказал")] == [namesake]


def test_bare_model_name_links_only_when_unambiguous(db):
    first = VehicleModelFactory(brand=CompanyFactory(name="Alpha"), name="Alpha Spark")
    second = VehicleModelFactory(brand=CompanyFactory(name="Beta"), name="Beta Spark")
    matcher = Matcher([first, second, first.brand, second.brand])
    assert matcher.find("новый Spark") == []
    assert [m.entity for m in matcher.find("Alpha Spark")] == [first, first.brand]


def test_short_form_that_is_another_entitys_name_does_not_link(db):
    model = VehicleModelFactory(brand=CompanyFactory(name="Lada"), name="Lada Granta")
    granta = CompanyFactory(name="Granta")
    matcher = Matcher([model, granta, model.brand])
    assert [m.entity for m in matcher.find("компания Granta")] == [granta]


def test_mentions_carry_position_and_text(matcher):
    text = "Вчера Романом Чекушовым"
    (mention,) = matcher.find(text)
    assert text[mention.start : mention.end] == mention.text == "Романом Чекушовым"


# Links in the database ------------------------------------------------------


def article_with(catalog_text: str):
    return ArticleFactory(title="Новость", lead=catalog_text, body="")


def test_link_entities_adds_linker_links(catalog):
    article = article_with("Тулпар Моторс собирает Chevrolet Tracker в Киргизии.")
    result = link_entities(article=article)
    assert {e.slug for e in result.added} == {
        "tulpar-motors",
        "chevrolet",
        "chevrolet-tracker",
        "kyrgyzstan",
    }
    link = ArticleCompany.objects.get(article=article, entity__slug="tulpar-motors")
    assert link.origin == LinkOrigin.LINKER
    assert list(Company.objects.get(slug="tulpar-motors").articles.all()) == [article]


def test_relinking_is_stable(catalog):
    article = article_with("Тулпар Моторс в Киргизии.")
    link_entities(article=article)
    assert not link_entities(article=article).changed


def test_linker_drops_its_links_the_text_no_longer_supports(catalog):
    article = article_with("Тулпар Моторс в Киргизии.")
    link_entities(article=article)
    article.lead = "Завод в Киргизии."
    article.save()
    result = link_entities(article=article)
    assert [e.slug for e in result.removed] == ["tulpar-motors"]
    assert not article.companies.exists()


def test_editor_removal_sticks(catalog):
    article = article_with("Тулпар Моторс в Киргизии.")
    link_entities(article=article)
    remove_link(article=article, entity=Company.objects.get(slug="tulpar-motors"))
    link_entities(article=article)
    call_command("relink", verbosity=0)
    assert not article.companies.exists()
    assert article.countries.filter(slug="kyrgyzstan").exists()


def test_editor_addition_survives_relinking(catalog):
    article = article_with("Текст без упоминаний.")
    official = Official.objects.get(slug="roman-chekushov")
    add_link(article=article, entity=official)
    link_entities(article=article)
    call_command("relink", verbosity=0)
    assert list(article.officials.all()) == [official]


def test_editor_can_take_back_a_removal(catalog):
    article = article_with("Тулпар Моторс.")
    plant = Company.objects.get(slug="tulpar-motors")
    remove_link(article=article, entity=plant)
    add_link(article=article, entity=plant)
    link_entities(article=article)
    assert ArticleCompany.objects.get(article=article).origin == LinkOrigin.EDITOR


def test_editor_confirming_a_linker_link_makes_it_theirs(catalog):
    article = article_with("Тулпар Моторс.")
    link_entities(article=article)
    add_link(article=article, entity=Company.objects.get(slug="tulpar-motors"))
    article.lead = "Текст изменился."
    article.save()
    link_entities(article=article)
    assert article.companies.filter(slug="tulpar-motors").exists()


def test_relink_command_reports_changes(catalog, capsys):
    article_with("Isuzu и Chevrolet.")
    call_command("relink")
    assert "1 articles changed, 2 links added, 0 removed" in capsys.readouterr().out
    VehicleModel.objects.all().delete()
    Company.objects.filter(slug="isuzu").delete()
    call_command("relink")
    assert "0 articles changed" in capsys.readouterr().out


# Speed without changing results -----------------------------------------------


def test_names_sharing_their_first_words_are_told_apart(db):
    plants = [
        CompanyFactory(name=f"Тестовый завод {n}", kind=Company.Kind.ASSEMBLY_PLANT)
        for n in (1, 17, 170)
    ]
    matcher = Matcher(plants)
    text = "Тестовый завод 17 и тестового завода 170, но не «Тестовый завод» и не завод 1."
    assert [(m.entity, m.text) for m in matcher.find(text)] == [
        (plants[1], "Тестовый завод 17"),
        (plants[2], "тестового завода 170"),
    ]


def test_matcher_finds_the_same_with_thousands_of_entities(catalog):
    text = SEED.read_text(encoding="utf-8")
    small = build_matcher()
    brands = [CompanyFactory(name=f"Марка{n}", kind=Company.Kind.BRAND) for n in range(200)]
    for brand in brands:
        for suffix in ("One", "Two", "Three"):
            VehicleModelFactory(brand=brand, name=f"{brand.name} {suffix}")
    for n in range(500):
        CompanyFactory(name=f"Тестовый завод {n}")
        OfficialFactory(name=f"Роман Тестов{n}")
    large = build_matcher()
    assert len(large.entities) > 1800
    assert [(m.entity.slug, m.start) for m in large.find(text)] == [
        (m.entity.slug, m.start) for m in small.find(text)
    ]


def test_article_words_are_the_whole_texts_words(catalog):
    article = ArticleFactory(
        title="Тулпар Моторс расширяет сборку",
        lead="Локальное производство растёт в Центральной Азии.",
        body="Первый абзац про Chevrolet Onix.\n\n## Планы\n\nВторой абзац: 3.14 и cho-to.",
    )
    words = ArticleText(article).words()
    whole = f"{article.title}\n{article.lead}\n{article.body}"
    assert words == [analyse(t.text)[0] for t in tokens(whole) if t.is_word]


@pytest.mark.parametrize(
    "body",
    [
        "## Итоги года\n\n-10% составило падение.",  # «года -10» is one token in the whole text
        "Выпуск за 2024.\n\n5 заводов работают.",
        "Слово-\n\nпродолжение.",
    ],
)
def test_article_words_give_way_where_the_pieces_could_tokenize_otherwise(db, body):
    article = ArticleFactory(title="Новость", lead="Лид.", body=body)
    assert ArticleText(article).words() is None


def test_sync_links_for_many_articles_is_link_entities_for_each(catalog):
    texts = ["Тулпар Моторс в Киргизии.", "Isuzu и Chevrolet.", "Текст без упоминаний."]
    one_by_one = [ArticleFactory(lead=text) for text in texts]
    together = [ArticleFactory(lead=text) for text in texts]
    plant = Company.objects.get(slug="tulpar-motors")
    for group in (one_by_one, together):
        remove_link(article=group[0], entity=plant)
        add_link(article=group[2], entity=Official.objects.get(slug="roman-chekushov"))
    matcher = build_matcher()
    singles = [link_entities(article=a, matcher=matcher) for a in one_by_one]
    batch = link_articles(articles=together, matcher=matcher)

    def links(article):
        return sorted(
            (type(e).__name__, e.slug)
            for e in [
                *article.companies.all(),
                *article.vehicle_models.all(),
                *article.officials.all(),
                *article.countries.all(),
            ]
        )

    for single, article, other in zip(singles, together, one_by_one, strict=True):
        assert [e.slug for e in batch[article.pk].added] == [e.slug for e in single.added]
        assert links(article) == links(other)
        article.refresh_from_db()
        other.refresh_from_db()
        assert article.mentions == other.mentions


def test_relink_command_in_batches_reports_and_bumps_once(catalog, capsys, monkeypatch):
    bumps = []
    monkeypatch.setattr("articles.management.commands.relink.BATCH_SIZE", 2)
    monkeypatch.setattr(
        "articles.management.commands.relink.bump_content_version", lambda: bumps.append(1)
    )
    for text in ["Isuzu.", "Chevrolet.", "Тулпар Моторс.", "Ничего.", "Киргизия."]:
        article_with(text)
    call_command("relink")
    assert "4 articles changed, 4 links added, 0 removed" in capsys.readouterr().out
    assert bumps == [1]
    call_command("relink")
    assert "0 articles changed" in capsys.readouterr().out
    assert bumps == [1]  # nothing changed: cached pages stay valid
