import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.linking import Matcher
from articles.models import (
    Article,
    ArticleCompany,
    ArticleCountry,
    EntitySuggestion,
    LinkOrigin,
    SuggestionOccurrence,
)
from articles.suggestions import (
    Candidate,
    KnownNames,
    article_text,
    build_known_names,
    find_candidates,
    fold,
    one_per_sentence,
    scan_articles,
)
from articles.tests.factories import ArticleFactory
from companies.models import Company, Country, Official, VehicleModel

ROOT = Path(__file__).resolve().parents[2]
Kind = EntitySuggestion.Kind
Status = EntitySuggestion.Status
CHANGELIST = "/admin/articles/entitysuggestion/"
# The seed article's sentence with the second «Центральной Азии».
CENTRAL_ASIA_SENTENCE = (
    "Для российских автопроизводителей, в свою очередь, это возможность получить льготные "
    "условия для работы в регионе и прямой выход на рынки Центральной Азии."
)
# An empty catalog: what NER and the Latin heuristic find on their own.
NOTHING_KNOWN = KnownNames(
    matcher=Matcher([]), names=frozenset(), brands=frozenset(), decided=frozenset()
)


@pytest.fixture
def seeded(db):
    call_command("load_seed", verbosity=0)
    return Article.objects.get(source_key="000_f151a0e0119b62b8")


@pytest.fixture
def scanned(seeded):
    scan_articles()
    return seeded


def names(text, known=NOTHING_KNOWN):
    return {(c.name, c.kind) for c in find_candidates(text, known=known)}


def make_suggestion(name, kind, article, sentence=None):
    suggestion = EntitySuggestion.objects.create(name=name, kind=kind, mentions=1)
    SuggestionOccurrence.objects.create(
        suggestion=suggestion, article=article, sentence=sentence or article.lead
    )
    return suggestion


# --- Finding names ------------------------------------------------------------


def test_natasha_names_are_put_in_their_initial_form():
    found = names(
        "Слова Романа Чекушова о рынках Центральной Азии. Представители "
        "Министерства промышленности и торговли Узбекистана приехали."
    )
    assert {
        ("Роман Чекушов", Kind.PERSON),
        ("Центральная Азия", Kind.PLACE),
        # The ministry is Uzbekistan's: the country stays in its name.
        ("Министерство промышленности и торговли Узбекистана", Kind.ORGANISATION),
        ("Узбекистан", Kind.PLACE),
    } <= found


def test_runs_of_capitalised_latin_words_are_vehicle_models():
    found = names(
        "В салонах стоят Lada Granta, Hyundai Tucson 2024 и кроссоверы Jolion, "
        "а также машины с пометкой SUV."
    )
    models = {name for name, kind in found if kind == Kind.VEHICLE_MODEL}
    # The year is not part of the name; a lone acronym is no model.
    assert models == {"Lada Granta", "Hyundai Tucson", "Jolion"}


def test_a_lone_latin_word_without_a_vehicle_word_is_no_model():
    found = names("Об этом сообщает Telegram-канал, а продажи Tracker выросли.")
    assert not {name for name, kind in found if kind == Kind.VEHICLE_MODEL}


def test_latin_company_names_are_organisations_not_models():
    found = names("Сделку одобрила General Motors.")
    assert ("General Motors", Kind.ORGANISATION) in found
    assert ("General Motors", Kind.VEHICLE_MODEL) not in found


def test_lone_surname_joins_the_full_name():
    found = find_candidates(
        "Директор завода Бакыт Асанов показал цех. По словам Асанова, это только начало.",
        known=NOTHING_KNOWN,
    )
    assert [(c.name, c.sentence) for c in found if c.kind == Kind.PERSON] == [
        ("Бакыт Асанов", "Директор завода Бакыт Асанов показал цех."),
        ("Бакыт Асанов", "По словам Асанова, это только начало."),
    ]


def test_names_the_catalog_knows_in_any_form_are_dropped(catalog):
    text = (
        "Роману Чекушову и Чекушову, «Тулпар Моторсу», Isuzu, РФ, Киргизии и Кыргызстану "
        "нравятся кроссоверы Tracker и Chevrolet Onix, а Центральной Азии — Lada Granta."
    )
    assert names(text, build_known_names()) == {
        ("Центральная Азия", Kind.PLACE),
        ("Lada Granta", Kind.VEHICLE_MODEL),
    }


