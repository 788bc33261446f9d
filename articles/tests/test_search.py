"""The search page, on SQLite and on PostgreSQL alike; PostgreSQL specifics at the end."""

import datetime as dt
import random
import re
import time

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.linking import add_link, link_entities, remove_link
from articles.models import Article
from articles.search import (
    MAX_QUERY_LENGTH,
    PAGE_SIZE,
    clean_query,
    highlight,
    match_catalog,
    postgres_candidates,
    postgres_matches,
    query_terms,
    service,
)
from articles.search.postgres import WINDOW_STARTS_SECONDS, find_window_starts, window_starts
from articles.tests.factories import ArticleFactory
from companies.models import Company

CATALOG = settings.BASE_DIR / "seeds" / "catalog.json"


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response


def found_titles(client, query, **params) -> list[str]:
    return [r.article.title for r in search(client, query, **params).context["results"]]


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


# --- Matching -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Новый завод в Киргизии", "заводы Киргизии"),
        ("Заводы Киргизии наращивают выпуск", "завод в Киргизии"),
        ("Тулпар Моторс расширяет выпуск", "Тулпар Моторса"),
        ("Грузовики собирают в Бишкеке", "грузовик"),
    ],
)
def test_any_form_of_a_word_matches(db, client, title, query):
    ArticleFactory(title=title)
    assert found_titles(client, query) == [title]


def test_lead_and_body_are_searched(db, client):
    ArticleFactory(title="В лиде", lead="Сборочный конвейер запущен.")
    ArticleFactory(title="В тексте", body="Первый абзац.\n\nКонвейеры работают в две смены.")
    assert sorted(found_titles(client, "конвейер")) == ["В лиде", "В тексте"]


def test_every_query_word_must_occur(db, client):
    ArticleFactory(title="Завод в Казахстане")
    ArticleFactory(title="Завод в Киргизии")
    assert found_titles(client, "заводы Киргизии") == ["Завод в Киргизии"]


def test_drafts_and_scheduled_articles_are_never_found(db, client):
    ArticleFactory(title="Черновик о конвейере", status=Article.Status.DRAFT)
    ArticleFactory(title="Будущая статья о конвейере", published_at=ago(hours=-2))
    ArticleFactory(title="Вышедшая статья о конвейере")
    assert found_titles(client, "конвейер") == ["Вышедшая статья о конвейере"]


# --- Ranking --------------------------------------------------------------------


def test_headline_match_outranks_lead_match_outranks_body_match(db, client):
    # Newest first would give the opposite order: rank must win.
    ArticleFactory(title="Конвейер запущен", published_at=ago(days=3))
    ArticleFactory(title="Новости лида", lead="Запущен конвейер.", published_at=ago(days=2))
    ArticleFactory(
        title="Новости текста",
        body="Абзац.\n\nЗапущен конвейер, а за ним ещё конвейер и конвейер.",
        published_at=ago(days=1),
    )
    assert found_titles(client, "конвейеры") == [
        "Конвейер запущен",
        "Новости лида",
        "Новости текста",
    ]


def test_equal_matches_list_newest_first(db, client):
    ArticleFactory(title="Конвейер старый", published_at=ago(days=2))
    ArticleFactory(title="Конвейер новый", published_at=ago(days=1))
    assert found_titles(client, "конвейер") == ["Конвейер новый", "Конвейер старый"]


# --- Highlighting and escaping --------------------------------------------------


def test_matches_are_marked_in_headline_and_snippet(db, client):
    ArticleFactory(
        title="Завод в Киргизии",
        body="Первый абзац.\n\nНа заводе Тулпар Моторс в Киргизии собирают машины.",
    )
    content = search(client, "заводы Киргизии").content.decode()
    assert "<mark>Завод</mark> в <mark>Киргизии</mark></a></h2>" in content
    assert (
        '<p class="snippet">На <mark>заводе</mark> Тулпар Моторс в <mark>Киргизии</mark>'
        " собирают машины.</p>"
    ) in content


