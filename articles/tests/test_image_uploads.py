"""What is stored of an uploaded lead image: no metadata, a random name, the real format.

The camera's data (GPS position, maker) and the upload's file name must not
reach ``/media/``, whichever way the file arrives: the admin's form, or the
model's own save. Pictures are made here with Pillow; the places and names in
them are made up.
"""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, PngImagePlugin

from articles.images.renditions import rendition_names
from articles.models import Article
from articles.tests.adminforms import form_data
from articles.tests.factories import ArticleFactory

CAMERA_MAKER = "Vymyshlennaya Kamera"  # a maker's name to look for in the stored bytes
COMMENT = "Snyato u doma avtora"
GPS = {1: "N", 2: (42.0, 52.0, 7.5), 3: "E", 4: (74.0, 35.0, 11.25)}
STORED_NAME = r"articles/\d{4}/\d{2}/[0-9a-f]{32}\.{extension}"


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = CAMERA_MAKER  # Make
    exif[0x0112] = orientation
    exif[0x8825] = GPS  # GPSInfo
    return exif


def photo(fmt: str = "JPEG", size=(1200, 800), mode="RGB", **options) -> bytes:
    """A picture with a red left half, carrying a camera's EXIF with a GPS position."""
    image = Image.new(mode, size, (220, 20, 20) if mode == "RGB" else (220, 20, 20, 255))
    image.paste((20, 20, 220), (size[0] // 2, 0, *size))
    options.setdefault("exif", camera_exif().tobytes())
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as file:
        return file.read()


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert "exif" not in image.info
    assert not image.getexif()
    assert b"Exif" not in data
    assert CAMERA_MAKER.encode() not in data
    assert COMMENT.encode() not in data


def assert_random_name(name: str, extension: str) -> None:
    assert re.fullmatch(STORED_NAME.replace("{extension}", extension), name), name


def test_the_test_photo_does_carry_a_gps_position_and_a_comment():
    data = photo(comment=COMMENT)
    image = Image.open(io.BytesIO(data))
    assert image.getexif().get_ifd(0x8825)[2] == (42.0, 52.0, 7.5)
    assert CAMERA_MAKER.encode() in data and COMMENT.encode() in data


# --- The model's save ------------------------------------------------------------------


def test_a_jpeg_named_pdf_is_stored_clean_as_jpg(db, media):
    article = ArticleFactory()
    article.image.save("evil.pdf", ContentFile(photo(comment=COMMENT)), save=True)
    name = Article.objects.get(pk=article.pk).image.name
    assert_random_name(name, "jpg")
    data = stored_bytes(name)
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    assert_no_metadata(data)


def test_a_file_assigned_and_saved_is_stored_clean(db, media):
    article = ArticleFactory()
    article.image = SimpleUploadedFile("IMG_0042 Петров в цеху.jpg", photo())
    article.save()
    assert "IMG_0042" not in article.image.name
    assert_random_name(article.image.name, "jpg")
    assert_no_metadata(stored_bytes(article.image.name))


def test_the_picture_is_stored_upright_once_its_orientation_is_gone(db, media):
    article = ArticleFactory()
    turned = photo(exif=camera_exif(orientation=6).tobytes())  # "turn 90° clockwise"
    article.image.save("turned.jpg", ContentFile(turned), save=True)
    image = Image.open(io.BytesIO(stored_bytes(article.image.name)))
    assert image.size == (800, 1200)
    top, bottom = image.getpixel((400, 100)), image.getpixel((400, 1100))
    assert top[0] > 180 and top[2] < 80  # red on top, as the camera meant
    assert bottom[2] > 180 and bottom[0] < 80


def test_a_jpeg_keeps_its_quality(db, media):
    upload = photo(quality=95)
    article = ArticleFactory()
    article.image.save("a.jpg", ContentFile(upload), save=True)
    stored = Image.open(io.BytesIO(stored_bytes(article.image.name)))
    assert stored.quantization == Image.open(io.BytesIO(upload)).quantization


def test_the_colour_profile_is_kept(db, media):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    article = ArticleFactory()
    article.image.save("a.jpg", ContentFile(photo(icc_profile=profile)), save=True)
    stored = Image.open(io.BytesIO(stored_bytes(article.image.name)))
    assert stored.info["icc_profile"] == profile


def test_a_png_loses_its_text_and_exif_and_keeps_transparency(db, media):
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", COMMENT)
    upload = photo("PNG", mode="RGBA", pnginfo=text)
    article = ArticleFactory()
    article.image.save("schema.jpeg", ContentFile(upload), save=True)
    assert_random_name(article.image.name, "png")
    data = stored_bytes(article.image.name)
    assert_no_metadata(data)
    assert Image.open(io.BytesIO(data)).mode == "RGBA"


@pytest.mark.parametrize(("lossless", "chunk"), [(True, b"VP8L"), (False, b"VP8 ")])
def test_a_webp_stays_as_lossless_as_it_was(db, media, lossless, chunk):
    article = ArticleFactory()
    article.image.save("a.webp", ContentFile(photo("WEBP", lossless=lossless)), save=True)
    assert_random_name(article.image.name, "webp")
    data = stored_bytes(article.image.name)
    assert_no_metadata(data)
    assert chunk in data[:64]


def test_each_upload_gets_a_name_of_its_own(db, media):
    first, second = ArticleFactory(), ArticleFactory()
    for article in (first, second):
        article.image.save("zavod.jpg", ContentFile(photo()), save=True)
    assert first.image.name != second.image.name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("anim.gif", photo("GIF", exif=b""), "формат GIF не подходит"),
        ("evil.pdf", b"%PDF-1.4\n%fictional\n", "файл не является изображением"),
    ],
)
def test_the_model_refuses_other_files_naming_the_field(db, media, name, data, message):
    article = ArticleFactory()
    with pytest.raises(ValidationError) as error:
        article.image.save(name, ContentFile(data), save=True)
    assert error.value.messages[0].startswith(f"Главное изображение «{name}»: {message}")
    assert not Article.objects.get(pk=article.pk).image
    assert not media.exists() or not any(media.rglob("*.*"))