def test_a_new_name_containing_a_known_one_is_still_suggested(catalog):
    # The linker finds «Chevrolet Onix» inside it, but no catalog entity covers it all.
    found = names("Завод готовит Chevrolet Onix Plus.", build_known_names())
    assert found == {("Chevrolet Onix Plus", Kind.VEHICLE_MODEL)}


def test_a_headline_cut_from_the_lead_is_not_a_second_mention():
    lead = "Неожиданный поворот в Центральной Азии — заводы ждут инвесторов."
    candidates = [
        Candidate("Центральная Азия", Kind.PLACE, "Поворот в Центральной Азии"),
        Candidate("Центральная Азия", Kind.PLACE, lead),
    ]
    assert one_per_sentence(candidates) == [candidates[1]]


def test_fold_ignores_case_quotes_and_yo():
    assert fold("«Тулпар  Моторс»") == fold("тулпар моторс")
    assert fold("Алёна") == fold("Алена")


def test_importing_the_module_does_not_load_natasha():
    # Web workers import it through the admin; natasha's ~300 MB must stay out.
    code = (
        "import sys, django; django.setup(); import articles.suggestions, articles.admin; "
        "sys.exit('natasha' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"}
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


# --- Scanning the seed ----------------------------------------------------------


def test_seed_suggests_central_asia(scanned):
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    assert (suggestion.kind, suggestion.status) == (Kind.PLACE, Status.NEW)
    assert list(suggestion.articles.distinct()) == [scanned]
    assert suggestion.mentions == 2


def test_seed_suggests_nothing_the_catalog_has(scanned):
    suggested = {fold(name) for name in EntitySuggestion.objects.values_list("name", flat=True)}
    catalog = {
        fold(name)
        for model in (Country, Company, VehicleModel, Official)
        for entity in model.objects.all()
        for name in entity.names
    }
    assert suggested
    assert not suggested & catalog
    for name in ["Киргизия", "Кыргызстан", "Россия", "РФ", "Роман Чекушов", "Чекушов"]:
        assert fold(name) not in suggested
    for name in ["Адылбек Касымалиев", "Тулпар Моторс", "Isuzu", "Chevrolet", "Tracker"]:
        assert fold(name) not in suggested


def test_stored_sentence_is_the_sentence_of_the_article(scanned):
    sentences = list(
        SuggestionOccurrence.objects.filter(suggestion__name="Центральная Азия").values_list(
            "sentence", flat=True
        )
    )
    assert CENTRAL_ASIA_SENTENCE in sentences
    text = " ".join(article_text(scanned).split())
    assert all(sentence in text for sentence in sentences)


def test_scanning_again_changes_nothing(scanned):
    before = list(
        SuggestionOccurrence.objects.order_by("suggestion__name", "sentence").values_list(
            "suggestion__name", "suggestion__mentions", "sentence"
        )
    )
    report = scan_articles()
    after = list(
        SuggestionOccurrence.objects.order_by("suggestion__name", "sentence").values_list(
            "suggestion__name", "suggestion__mentions", "sentence"
        )
    )
    assert (report.articles, report.created) == (1, 0)
    assert after == before


def test_rescanning_a_changed_article_replaces_its_occurrences(scanned):
    Article.objects.filter(pk=scanned.pk).update(
        lead="Заводы в Южной Корее ждут инвесторов.", body=""
    )
    report = scan_articles()
    assert report.removed == 1
    assert not EntitySuggestion.objects.filter(name="Центральная Азия").exists()
    korea = EntitySuggestion.objects.get(name="Южная Корея")
    assert (korea.mentions, korea.occurrences.get().sentence) == (
        1,
        "Заводы в Южной Корее ждут инвесторов.",
    )


def test_rejected_names_never_come_back(scanned):
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    suggestion.status = Status.REJECTED
    suggestion.save()
    ArticleFactory(lead="Рынки Центральной Азии растут.")
    report = scan_articles()
    assert report.created == 0
    assert list(EntitySuggestion.objects.filter(name="Центральная Азия")) == [suggestion]
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.mentions) == (Status.REJECTED, 2)