def test_long_passage_is_cut_around_the_match(db, client):
    filler = " ".join(["слово"] * 60)
    ArticleFactory(title="Длинная статья", body=f"{filler} конвейер {filler}")
    [result] = search(client, "конвейер").context["results"]
    assert result.snippet.startswith("… ")
    assert result.snippet.endswith(" …")
    assert "<mark>конвейер</mark>" in result.snippet
    assert len(result.snippet.split()) < 40


def test_headline_only_match_shows_the_lead(db, client):
    ArticleFactory(title="Конвейер", lead="Краткое содержание новости.")
    [result] = search(client, "конвейер").context["results"]
    assert result.snippet == "Краткое содержание новости."


def test_article_text_is_escaped_and_only_marks_are_markup(db, client):
    ArticleFactory(
        title="<script>alert(1)</script> Завод",
        lead='Завод & <img src=x onerror="alert(2)">',
    )
    content = search(client, "завод").content.decode()
    assert "<script>alert(1)" not in content
    assert "<img" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Завод</mark>" in content
    assert "<mark>Завод</mark> &amp; &lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in content


def test_highlight_escapes_around_marks():
    html = highlight('<b>завод</b> "Тулпар Моторс"', query_terms("заводы Тулпар Моторс"))
    assert html == "&lt;b&gt;<mark>завод</mark>&lt;/b&gt; &quot;<mark>Тулпар Моторс</mark>&quot;"


def test_query_is_echoed_escaped(db, client):
    content = search(client, '<script>alert("q")</script>').content.decode()
    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt;" in content


# --- Entities -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "url"),
    [
        ("Тулпар Моторса", "/companies/tulpar-motors/"),
        ("тулпар", "/companies/tulpar-motors/"),
        ("киргизия", "/countries/kyrgyzstan/"),
        ("заводы Киргизии", "/countries/kyrgyzstan/"),
        ("Романом Чекушовым", "/officials/roman-chekushov/"),
        ("Chevrolet Tracker", "/models/chevrolet-tracker/"),
    ],
)
def test_entities_matching_the_query_are_linked(catalog, client, query, url):
    content = search(client, query).content.decode()
    section = content[content.index('<section class="search-entities"') :]
    assert f'<a href="{url}">' in section[: section.index("</section>")]


def test_entities_are_shown_above_articles(catalog, client):
    ArticleFactory(title="Тулпар Моторс расширяет выпуск")
    content = search(client, "Тулпар Моторс").content.decode()
    assert content.index('class="search-entities"') < content.index('class="search-results"')


def test_unrelated_query_lists_no_entities(catalog, client):
    assert search(client, "конвейер").context["entities"] == []


# --- Articles of the entities a query names -----------------------------------------


def linked_article(title: str, *, lead: str = "Краткое содержание новости.", **fields):
    article = ArticleFactory(title=title, lead=lead, **fields)
    link_entities(article=article)
    return article


@pytest.mark.parametrize(
    ("query", "lead"),
    [
        ("Tulpar Motors", "Тулпар Моторс расширяет выпуск."),
        ("Шевроле", "Новый дилерский центр Chevrolet открылся в Бишкеке."),
        ("Тулпар Моторс", "Tulpar Motors расширяет выпуск."),
        ("Киргизия", "Кыргызстан наращивает выпуск."),
    ],
)
def test_a_query_naming_an_entity_finds_its_articles_whatever_name_they_use(
    catalog, client, query, lead
):
    linked_article("Новость дня", lead=lead)
    ArticleFactory(title="Другая новость")
    assert found_titles(client, query) == ["Новость дня"]


def test_an_article_an_editor_linked_is_found_by_the_entitys_name(catalog, client):
    article = ArticleFactory(title="Сборка кроссоверов", lead="Завод в Бишкеке нанял смену.")
    add_link(article=article, entity=Company.objects.get(name="Тулпар Моторс"))
    assert found_titles(client, "Тулпар Моторс") == ["Сборка кроссоверов"]


def test_a_link_an_editor_removed_no_longer_finds_the_article(catalog, client):
    article = linked_article("Сборка кроссоверов", lead="Тулпар Моторс нанял смену.")
    remove_link(article=article, entity=Company.objects.get(name="Тулпар Моторс"))
    assert found_titles(client, "Tulpar Motors") == []