# --- The admin's form --------------------------------------------------------------------


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def post_image(client, article, upload: SimpleUploadedFile):
    data = form_data(client.get(change_url(article)))
    return client.post(change_url(article), {**data, "image": upload, "image_alt": "Цех"})


def test_an_upload_through_the_admin_is_stored_clean_with_clean_renditions(admin_client, media):
    article = ArticleFactory()
    upload = SimpleUploadedFile("evil.pdf", photo(comment=COMMENT), "application/pdf")
    assert post_image(admin_client, article, upload).status_code == 302
    article.refresh_from_db()
    assert_random_name(article.image.name, "jpg")
    assert_no_metadata(stored_bytes(article.image.name))
    names = rendition_names(article.image_renditions)
    assert names and not any("evil" in name for name in names)
    for name in names:
        assert_no_metadata(stored_bytes(name))


def test_the_admin_takes_a_jpeg_whose_name_has_no_extension(admin_client, media):
    article = ArticleFactory()
    assert (
        post_image(admin_client, article, SimpleUploadedFile("snimok", photo())).status_code == 302
    )
    article.refresh_from_db()
    assert_random_name(article.image.name, "jpg")


def test_the_admin_refuses_another_format_at_the_field(admin_client, media):
    article = ArticleFactory()
    response = post_image(
        admin_client, article, SimpleUploadedFile("a.jpg", photo("BMP", exif=b""))
    )
    assert response.status_code == 200
    [message] = response.context["adminform"].form.errors["image"]
    assert message.startswith("Формат BMP не подходит. Сохраните изображение как JPEG, PNG")