def test_mentions_count_every_article(scanned):
    ArticleFactory(status=Article.Status.DRAFT, lead="Рынки Центральной Азии растут.", body="")
    scan_articles()
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    assert (suggestion.mentions, suggestion.articles.distinct().count()) == (3, 2)


def test_dry_run_writes_nothing(seeded):
    report = scan_articles(dry_run=True)
    assert (report.suggestions, report.created) == (1, 1)
    assert not EntitySuggestion.objects.exists()


# --- The command ----------------------------------------------------------------


def test_command_prints_a_summary(seeded, capsys):
    call_command("suggest_entities")
    assert capsys.readouterr().out.strip() == "1 articles scanned, 1 suggestions (1 new)"


@pytest.mark.parametrize(("since", "scanned_count"), [("2025-08-16", 1), ("2025-08-17", 0)])
def test_since_takes_articles_from_that_day(seeded, capsys, since, scanned_count):
    call_command("suggest_entities", since=since)
    assert capsys.readouterr().out.startswith(f"{scanned_count} articles scanned")
    assert EntitySuggestion.objects.exists() == bool(scanned_count)


def test_since_must_be_a_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("suggest_entities", since="16.08.2025")


# --- Accepting and rejecting in the admin ----------------------------------------


def accept(client, suggestion, **data):
    return client.post(f"{CHANGELIST}{suggestion.pk}/accept/", data)


def test_accepting_as_country_links_the_articles(scanned, admin_client):
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    page = admin_client.get(f"{CHANGELIST}{suggestion.pk}/accept/")
    form = page.context["form"]
    assert (form["target"].value(), form["name"].value(), form["slug"].value()) == (
        "country",
        "Центральная Азия",
        "tsentralnaia-aziia",
    )
    response = accept(
        admin_client,
        suggestion,
        target="country",
        name="Центральная Азия",
        slug="tsentralnaia-aziia",
    )
    assert response.status_code == 302
    country = Country.objects.get(slug="tsentralnaia-aziia")
    assert list(scanned.countries.filter(pk=country.pk)) == [country]
    # The linker found it by its name, so the body links to it as well.
    assert ArticleCountry.objects.get(article=scanned, entity=country).origin == LinkOrigin.LINKER
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.entity) == (Status.ACCEPTED, country)


def test_accepted_names_are_not_suggested_again(scanned, admin_client):
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    accept(
        admin_client,
        suggestion,
        target="country",
        name="Центральная Азия",
        slug="tsentralnaia-aziia",
    )
    report = scan_articles()
    assert (report.suggestions, report.created) == (0, 0)
    assert list(EntitySuggestion.objects.all()) == [suggestion]


def test_accepting_as_company(db, admin_client):
    article = ArticleFactory(lead="Азиатский банк развития выделил кредит.", body="")
    suggestion = make_suggestion("Азиатский банк развития", Kind.ORGANISATION, article)
    response = accept(
        admin_client,
        suggestion,
        target="company",
        name="Азиатский банк развития",
        slug="aziatskii-bank-razvitiia",
        company_kind="other",
    )
    assert response.status_code == 302
    company = Company.objects.get(slug="aziatskii-bank-razvitiia")
    assert (company.name, company.kind, company.description) == (
        "Азиатский банк развития",
        Company.Kind.OTHER,
        "",
    )
    assert list(article.companies.all()) == [company]


def test_accepting_as_official(db, admin_client):
    article = ArticleFactory(lead="Министр Иван Примеров открыл завод.", body="")
    suggestion = make_suggestion("Иван Примеров", Kind.PERSON, article)
    accept(admin_client, suggestion, target="official", name="Иван Примеров", slug="ivan-primerov")
    official = Official.objects.get(slug="ivan-primerov")
    # Only what the editor chose: no invented position or country.
    assert (official.position, official.organization, official.country) == ("", None, None)
    assert list(article.officials.all()) == [official]


