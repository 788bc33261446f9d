import datetime as dt
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from PIL import Image

from articles.images import make_renditions
from articles.linking import add_link, link_entities
from articles.models import Article
from articles.ninjs import article_to_ninjs
from articles.publishing import change_slug
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
    assert not {
        "people",
        "organisations",
        "places",
        "objects",
        "subjects",
        "bodies",
        "associations",
    } & set(document)


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


# After a slug change ----------------------------------------------------------------


def rename(article: Article, slug: str) -> None:
    old_slug, article.slug = article.slug, slug
    article.save()
    change_slug(article=article, old_slug=old_slug)


def test_a_retired_slug_redirects_to_the_current_export(db, client):
    article = ArticleFactory(slug="staryi-adres")
    rename(article, "novyi-adres")
    response = client.get("/news/staryi-adres.json")
    assert response.status_code == 301
    assert response["Location"] == "/news/novyi-adres.json"
    validate(get_ninjs(client, "novyi-adres"))


def test_a_retired_slug_of_an_unpublished_article_is_not_found(db, client):
    article = ArticleFactory(slug="staryi-adres")
    rename(article, "novyi-adres")
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert client.get("/news/staryi-adres.json").status_code == 404


# The lead image -------------------------------------------------------------------


@pytest.fixture
def illustrated(db, settings, tmp_path):
    """A published article with a 1600×1200 lead image and its renditions."""
    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 90, 160)).save(buffer, "JPEG")
    article = ArticleFactory(
        image_alt="Сборочный цех",
        image_caption="Сборка кроссоверов на заводе",
        image_credit="Пресс-служба завода",
    )
    article.image.save("ceh.jpg", ContentFile(buffer.getvalue()), save=True)
    make_renditions(article=article)
    return article


def test_the_lead_image_is_an_associated_picture_that_validates(illustrated, client):
    document = get_ninjs(client, illustrated.slug)
    validate(document)
    [picture] = document["associations"]
    assert (picture["name"], picture["type"]) == ("mainpic", "picture")
    assert picture["by"] == "Пресс-служба завода"
    assert picture["descriptions"] == [
        {"role": "caption", "contentType": "text/plain", "value": "Сборка кроссоверов на заводе"},
        {"role": "alt", "contentType": "text/plain", "value": "Сборочный цех"},
    ]


def test_the_lead_image_carries_every_rendition_and_crop(illustrated, client):
    [picture] = get_ninjs(client, illustrated.slug)["associations"]
    renditions = {r["name"]: r for r in picture["renditions"]}
    image = illustrated.lead_image
    expected = [*image.webp, *image.fallback, *image.crops.values()]
    assert len(renditions) == len(expected)
    assert renditions["jpeg-1600"] | {"href": ""} == {
        "name": "jpeg-1600",
        "href": "",
        "contentType": "image/jpeg",
        "width": 1600,
        "height": 1200,
        "sizeInBytes": image.fallback[-1].size,
    }
    assert renditions["crop-16x9"]["aspectRatio"] == "16:9"
    assert renditions["webp-480"]["contentType"] == "image/webp"
    for rendition in renditions.values():
        assert rendition["href"].startswith("http://testserver/"), rendition
    # The picture is known by its widest rendition, never by the upload itself.
    assert picture["uri"] == renditions["jpeg-1600"]["href"]
    assert illustrated.image.name not in json.dumps(picture)


def test_a_picture_without_caption_or_credit_still_validates(illustrated, client):
    Article.objects.filter(pk=illustrated.pk).update(image_caption="", image_credit="")
    [picture] = get_ninjs(client, illustrated.slug)["associations"]
    validate(get_ninjs(client, illustrated.slug))
    assert "by" not in picture
    assert [d["role"] for d in picture["descriptions"]] == ["alt"]


def test_query_count_is_the_same_with_a_lead_image(illustrated, client, django_assert_num_queries):
    with django_assert_num_queries(6):  # as without: the renditions are in the article's row
        client.get(f"/news/{illustrated.slug}.json")
