import ast
import functools
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from html import unescape
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image

import articles.images
from articles.images.presentation import lead_image
from articles.images.renditions import delete_renditions, make_renditions, rendition_names
from articles.images.validation import MAX_UPLOAD_BYTES, validate_image_upload
from articles.jsonld import news_article_jsonld
from articles.models import Article
from articles.tests.factories import ArticleFactory

BASE = "https://example.org"
RED, BLUE = (220, 20, 20), (20, 20, 220)


# Images made in memory -----------------------------------------------------------


@functools.cache
def image_bytes(fmt="JPEG", size=(2400, 1600), mode="RGB", color=RED, orientation=None) -> bytes:
    """An image whose left half is ``color`` and right half blue."""
    image = Image.new(mode, size, color)
    image.paste(BLUE if mode == "RGB" else (*BLUE, 255), (size[0] // 2, 0, *size))
    options = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x010F] = "Canon"  # a camera maker: metadata that must not leak
        options["exif"] = exif.tobytes()
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width``×``height`` without holding the pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def rejection(data: bytes, name: str = "photo.jpg") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(upload(data, name))
    return caught.value


@pytest.fixture
def media(settings, tmp_path):
    """Uploads and renditions go to a scratch folder, never into the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def media_files(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def article_with_image(data=None, name="zavod.jpg", *, renditions=True, **fields) -> Article:
    fields = {
        "image_alt": "Сборочный цех завода",
        "image_caption": "Сборка кроссоверов",
        "image_credit": "Пресс-служба завода",
        **fields,
    }
    article = ArticleFactory(**fields)
    article.image.save(name, ContentFile(data or image_bytes()), save=True)
    if renditions:
        make_renditions(article=article)
    return article


def open_stored(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as file:
        image = Image.open(file)
        image.load()
    return image


# Upload checks -------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("JPEG", "a.jpg"), ("PNG", "a.png"), ("WEBP", "a.webp")])
def test_validator_accepts_jpeg_png_and_webp(fmt, name):
    validate_image_upload(upload(image_bytes(fmt, (800, 600)), name))


def test_validator_leaves_the_file_at_its_start():
    file = upload(image_bytes("JPEG", (800, 600)))
    validate_image_upload(file)
    assert file.tell() == 0


def test_validator_rejects_oversized_file():
    # Bytes after a JPEG's end marker are ignored by decoders: a valid, heavy file.
    data = image_bytes("JPEG", (800, 600)) + b"\0" * MAX_UPLOAD_BYTES
    error = rejection(data)
    assert error.code == "file_too_large"
    # filesizeformat keeps number and unit together with a no-break space.
    assert "Файл слишком большой: 10,0\xa0МБ" in error.messages[0]
    assert "не больше 10,0\xa0МБ" in error.messages[0]


def test_validator_rejects_text_renamed_to_jpg():
    error = rejection("Это не картинка, а текст.".encode(), "photo.jpg")
    assert error.code == "not_an_image"
    assert error.messages[0].startswith("Файл не является изображением.")


def test_validator_rejects_truncated_jpeg():
    data = image_bytes("JPEG", (1200, 800))
    error = rejection(data[: len(data) // 2])
    assert error.code == "corrupt_image"
    assert "повреждён или загружен не полностью" in error.messages[0]


def test_validator_rejects_too_small_image():
    error = rejection(image_bytes("JPEG", (500, 400)))
    assert error.code == "image_too_small"
    assert "500×400 пикселей" in error.messages[0]
    assert "не меньше 600 пикселей в ширину" in error.messages[0]


def test_validator_judges_width_of_the_upright_picture():
    # Stored 1200×500 but shown rotated: 500 wide, too narrow.
    error = rejection(image_bytes("JPEG", (1200, 500), orientation=6))
    assert error.code == "image_too_small"
    assert "500×1200" in error.messages[0]


def test_validator_rejects_more_than_8000_pixels_a_side():
    error = rejection(png_header(9000, 1000), "wide.png")
    assert error.code == "image_too_large"
    assert "9000×1000 пикселей" in error.messages[0]
    assert "до 8000 пикселей" in error.messages[0]


def test_validator_rejects_decompression_bomb():
    # 400 million pixels: Pillow refuses to open it before any check of ours.
    error = rejection(png_header(20000, 20000), "bomb.png")
    assert error.code == "image_too_large"
    assert "до 8000 пикселей" in error.messages[0]


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "a.gif"), ("BMP", "a.bmp")])
def test_validator_rejects_other_formats(fmt, name):
    error = rejection(image_bytes(fmt, (800, 600)), name)
    assert error.code == "unsupported_format"
    assert f"Формат {fmt} не подходит" in error.messages[0]


def test_model_forms_run_the_validator(db, media):
    form_class = modelform_factory(Article, fields=["image", "image_alt"])
    form = form_class(
        data={"image_alt": "Цех"},
        files={"image": upload(image_bytes("JPEG", (500, 400)))},
        instance=ArticleFactory(),
    )
    assert not form.is_valid()
    assert "Изображение слишком маленькое: 500×400 пикселей" in form.errors["image"][0]


def test_stored_image_is_not_checked_again(db, media):
    # Stored before the rules, or by hand: retitling the article must still work.
    article = article_with_image(image_bytes("JPEG", (500, 400)), renditions=False)
    article.full_clean()


def test_migrations_find_the_validator_where_they_name_it():
    # Migration 0005 names it ``articles.images.validate_image_upload``.
    assert articles.images.validate_image_upload is validate_image_upload


def imported_modules(path: Path, package: str) -> set[str]:
    """Every module a source file imports, relative imports resolved, names included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(filter(None, [base, node.module]))
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_images_never_import_the_model():
    # The model imports the validator: an import back would be a circle.
    folder = Path(articles.images.__file__).parent
    for path in folder.glob("*.py"):
        assert "articles.models" not in imported_modules(path, "articles.images"), path.name


# Renditions ----------------------------------------------------------------------


def test_renditions_of_a_large_jpeg(db, media):
    article = article_with_image()
    data = Article.objects.get(pk=article.pk).image_renditions
    assert data["source"] == article.image.name
    assert (data["width"], data["height"]) == (2400, 1600)
    assert data["fallback"] == "jpeg"
    for fmt in ("webp", "jpeg"):
        entries = data["widths"][fmt]
        assert [(e["width"], e["height"]) for e in entries] == [
            (480, 320),
            (800, 533),
            (1200, 800),
            (1600, 1067),
        ]
        assert {open_stored(e["name"]).format for e in entries} == {fmt.upper()}


def test_rendition_widths_never_exceed_the_original(db, media):
    article = article_with_image(image_bytes("JPEG", (1000, 750)))
    widths = article.image_renditions["widths"]
    for fmt in ("webp", "jpeg"):
        assert [e["width"] for e in widths[fmt]] == [480, 800, 1000]


def test_opaque_png_falls_back_to_jpeg(db, media):
    article = article_with_image(image_bytes("PNG", (1000, 750)), "schema.png")
    assert article.image_renditions["fallback"] == "jpeg"
    assert set(article.image_renditions["widths"]) == {"webp", "jpeg"}


def test_transparent_png_keeps_its_transparency(db, media):
    data = image_bytes("PNG", (1000, 750), mode="RGBA", color=(0, 0, 0, 0))
    article = article_with_image(data, "logo.png")
    renditions = article.image_renditions
    assert renditions["fallback"] == "png"
    png = open_stored(renditions["widths"]["png"][0]["name"])
    assert png.format == "PNG"
    assert png.getchannel("A").getextrema()[0] == 0
    webp = open_stored(renditions["widths"]["webp"][0]["name"])
    assert webp.mode == "RGBA"
    # Social networks show transparency unpredictably: crops are flat JPEGs.
    assert open_stored(renditions["crops"]["16x9"]["name"]).format == "JPEG"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((2400, 1600), {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200)}),
        ((1000, 750), {"16x9": (992, 558), "4x3": (1000, 750), "1x1": (750, 750)}),
    ],
)
def test_crops_have_exact_aspect_ratios(db, media, size, expected):
    article = article_with_image(image_bytes("JPEG", size))
    crops = article.image_renditions["crops"]
    assert {key: (c["width"], c["height"]) for key, c in crops.items()} == expected
    for key, crop in crops.items():
        stored = open_stored(crop["name"])
        assert (stored.format, stored.size) == ("JPEG", expected[key])