def test_accepting_as_vehicle_model_guesses_the_brand(catalog, admin_client):
    article = ArticleFactory(lead="Завод начнёт собирать Isuzu NMR.", body="")
    suggestion = make_suggestion("Isuzu NMR", Kind.VEHICLE_MODEL, article)
    isuzu = Company.objects.get(slug="isuzu")
    page = admin_client.get(f"{CHANGELIST}{suggestion.pk}/accept/")
    assert page.context["form"]["brand"].value() == isuzu.pk
    accept(
        admin_client,
        suggestion,
        target="vehicle_model",
        name="Isuzu NMR",
        slug="isuzu-nmr",
        brand=isuzu.pk,
    )
    model = VehicleModel.objects.get(slug="isuzu-nmr")
    assert model.brand == isuzu
    assert list(article.vehicle_models.all()) == [model]


def test_a_vehicle_model_needs_a_brand(catalog, admin_client):
    article = ArticleFactory(lead="Завод начнёт собирать Lada Granta.", body="")
    suggestion = make_suggestion("Lada Granta", Kind.VEHICLE_MODEL, article)
    response = accept(
        admin_client,
        suggestion,
        target="vehicle_model",
        name="Lada Granta",
        slug="lada-granta",
        brand="",
    )
    assert response.status_code == 200
    assert "brand" in response.context["form"].errors
    assert not VehicleModel.objects.filter(slug="lada-granta").exists()


def test_a_name_the_linker_cannot_find_is_linked_as_the_editors(db, admin_client):
    article = ArticleFactory(lead="Завод открыла компания «Ромашка-Авто».", body="")
    suggestion = make_suggestion("Ромашка Авто Групп", Kind.ORGANISATION, article)
    accept(
        admin_client,
        suggestion,
        target="company",
        name="Ромашка Авто Групп",
        slug="romashka-avto",
        company_kind="other",
    )
    link = ArticleCompany.objects.get(article=article)
    assert (link.entity.slug, link.origin) == ("romashka-avto", LinkOrigin.EDITOR)


def test_accepting_needs_add_permission_on_the_entity(scanned, client):
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_entitysuggestion", "change_entitysuggestion", "add_company"]
        )
    )
    client.force_login(editor)
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    response = accept(
        client, suggestion, target="country", name="Центральная Азия", slug="tsentralnaia-aziia"
    )
    assert response.status_code == 403
    assert not Country.objects.filter(slug="tsentralnaia-aziia").exists()
    editor.user_permissions.remove(Permission.objects.get(codename="add_company"))
    editor = User.objects.get(pk=editor.pk)  # drop the cached permissions
    client.force_login(editor)
    assert client.get(f"{CHANGELIST}{suggestion.pk}/accept/").status_code == 403


def test_reject_button(scanned, admin_client):
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    response = admin_client.post(f"{CHANGELIST}{suggestion.pk}/reject/")
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REJECTED


def test_reject_selected_action(db, admin_client):
    article = ArticleFactory()
    chosen = [make_suggestion(f"Имя {n}", Kind.PERSON, article) for n in range(3)]
    other = make_suggestion("Другое", Kind.PLACE, article)
    response = admin_client.post(
        CHANGELIST,
        {"action": "reject_selected", "_selected_action": [s.pk for s in chosen]},
    )
    assert response.status_code == 302
    assert set(EntitySuggestion.objects.filter(status=Status.REJECTED)) == set(chosen)
    other.refresh_from_db()
    assert other.status == Status.NEW


def test_change_page_shows_where_the_name_was_found(scanned, admin_client):
    suggestion = EntitySuggestion.objects.get(name="Центральная Азия")
    response = admin_client.get(f"{CHANGELIST}{suggestion.pk}/change/")
    content = response.content.decode()
    assert CENTRAL_ASIA_SENTENCE in content
    assert f"/admin/articles/article/{scanned.pk}/change/" in content
    assert "Отклонить" in content and "Принять…" in content
    assert 'name="_save"' not in content


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_changelist_query_count_is_fixed(db, admin_client):
    articles = [ArticleFactory() for _ in range(2)]
    make_suggestion("Имя 0", Kind.PERSON, articles[0])
    one = changelist_queries(admin_client)
    for n in range(1, 100):
        suggestion = make_suggestion(f"Имя {n}", Kind.PERSON, articles[0])
        SuggestionOccurrence.objects.create(suggestion=suggestion, article=articles[1], sentence="")
    assert changelist_queries(admin_client) == one
    response = admin_client.get(CHANGELIST)
    assert response.context["cl"].result_list[0].article_count in (1, 2)