def test_the_other_query_words_must_still_be_in_the_text(catalog, client):
    linked_article("Тулпар Моторс открыл завод", published_at=ago(days=1))
    linked_article("Тулпар Моторс нанял смену", published_at=ago(days=2))
    ArticleFactory(title="Новый завод в Оше", published_at=ago(days=3))
    assert found_titles(client, "завод Tulpar Motors") == ["Тулпар Моторс открыл завод"]


def test_every_entity_the_query_names_must_be_linked_or_named(catalog, client):
    linked_article("Конвейер", lead="Тулпар Моторс собирает Chevrolet Tracker.")
    linked_article("Цех", lead="Тулпар Моторс нанял смену.")
    assert found_titles(client, "Tulpar Motors Chevrolet Tracker") == ["Конвейер"]


def test_drafts_linked_to_the_entity_are_never_found(catalog, client):
    linked_article("Черновик", lead="Тулпар Моторс.", status=Article.Status.DRAFT)
    linked_article("Будущее", lead="Тулпар Моторс.", published_at=ago(hours=-2))
    assert found_titles(client, "Tulpar Motors") == []


def test_an_article_linked_to_the_named_entity_ranks_like_a_headline_match(catalog, client):
    # Newest first would give the opposite order: the linked article, its name
    # written in the body in another alphabet, ranks with the headline match.
    linked_article(
        "Новости отрасли",
        lead="Краткий обзор.",
        body="Первый абзац.\n\nТулпар Моторс расширяет выпуск.",
        published_at=ago(days=3),
    )
    ArticleFactory(title="Tulpar Motors расширяет выпуск", published_at=ago(days=2))
    ArticleFactory(
        title="Обзор рынка",
        body="Первый абзац.\n\nО планах Tulpar Motors.",
        published_at=ago(days=1),
    )
    assert found_titles(client, "Tulpar Motors")[-1] == "Обзор рынка"
    assert set(found_titles(client, "Tulpar Motors")[:2]) == {
        "Новости отрасли",
        "Tulpar Motors расширяет выпуск",
    }


def test_part_of_a_name_lists_the_entity_but_names_none_of_its_articles(catalog, client):
    linked_article("Цех", lead="Tulpar Motors нанял смену.")
    response = search(client, "тулпар")
    assert [e.name for e in response.context["entities"]] == ["Тулпар Моторс"]
    assert response.context["results"] == []


def test_articles_found_by_links_are_bounded_like_any_match(catalog, client, monkeypatch):
    monkeypatch.setattr(service, "MAX_CANDIDATES", 3)
    for days in range(1, 6):
        linked_article(
            f"Цех {days}", lead="Тулпар Моторс нанял смену.", published_at=ago(days=days)
        )
    response = search(client, "Tulpar Motors")
    assert [r.article.title for r in response.context["results"]] == ["Цех 1", "Цех 2", "Цех 3"]
    assert response.context["capped"]


@pytest.mark.parametrize("articles", [1, 30])
def test_query_count_is_fixed_when_the_query_names_entities(
    catalog, client, django_assert_num_queries, articles
):
    # As for any query (below): the content version, the candidates (with their
    # links on SQLite; with their rank on PostgreSQL), on PostgreSQL the page.
    expected = 3 if connection.vendor == "postgresql" else 2
    for n in range(articles):
        linked_article(f"Цех {n}", lead="Тулпар Моторс и Chevrolet в Кыргызстане.")
    search(client, "Tulpar Motors Шевроле Киргизии")
    with django_assert_num_queries(expected):
        results = search(client, "Tulpar Motors Шевроле Киргизии").context["results"]
    assert len(results) == min(articles, PAGE_SIZE)


