"""Upload checks for lead images: refuse, in words an editor can act on, what
could not become one.

``validate_image_upload`` is a validator of ``Article.image``, so every
ModelForm (the admin's too) runs it before the file reaches storage. The model
imports this module, so it imports nothing of the model in turn. Migrations
name the validator as ``articles.images.validate_image_upload``, which the
package re-exports.
"""

import warnings

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Upload limits (the field's help text states them to editors).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 8000
MIN_WIDTH = 600
# Below this the square and 16:9 crops are too small for search engines' cards.
MIN_HEIGHT = 300
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")

EXIF_ORIENTATION = 0x0112
# EXIF orientations that turn the picture a quarter: its sides swap on screen.
QUARTER_TURNS = (5, 6, 7, 8)


def upright_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as pages show the picture: upright, after EXIF rotation."""
    width, height = image.size
    if image.getexif().get(EXIF_ORIENTATION) in QUARTER_TURNS:
        return height, width
    return width, height


def validate_image_upload(file) -> None:
    """Reject what cannot become a lead image, saying what is wrong and what to do.

    A validator of ``Article.image``, so every ModelForm (the admin's too) runs it.
    """
    # A file already in storage was checked when it was uploaded. Reading it back
    # on every later save would download it each time, and could refuse an
    # article an editor only retitles because the rules changed since.
    if isinstance(file, FieldFile) and file._committed:
        return
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _(
                "Файл слишком большой: %(size)s. Можно не больше %(limit)s — уменьшите "
                "изображение или сохраните его с более сильным сжатием."
            ),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    try:
        # A decompression bomb only warns below twice Pillow's pixel limit.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            _check_image(file)
    finally:
        # The form saves the file next: from its beginning.
        file.seek(0)


def _check_image(file) -> None:
    image = open_allowed_format(file)
    if max(image.size) > MAX_SIDE:
        raise _too_large_error(*image.size)
    try:
        image = _verified_and_reopened(image, file)
        # Pages show the picture upright, so that is the size that must suffice.
        width, height = upright_size(image)
    except Exception:
        raise corrupt_error() from None
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise _too_small_error(width, height)
    try:
        if image.format == "JPEG":
            # Decoding at 1/8 scale reads every byte all the same, in far less memory.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
    except Exception:
        raise corrupt_error() from None


def open_allowed_format(file) -> Image.Image:
    file.seek(0)
    try:
        image = Image.open(file)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large_error() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(
            _(
                "Файл не является изображением. Загрузите фотографию или картинку "
                "в формате JPEG, PNG или WebP."
            ),
            code="not_an_image",
        ) from None
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(
            _(
                "Формат %(format)s не подходит. Сохраните изображение как JPEG, PNG "
                "или WebP и загрузите его снова."
            ),
            code="unsupported_format",
            params={"format": image.format or _("файла")},
        )
    return image


def _verified_and_reopened(image: Image.Image, file) -> Image.Image:
    # verify() checks the structure (checksums) but not that the data is all
    # there; only decoding finds a truncated file. verify() must come first
    # and leaves the image unusable, hence the second open.
    image.verify()
    file.seek(0)
    return Image.open(file)


def corrupt_error() -> ValidationError:
    return ValidationError(
        _(
            "Файл изображения повреждён или загружен не полностью. Откройте его в "
            "графическом редакторе, сохраните заново и загрузите ещё раз."
        ),
        code="corrupt_image",
    )


def _too_small_error(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "Изображение слишком маленькое: %(width)s×%(height)s пикселей. Нужно не "
            "меньше %(min_width)s пикселей в ширину и %(min_height)s в высоту — "
            "найдите снимок крупнее."
        ),
        code="image_too_small",
        params={
            "width": width,
            "height": height,
            "min_width": MIN_WIDTH,
            "min_height": MIN_HEIGHT,
        },
    )


def _too_large_error(width: int | None = None, height: int | None = None) -> ValidationError:
    if width is None:
        message = _(
            "Изображение слишком большое. Уменьшите его до %(limit)s пикселей по длинной "
            "стороне и загрузите снова."
        )
    else:
        message = _(
            "Изображение слишком большое: %(width)s×%(height)s пикселей. Уменьшите его "
            "до %(limit)s пикселей по длинной стороне и загрузите снова."
        )
    return ValidationError(
        message,
        code="image_too_large",
        params={"width": width, "height": height, "limit": MAX_SIDE},
    )