def test_exif_rotated_photo_comes_out_upright(db, media):
    # Stored 1200×800 with its left half red; the camera says "turn 90° clockwise".
    article = article_with_image(image_bytes("JPEG", (1200, 800), orientation=6))
    renditions = article.image_renditions
    assert (renditions["width"], renditions["height"]) == (800, 1200)
    smallest = open_stored(renditions["widths"]["jpeg"][0]["name"])
    assert smallest.size == (480, 720)
    top, bottom = smallest.getpixel((240, 60)), smallest.getpixel((240, 660))
    assert top[0] > 180 and top[2] < 80  # red on top
    assert bottom[2] > 180 and bottom[0] < 80  # blue below


def test_renditions_carry_no_camera_metadata(db, media):
    article = article_with_image(image_bytes("JPEG", (1200, 800), orientation=1))
    for name in rendition_names(article.image_renditions):
        assert "exif" not in open_stored(name).info


def test_renditions_are_in_storage_with_recorded_sizes(db, media):
    article = article_with_image()
    names = rendition_names(article.image_renditions)
    assert len(names) == 4 * 2 + 3
    for entry in [
        *article.image_renditions["widths"]["jpeg"],
        *article.image_renditions["crops"].values(),
    ]:
        assert default_storage.size(entry["name"]) == entry["size"]
    assert all(default_storage.exists(name) for name in names)
    assert all(name.startswith("articles/") for name in names)