# --- Odd input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "?!.,;:«»—",
        "' OR 1=1 --",
        "'; DROP TABLE articles_article; --",
        '<script>alert("x")</script>',
        "\x00",
        "завод\x00ы",
        "и в на же",
        "% _ \\ %%",
        "завод & | ! ( ) :*",
        '"незакрытая кавычка',
        "🏭 ЁЖ ёж",
        "a" * 5000,
    ],
)
def test_odd_queries_give_a_normal_page(db, client, query):
    ArticleFactory(title="Завод в Киргизии")
    response = search(client, query)
    assert "<h1>" in response.content.decode()
    assert Article.objects.count() == 1


def test_empty_query_prompts_without_touching_the_database(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        content = search(client, "").content.decode()
    assert "Введите слово" in content
    assert "Ничего не найдено" not in content


def test_stop_words_alone_find_nothing(db, client):
    ArticleFactory(title="Завод в Киргизии и на Урале")
    assert "Ничего не найдено" in search(client, "и в на").content.decode()


def test_nothing_found_says_so(db, client):
    ArticleFactory(title="Завод в Киргизии")
    assert "Ничего не найдено" in search(client, "конвейер").content.decode()


def test_long_query_is_truncated_and_the_page_says_so(db, client):
    ArticleFactory(title="Завод")
    response = search(client, "завод " + "x" * 300)
    assert len(response.context["query"]) == MAX_QUERY_LENGTH
    assert "Запрос слишком длинный" in response.content.decode()


def test_clean_query_drops_control_characters_and_extra_spaces():
    assert clean_query("  завод\x00ы \t Киргизии\n") == ("завод ы Киргизии", False)
    assert clean_query("я" * 201) == ("я" * MAX_QUERY_LENGTH, True)


# --- Pagination and queries -----------------------------------------------------


@pytest.fixture
def many_matches(db):
    for n in range(PAGE_SIZE + 5):
        ArticleFactory(title=f"Конвейер {n}", published_at=ago(hours=n + 1))


def test_results_are_paginated_and_links_keep_the_query(many_matches, client):
    first = search(client, "конвейер")
    assert len(first.context["results"]) == PAGE_SIZE
    assert first.context["next_url"] == "?q=%D0%BA%D0%BE%D0%BD%D0%B2%D0%B5%D0%B9%D0%B5%D1%80&page=2"
    second = search(client, "конвейер", page="2")
    assert len(second.context["results"]) == 5
    assert second.context["results"][0].article.title == f"Конвейер {PAGE_SIZE}"


def test_an_empty_page_number_is_the_first_page(many_matches, client):
    assert search(client, "конвейер", page="").context["page_obj"].number == 1


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "3", "9" * 30, "9" * 5000])
def test_odd_page_numbers_and_pages_past_the_end_are_not_found(many_matches, client, page):
    # As on every list (portal.pagination): never page 1 under another address.
    assert client.get("/search/", {"q": "конвейер", "page": page}).status_code == 404


def test_query_count_does_not_grow_with_results(catalog, client, django_assert_num_queries):
    # The content version (the catalog is kept per version: the first search loads
    # it), then SQLite: the candidates; PostgreSQL: the candidates with their rank
    # (the window starts are kept a while too), the page's articles.
    expected = 3 if connection.vendor == "postgresql" else 2
    ArticleFactory(title="Конвейер в Киргизии")
    search(client, "конвейер Киргизия")
    with django_assert_num_queries(expected):
        search(client, "конвейер Киргизия")
    for n in range(30):
        ArticleFactory(title=f"Конвейер {n} в Киргизии")
    with django_assert_num_queries(expected):
        search(client, "конвейер Киргизия")


# --- PostgreSQL -----------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_search_vector_is_a_generated_column_with_a_gin_index(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated, generation_expression FROM information_schema.columns"
            " WHERE table_name = 'articles_article' AND column_name = 'search_vector'"
        )
        is_generated, expression = cursor.fetchone()
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_article'"
            " AND indexname = 'articles_article_search_vector_gin'"
        )
        [index] = cursor.fetchone()
    assert is_generated == "ALWAYS"
    assert "'russian'::regconfig" in expression
    assert "USING gin (search_vector)" in index


