import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker, ValidationError

from articles.linking import add_link, link_entities
from articles.models import Article
from articles.ninjs import article_to_ninjs
from articles.tests.factories import ArticleFactory
from companies.tests.factories import CompanyFactory

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "schemas" / "ninjs-schema_3.1.json").read_text()
)
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")

# jsonschema checks "uri" and "date-time" only with optional packages this
# project does not install, and would let a relative link or a bare date pass.
FORMATS = FormatChecker()


@FORMATS.checks("uri")
def is_absolute_uri(value):
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not any(c.isspace() for c in value)


@FORMATS.checks("date-time", raises=ValueError)
def is_rfc3339(value):
    return bool(RFC3339.fullmatch(value)) and dt.datetime.fromisoformat(value) is not None


def validate(document):
    # The schema declares JSON Schema draft 2020-12.
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator(SCHEMA, format_checker=FORMATS).validate(document)


@pytest.fixture
def seeded(catalog):
    article = ArticleFactory(
        title="Тулпар Моторс расширяет выпуск",
        slug="tulpar-motors-rasshiryaet-vypusk",
        lead="Завод Тулпар Моторс в Киргизии собирает Chevrolet Tracker.",
        body="Первый абзац о Романе Чекушове.\n\n## Планы\n\nВторой абзац.",
        published_at=dt.datetime(2025, 8, 16, 10, 0, tzinfo=dt.UTC),
        tags=["Автопром", "Сборка"],
    )
    link_entities(article=article)
    return article


def get_ninjs(client, slug):
    response = client.get(f"/news/{slug}.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_article_with_entities_and_tags_validates(seeded, client):
    document = get_ninjs(client, seeded.slug)
    validate(document)
    assert {"people", "organisations", "places", "objects", "subjects"} <= document.keys()


def test_article_without_entities_tags_or_body_validates(db, client):
    article = ArticleFactory(body="")
    document = get_ninjs(client, article.slug)
    validate(document)
    assert not {"people", "organisations", "places", "objects", "subjects", "bodies"} & set(
        document
    )


@pytest.mark.parametrize(
    "document",
    [
        {"uri": "/news/novost/"},
        {"uri": "https://example.org/news/novost/", "firstCreated": "2025-08-16"},
    ],
    ids=["relative-uri", "date-without-time"],
)
def test_validation_checks_formats(document):
    # The format checkers above are live, not decoration.
    with pytest.raises(ValidationError):
        validate(document)


def test_document_identifies_article_and_standard(seeded, client):
    document = get_ninjs(client, seeded.slug)
    assert document["uri"] == "http://testserver/news/tulpar-motors-rasshiryaet-vypusk/"
    assert document["standard"] == {
        "name": "ninjs",
        "version": "3.1",
        "schema": SCHEMA["$id"],
    }
    assert (document["type"], document["language"]) == ("text", "ru")


def test_headline_and_summary(seeded, client):
    document = get_ninjs(client, seeded.slug)
    assert document["headlines"] == [
        {"role": "main", "contentType": "text/plain", "value": "Тулпар Моторс расширяет выпуск"}
    ]
    assert document["descriptions"] == [
        {
            "role": "summary",
            "contentType": "text/plain",
            "value": "Завод Тулпар Моторс в Киргизии собирает Chevrolet Tracker.",
        }
    ]


def test_dates_are_publication_and_last_change(seeded, client):
    document = get_ninjs(client, seeded.slug)
    first = dt.datetime.fromisoformat(document["firstCreated"])
    version = dt.datetime.fromisoformat(document["versionCreated"])
    assert first == seeded.published_at
    # The factory saved the article after its publication date.
    assert version == seeded.updated_at.replace(microsecond=0)


def test_scheduled_then_published_article_is_not_modified_before_publication(db):
    article = ArticleFactory(published_at=timezone.now() + dt.timedelta(days=1))
    document = article_to_ninjs(article, base_url="https://example.org")
    assert document["versionCreated"] == document["firstCreated"]


def test_bodies_as_html_and_plain_text(seeded, client):
    html, text = get_ninjs(client, seeded.slug)["bodies"]
    assert html["contentType"] == "text/html"
    assert html["value"] == (
        "<p>Первый абзац о Романе Чекушове.</p>\n<h2>Планы</h2>\n<p>Второй абзац.</p>"
    )
    assert text["contentType"] == "text/plain"
    assert text["value"] == "Первый абзац о Романе Чекушове.\n\nПланы\n\nВторой абзац."
    assert html["wordCount"] == text["wordCount"] == 8


def test_body_html_escapes_text(db):
    article = ArticleFactory(
        body='Цена <b>снизилась</b> & "выросла".\n\n## </h2><script>alert(1)</script>'
    )
    html, text = article_to_ninjs(article, base_url="https://example.org")["bodies"]
    assert html["value"] == (
        "<p>Цена &lt;b&gt;снизилась&lt;/b&gt; &amp; &quot;выросла&quot;.</p>\n"
        "<h2>&lt;/h2&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h2>"
    )
    assert "<script>" in text["value"]  # plain text is text: consumers escape it


def test_entities_link_to_their_pages(seeded, client):
    document = get_ninjs(client, seeded.slug)
    base = "http://testserver"
    assert document["people"] == [
        {"name": "Роман Чекушов", "uri": f"{base}/officials/roman-chekushov/", "rel": "mentioned"}
    ]
    assert {
        "name": "Тулпар Моторс",
        "uri": f"{base}/companies/tulpar-motors/",
        "rel": "mentioned",
    } in (document["organisations"])
    assert document["places"] == [
        {"name": "Кыргызстан", "uri": f"{base}/countries/kyrgyzstan/", "rel": "mentioned"}
    ]


def test_vehicle_models_are_objects(seeded, client):
    document = get_ninjs(client, seeded.slug)
    assert document["objects"] == [
        {
            "name": "Chevrolet Tracker",
            "uri": "http://testserver/models/chevrolet-tracker/",
            "rel": "mentioned",
        }
    ]


def test_tags_are_subjects(seeded, client):
    assert get_ninjs(client, seeded.slug)["subjects"] == [
        {"name": "Автопром", "uri": "http://testserver/tags/avtoprom/"},
        {"name": "Сборка", "uri": "http://testserver/tags/sborka/"},
    ]


def test_response_is_utf8_json_with_readable_cyrillic(seeded, client):
    response = client.get(f"/news/{seeded.slug}.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Тулпар Моторс".encode() in response.content


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": dt.datetime(2999, 1, 1, tzinfo=dt.UTC)},
    ],
    ids=["draft", "scheduled"],
)
def test_unpublished_article_is_not_found(db, client, overrides):
    article = ArticleFactory(**overrides)
    assert client.get(f"/news/{article.slug}.json").status_code == 404


def test_unknown_article_is_not_found(db, client):
    assert client.get("/news/net-takoy-novosti.json").status_code == 404


def test_only_safe_methods_are_allowed(seeded, client):
    assert client.post(f"/news/{seeded.slug}.json").status_code == 405


@pytest.mark.parametrize("companies", [1, 50])
def test_query_count_does_not_grow_with_links(db, client, django_assert_num_queries, companies):
    article = ArticleFactory(tags=["Автопром"])
    for company in CompanyFactory.create_batch(companies):
        add_link(article=article, entity=company)
    # The article, then one query each for tags, countries, companies, models, officials.
    with django_assert_num_queries(6):
        response = client.get(f"/news/{article.slug}.json")
    assert len(json.loads(response.content)["organisations"]) == companies