def test_second_call_changes_nothing(db, media, django_assert_num_queries):
    article = article_with_image()
    first = article.image_renditions
    files = media_files(media)
    fresh = Article.objects.get(pk=article.pk)
    with django_assert_num_queries(0):
        again = make_renditions(article=fresh)
    assert again == first
    assert media_files(media) == files


def test_replacing_the_image_replaces_its_renditions(db, media, django_capture_on_commit_callbacks):
    article = article_with_image()
    old = rendition_names(article.image_renditions)
    article.image.save("novyi.png", ContentFile(image_bytes("PNG", (1000, 750))), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        make_renditions(article=article)
    stored = Article.objects.get(pk=article.pk).image_renditions
    assert stored["source"] == article.image.name
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in rendition_names(stored))


def test_old_renditions_stay_until_the_transaction_commits(
    db, media, django_capture_on_commit_callbacks
):
    # Were it rolled back, the database would still point at the old files.
    article = article_with_image()
    old = rendition_names(article.image_renditions)
    article.image.save("novyi.jpg", ContentFile(image_bytes("JPEG", (1000, 750))), save=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_renditions(article=article)
    assert all(default_storage.exists(name) for name in old)
    assert len(callbacks) == 1


def test_removing_the_image_removes_its_renditions(db, media, django_capture_on_commit_callbacks):
    article = article_with_image()
    old = rendition_names(article.image_renditions)
    article.image = None
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert make_renditions(article=article) == {}
    assert Article.objects.get(pk=article.pk).image_renditions == {}
    assert not any(default_storage.exists(name) for name in old)


def test_delete_renditions_after_the_article_is_gone(db, media, django_capture_on_commit_callbacks):
    article = article_with_image()
    names = rendition_names(article.image_renditions)
    article.delete()
    with django_capture_on_commit_callbacks(execute=True):
        delete_renditions(article=article)
    assert not any(default_storage.exists(name) for name in names)
    assert not Article.objects.filter(slug=article.slug).exists()


def test_article_without_image_gets_no_renditions(db, media):
    article = ArticleFactory()
    assert make_renditions(article=article) == {}
    assert lead_image(article) is None
    assert not media.exists() or media_files(media) == set()


def test_stale_renditions_are_not_shown(db, media):
    article = article_with_image()
    article.image.save("drugoe.jpg", ContentFile(image_bytes("JPEG", (1000, 750))), save=True)
    assert lead_image(article) is None


def test_lead_image_for_templates(db, media):
    image = article_with_image().lead_image
    assert image.src.endswith("/w800.jpg")
    assert (image.width, image.height) == (1600, 1067)
    assert image.srcset_webp.count("w, ") == 3
    assert image.srcset_fallback.startswith("/media/articles/")
    assert image.crop_url("4x3").endswith("/4x3.jpg")
    assert (image.og.width, image.og.height) == (1200, 675)
    assert image.feed.width == 1200


# Pages, metadata, feeds --------------------------------------------------------------


def figure(content: str) -> str:
    match = re.search(r'<figure class="lead-image">.*?</figure>', content, re.S)
    assert match, "no lead image on the page"
    return match.group(0)


def test_article_page_shows_the_lead_image(db, client, media):
    article = article_with_image()
    html = figure(client.get(article.get_absolute_url()).content.decode())
    image = article.lead_image
    assert f'<source type="image/webp" srcset="{image.srcset_webp}"' in html
    assert f'srcset="{image.srcset_fallback}"' in html
    assert 'sizes="(min-width: 44rem) 42rem, calc(100vw - 2rem)"' in html
    assert f'src="{image.src}"' in html
    assert 'width="1600" height="1067"' in html
    assert 'alt="Сборочный цех завода"' in html
    # Above the fold: fetched at once, never lazily.
    assert 'fetchpriority="high"' in html
    assert "lazy" not in html
    assert "<figcaption>" in html
    assert "Сборка кроссоверов" in html
    assert "Фото: Пресс-служба завода" in html


def test_lead_image_texts_are_escaped(db, client, media):
    article = article_with_image(
        image_alt='Цех "Тулпар" <ночью>',
        image_caption="<script>alert(1)</script>",
        image_credit="Иванов & Ко",
    )
    html = figure(client.get(article.get_absolute_url()).content.decode())
    [alt] = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    assert unescape(alt) == 'Цех "Тулпар" <ночью>'
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Фото: Иванов &amp; Ко" in html


def test_article_without_image_renders_no_figure(db, client):
    content = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert "<figure" not in content
    assert "<picture" not in content


def test_caption_is_left_out_when_empty(db, client, media):
    article = article_with_image(image_caption="", image_credit="")
    assert "<figcaption" not in figure(client.get(article.get_absolute_url()).content.decode())


def test_list_thumbnails_are_lazy(db, client, media):
    article_with_image()
    content = client.get("/news/").content.decode()
    match = re.search(r'<picture class="card-thumb">.*?</picture>', content, re.S)
    assert match
    assert 'loading="lazy"' in match.group(0)
    assert 'alt=""' in match.group(0)


def meta(content: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', content)
    assert match, f"no {prop}"
    return match.group(1)


def test_opengraph_uses_the_16x9_crop(db, client, media):
    article = article_with_image()
    content = client.get(article.get_absolute_url()).content.decode()
    crop = article.lead_image.og
    assert meta(content, "og:image") == f"http://testserver{crop.url}"
    assert crop.url.endswith("/16x9.jpg")
    assert meta(content, "og:image:width") == "1200"
    assert meta(content, "og:image:height") == "675"
    assert meta(content, "og:image:type") == "image/jpeg"
    assert meta(content, "og:image:alt") == "Сборочный цех завода"
    assert meta(content, "twitter:card") == "summary_large_image"
    assert "og-default.png" not in content


def test_opengraph_falls_back_to_the_site_image(db, client):
    content = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert meta(content, "og:image") == "http://testserver/static/img/og-default.png"
    assert meta(content, "og:image:width") == "1200"
    assert meta(content, "twitter:card") == "summary"


def test_jsonld_lists_the_three_crops(db, media):
    article = article_with_image()
    data = news_article_jsonld(article, base_url=BASE)
    crops = article.lead_image.crops
    assert data["image"] == [
        f"{BASE}{crops['16x9'].url}",
        f"{BASE}{crops['4x3'].url}",
        f"{BASE}{crops['1x1'].url}",
    ]


def test_jsonld_falls_back_to_the_site_image(db):
    data = news_article_jsonld(ArticleFactory(), base_url=BASE)
    assert data["image"] == [f"{BASE}/static/img/og-default.png"]


def test_jsonld_on_the_page_carries_the_image(db, client, media):
    article = article_with_image()
    content = client.get(article.get_absolute_url()).content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    image = json.loads(script.group(1))["image"]
    assert image[0] == f"http://testserver{article.lead_image.og.url}"


def test_feed_item_carries_the_image_as_enclosure(db, client, media):
    article = article_with_image()
    ArticleFactory(title="Без картинки")
    channel = ET.fromstring(client.get("/feeds/news.xml").content).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    enclosure = items[article.title].find("enclosure")
    rendition = article.lead_image.feed
    assert enclosure.attrib == {
        "url": f"http://testserver{rendition.url}",
        "length": str(rendition.size),
        "type": "image/jpeg",
    }
    assert rendition.width == 1200
    assert items["Без картинки"].find("enclosure") is None


def make_articles(count: int, *, with_image: bool) -> list[Article]:
    make = article_with_image if with_image else ArticleFactory
    return [make() for _ in range(count)]


@pytest.mark.parametrize("with_image", [False, True])
def test_article_page_queries_do_not_grow_with_an_image(
    db, client, media, django_assert_num_queries, with_image
):
    article = article_with_image() if with_image else ArticleFactory()
    # the article, its entities and tags (one UNION), related articles
    with django_assert_num_queries(3):
        client.get(article.get_absolute_url())


@pytest.mark.parametrize("with_image", [False, True])
def test_archive_queries_do_not_grow_with_images(
    db, client, media, django_assert_num_queries, with_image
):
    make_articles(3, with_image=with_image)
    with django_assert_num_queries(1):  # the page (no COUNT)
        client.get("/news/")


@pytest.mark.parametrize("with_image", [False, True])
def test_feed_queries_do_not_grow_with_images(
    db, client, media, django_assert_num_queries, with_image
):
    make_articles(3, with_image=with_image)
    with django_assert_num_queries(2):  # articles, their tags
        client.get("/feeds/news.xml")