@pytest.mark.postgres
def test_postgres_search_vector_stays_in_the_article_row(db):
    # Search reads one vector per article it looks at: kept in the row (storage
    # MAIN), not moved to the TOAST table as a vector this large is by default.
    letters = "абвгдежзиклмнопрстуфхцчшэюя"
    shuffle = random.Random(1)
    words = ["".join(shuffle.choices(letters, k=9)) for _ in range(220)]
    article = ArticleFactory(body=" ".join(words))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'articles_article'::regclass"
            " AND attname = 'search_vector'"
        )
        [storage] = cursor.fetchone()
        cursor.execute(
            "SELECT pg_column_size(search_vector) FROM articles_article WHERE id = %s",
            [article.pk],
        )
        [vector_size] = cursor.fetchone()
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'articles_article'"
        )
        [toast_table] = cursor.fetchone()
        # The size of each value moved out of line (chunks summed per value).
        cursor.execute(f"SELECT sum(octet_length(chunk_data)) FROM {toast_table} GROUP BY chunk_id")
        out_of_line = [size for (size,) in cursor.fetchall()]
    assert storage == "m"
    assert vector_size > 2500  # over the ~2 KB at which values are moved out by default
    assert out_of_line  # the body is (a control: the query sees moved values)
    assert vector_size not in out_of_line


@pytest.mark.postgres
def test_postgres_vector_follows_every_write(db, client):
    article = ArticleFactory(title="Новость дня")
    Article.objects.filter(pk=article.pk).update(title="Запущен конвейер")
    assert found_titles(client, "конвейеры") == ["Запущен конвейер"]
    article.refresh_from_db()
    article.lead = "Кроссоверы Chevrolet собирают в Бишкеке."
    article.save()
    assert found_titles(client, "кроссовер") == ["Запущен конвейер"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM articles_article WHERE id = %s", [article.pk]
        )
        [vector] = cursor.fetchone()
    assert "'конвейер':2A" in vector
    assert "'кроссовер':3B" in vector


@pytest.mark.postgres
def test_postgres_search_uses_the_gin_index(db):
    # Realistic statistics: nearly every article is published (so the status index
    # narrows nothing) and few mention the words.
    Article.objects.bulk_create(
        ArticleFactory.build(title=f"Новость {n}", slug=f"n-{n}") for n in range(300)
    )
    ArticleFactory(title="Завод в Киргизии")
    with connection.cursor() as cursor:
        # What autovacuum does in production: new rows leave the GIN pending list,
        # which the planner would otherwise price as a scan of its own.
        cursor.execute("SELECT gin_clean_pending_list('articles_article_search_vector_gin')")
        cursor.execute("ANALYZE articles_article")
        # Inside the test's transaction only: on a table this small a scan is cheaper.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = postgres_matches(terms=query_terms("заводы Киргизии")).explain()
    assert "Bitmap Index Scan on articles_article_search_vector_gin" in plan


@pytest.mark.postgres
def test_postgres_rank_is_ts_rank_with_headline_weighted_highest(db):
    ArticleFactory(title="Конвейер")
    ArticleFactory(title="Другое", body="Абзац.\n\nКонвейер.")
    found = postgres_candidates(terms=query_terms("конвейер"), limit=service.MAX_CANDIDATES)
    titles = dict(Article.objects.values_list("id", "title"))
    ranks = {titles[pk]: rank for pk, rank in found}
    # ts_rank's default weights: A (headline) 1.0, C (body) 0.2.
    assert ranks["Конвейер"] == pytest.approx(5 * ranks["Другое"])


# --- Only the newest matches are ranked ------------------------------------------


def test_more_matches_than_are_ranked_rank_the_newest_and_say_so(db, client, monkeypatch):
    monkeypatch.setattr(service, "MAX_CANDIDATES", 3)
    for days in range(1, 6):
        ArticleFactory(title=f"Конвейер {days}", published_at=ago(days=days))
    # The oldest match would rank first (headline and body), but it is not among the
    # newest three.
    ArticleFactory(title="Конвейер", body="Конвейер. Конвейер.", published_at=ago(days=30))
    response = search(client, "конвейер")
    assert found_titles(client, "конвейер") == ["Конвейер 1", "Конвейер 2", "Конвейер 3"]
    text = response.content.decode()
    assert "Найдено больше 3 статей: показаны самые подходящие из 3 новых." in text


