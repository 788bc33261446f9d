"""Headlines made from a document's opening sentence, and what the admin says of them."""

import pytest

from articles.models import Article
from articles.seeding import derive_title, load_documents
from articles.seeding.headlines import TITLE_MAX
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory

# Firms and people here are invented.
LONG_QUOTE = (
    "Министр заявил, что «завод по выпуску электромобилей и гибридов для рынков "
    "Центральной Азии и соседних стран будет построен в течение двух лет», и добавил детали."
)


@pytest.mark.parametrize(
    ("lead", "title"),
    [
        # Meaningful punctuation stays; only a final period goes.
        (
            "Когда в Бишкеке начнут собирать грузовики? Ответ дали в министерстве.",
            "Когда в Бишкеке начнут собирать грузовики?",
        ),
        ("Завод наконец запущен! Первые машины сошли с конвейера.", "Завод наконец запущен!"),
        ("Неужели это конец?! Нет.", "Неужели это конец?!"),
        ("Что будет с ценами дальше… Никто не знает.", "Что будет с ценами дальше…"),
        ("Что будет с ценами дальше... Никто не знает.", "Что будет с ценами дальше..."),
        ("Завод открыт. Подробности позже.", "Завод открыт"),
        # Closing quotes and brackets stay, and so do their marks.
        (
            "Директор сказал: «Мы готовы начать сборку». Подробности позже.",
            "Директор сказал: «Мы готовы начать сборку»",
        ),
        (
            "«Когда начнём сборку?» — спросил директор. Ответа нет.",
            ("«Когда начнём сборку?» — спросил директор"),
        ),
        (
            "Компания «Ак-Жол Транс» (Бишкек) открыла цех.",
            "Компания «Ак-Жол Транс» (Бишкек) открыла цех",
        ),
        # An abbreviation keeps its period.
        ("Выпуск вырос вдвое и т. д. Это много.", "Выпуск вырос вдвое и т. д."),
        # Nothing hanging at the end.
        ("Итоги года:", "Итоги года"),
    ],
)
def test_short_opening_sentence_keeps_its_meaning(lead, title):
    assert derive_title(lead) == title


def test_long_sentence_gives_its_longest_whole_clause():
    lead = (
        "Неожиданный поворот в автомобильной индустрии региона — фиктивная компания "
        "«Ак-Жол Транс» договорилась о сборке автобусов в Чуйской области? Так пишут."
    )
    # The last clause carries the sentence's question mark.
    assert derive_title(lead) == (
        "Фиктивная компания «Ак-Жол Транс» договорилась о сборке автобусов в Чуйской области?"
    )


def test_long_sentence_is_cut_at_a_comma_before_a_conjunction():
    lead = (
        "Фиктивная компания «Ак-Жол Транс» объявила о расширении производства и найме "
        "инженеров, а также о запуске нового цеха по сборке автобусов в Чуйской области "
        "к концу следующего года."
    )
    assert derive_title(lead) == (
        "Фиктивная компания «Ак-Жол Транс» объявила о расширении производства и найме инженеров…"
    )


def test_long_sentence_without_clauses_is_cut_at_a_word_that_ends_well():
    lead = (
        "Фиктивная компания «Ак-Жол Транс» объявила о расширении производства и найме "
        "инженеров и о запуске цеха в Чуйской области к концу следующего года по программе."
    )
    title = derive_title(lead)
    assert title.endswith("…") and len(title) <= TITLE_MAX
    last = title[:-1].split()[-1]
    assert last not in {"в", "к", "и", "о", "по", "для", "на"}
    assert lead.startswith(title[:-1])


def test_cut_never_ends_inside_a_short_quote():
    lead = (
        "Правительство одобрило программу локализации производства автобусов и грузовиков "
        "совместно с компанией «Ак-Жол Транс Моторс Холдинг» из Бишкека."
    )
    title = derive_title(lead)
    assert "«" not in title
    assert title == (
        "Правительство одобрило программу локализации производства автобусов и грузовиков "
        "совместно с компанией…"
    )


def test_cut_closes_a_long_quotation_instead_of_dropping_it():
    title = derive_title(LONG_QUOTE)
    assert title.startswith("Министр заявил, что «завод по выпуску электромобилей")
    assert title.endswith("…»")
    assert len(title) <= TITLE_MAX


def test_a_headline_of_words_never_exceeds_the_limit():
    assert len(derive_title(" ".join(["производство"] * 30) + "?")) <= TITLE_MAX
    assert len(derive_title("а" * 300 + ".")) <= TITLE_MAX


# The flag, the loader and the admin ------------------------------------------------


DERIVED = "date 2025-08-16\nЗавод начал сборку грузовиков! Подробности позже.\n\nТекст."
EXPLICIT = "date 2025-08-16\nЗавод начал работу\n\nЛид новости.\n\nТекст."


def load(path):
    return load_documents(paths=[path], catalog=None)


def test_loader_records_that_the_headline_was_derived(db, seed_dir):
    load(seed_dir.write("derived.txt", DERIVED))
    load(seed_dir.write("explicit.txt", EXPLICIT))
    derived = Article.objects.get(source_key="derived")
    assert (derived.title, derived.title_derived) == ("Завод начал сборку грузовиков!", True)
    assert not Article.objects.get(source_key="explicit").title_derived


def test_loading_again_keeps_an_editors_headline(db, seed_dir, admin_client):
    file = seed_dir.write("derived.txt", DERIVED)
    load(file)
    article = Article.objects.get()
    change = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(admin_client.get(change))
    data["title"] = "Заголовок редактора"
    assert admin_client.post(change, data).status_code == 302

    report = load(file)
    seed_dir.write("derived.txt", DERIVED.replace("Текст.", "Другой текст."))
    changed_report = load(file)

    article.refresh_from_db()
    assert (article.title, article.title_derived) == ("Заголовок редактора", False)
    assert len(report.unchanged) == 1 and len(changed_report.skipped) == 1


def test_loading_again_flags_articles_loaded_before_the_flag_existed(db, seed_dir):
    file = seed_dir.write("derived.txt", DERIVED)
    load(file)
    Article.objects.update(title_derived=False)  # as loaded before the field existed
    report = load(file)
    assert len(report.unchanged) == 1
    assert Article.objects.get().title_derived


def test_admin_says_the_headline_was_derived(admin_client):
    article = ArticleFactory(title_derived=True)
    page = admin_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert "составлен автоматически из первого предложения лида" in page.content.decode()
    plain = ArticleFactory()
    page = admin_client.get(f"/admin/articles/article/{plain.pk}/change/")
    assert "составлен автоматически" not in page.content.decode()


def test_admin_lists_derived_headlines_by_filter(admin_client):
    derived = ArticleFactory(title="Составленный заголовок", title_derived=True)
    ArticleFactory(title="Заголовок редактора")
    page = admin_client.get("/admin/articles/article/?title_derived__exact=1")
    assert list(page.context["cl"].result_list) == [derived]


def test_editor_saving_the_same_headline_keeps_the_flag(admin_client):
    article = ArticleFactory(title_derived=True)
    change = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(admin_client.get(change))
    data["lead"] = "Новый лид."
    assert admin_client.post(change, data).status_code == 302
    article.refresh_from_db()
    assert article.title_derived