def test_fewer_matches_than_are_ranked_give_the_exact_count(db, client, monkeypatch):
    monkeypatch.setattr(service, "MAX_CANDIDATES", 3)
    ArticleFactory(title="Конвейер")
    ArticleFactory(title="Другое")
    assert "Найдено статей: 1" in search(client, "конвейер").content.decode()


@pytest.mark.postgres
def test_postgres_windows_find_the_same_newest_matches_as_a_full_search(db):
    # Newest first. The first window (the newest 3) holds two matches, the last of
    # them right at its start; the second window (down to the 6th newest) adds one,
    # again at its start; one more is older than every window.
    titles = [
        "Прочее",
        "Конвейер А",
        "Конвейер Б",
        "Прочее",
        "Прочее",
        "Конвейер В",
        "Прочее",
        "Конвейер Г",
    ]
    for days, title in enumerate(titles, start=1):
        ArticleFactory(title=title, published_at=ago(days=days))
    starts = find_window_starts(sizes=(3, 6))
    assert len(starts) == 2 and starts[0] > starts[1]
    names = dict(Article.objects.values_list("id", "title"))
    conveyor = query_terms("конвейер")

    found = postgres_candidates(terms=conveyor, limit=3, starts=starts)
    assert sorted(names[pk] for pk, _rank in found) == ["Конвейер А", "Конвейер Б", "Конвейер В"]

    found = postgres_candidates(terms=conveyor, limit=10, starts=starts)  # beyond every window
    assert sorted(names[pk] for pk, _rank in found) == [
        "Конвейер А",
        "Конвейер Б",
        "Конвейер В",
        "Конвейер Г",
    ]


def test_window_starts_are_found_on_first_use_on_a_freshly_booted_machine(
    db, monkeypatch, django_assert_num_queries
):
    # time.monotonic() counts from boot: a second after it, a start stamped 0
    # would pass for fresh and the windows would never be found.
    monkeypatch.setattr(time, "monotonic", lambda: 1.0)
    ArticleFactory(title="Конвейер")
    with django_assert_num_queries(1):
        window_starts.get()
    with django_assert_num_queries(0):
        window_starts.get()
    monkeypatch.setattr(time, "monotonic", lambda: 1.0 + WINDOW_STARTS_SECONDS)
    with django_assert_num_queries(1):
        window_starts.get()


@pytest.mark.django_db(transaction=True)
def test_an_edited_entity_is_searched_in_its_new_form(client):
    # Real commits: the catalog is kept per content version, which they replace.
    call_command("loaddata", CATALOG, verbosity=0)
    assert "Тулпар Моторс" in search(client, "Тулпар").content.decode()
    assert "Тулпар Моторс" not in search(client, "Кайрат").content.decode()
    company = Company.objects.get(name="Тулпар Моторс")
    company.aliases = [*company.aliases, "Кайрат Трак"]
    company.save()
    assert "Тулпар Моторс" in search(client, "Кайрат").content.decode()


@pytest.mark.postgres
def test_postgres_finds_a_named_entitys_articles_through_its_link_index(catalog):
    # Realistic statistics: many articles, a few linked to the entity, none naming it
    # in the words of the query.
    Article.objects.bulk_create(
        ArticleFactory.build(title=f"Новость {n}", slug=f"n-{n}") for n in range(300)
    )
    article = linked_article("Цех", lead="Тулпар Моторс нанял смену.")
    terms = query_terms("Tulpar Motors")
    namings = match_catalog(query="Tulpar Motors", terms=terms).namings
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
    with CaptureQueriesContext(connection) as captured:
        found = postgres_candidates(terms=terms, namings=namings, limit=10, starts=[])
    assert [pk for pk, _rank in found] == [article.pk]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert re.search(r"Index (Only )?Scan using \w*articlecompany\w*entity\w*", plan), plan
