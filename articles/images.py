"""Lead images: upload checks, responsive renditions, and what pages need of them.

Renditions are made once, when an editor uploads an image (the admin calls
``make_renditions`` after saving), and described in ``Article.image_renditions``,
so pages, feeds and structured data never touch storage while serving a request.
Files are read and written only through the storage API, so media can move to
S3 or another shared storage without changes here.

``image_renditions`` looks like this::

    {
        "version": 1,
        "source": "articles/2025/08/zavod.jpg",   # the image the renditions belong to
        "width": 2400, "height": 1600,            # the source, upright (after EXIF rotation)
        "fallback": "jpeg",                       # "jpeg", or "png" when the source is transparent
        "widths": {                               # narrowest first, never wider than the source
            "webp": [{"name": "articles/2025/08/renditions/zavod-jpg/w480.webp",
                      "width": 480, "height": 320, "format": "webp", "size": 18204}, ...],
            "jpeg": [...],
        },
        "crops": {                                # centre crops for OpenGraph and JSON-LD
            "16x9": {"name": ..., "width": 1200, "height": 675, "format": "jpeg", "size": ...},
            "4x3": {...},
            "1x1": {...},
        },
    }

``name`` is a storage name (``storage.url(name)`` gives its address); ``size``
is in bytes, recorded so feeds need no storage call for an enclosure's length.
"""

from __future__ import annotations

import io
import posixpath
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.templatetags.static import static
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from .models import Article

# Upload limits (the field's help text states them to editors).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 8000
MIN_WIDTH = 600
# Below this the square and 16:9 crops are too small for search engines' cards.
MIN_HEIGHT = 300
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")

# Bump when the renditions change shape or size: make_renditions then redoes them.
RENDITIONS_VERSION = 1
WIDTHS = (480, 800, 1200, 1600)
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200
FEED_WIDTH = 1200
# The width the browser picks from for a plain ``src`` (browsers without srcset).
SRC_WIDTH = 800
# The article column: the page less its padding on phones, at most 42rem (site.css).
ARTICLE_SIZES = "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
# The thumbnail beside a headline in lists (.card-thumb in site.css).
THUMB_SIZES = "(min-width: 48rem) 10rem, 7rem"
DEFAULT_IMAGE = "img/og-default.png"

MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "png": {"format": "PNG", "compress_level": 6},
}
EXIF_ORIENTATION = 0x0112


# Upload checks ---------------------------------------------------------------


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
    width, height = image.size
    if max(width, height) > MAX_SIDE:
        raise _too_large_error(width, height)
    try:
        # verify() checks the structure (checksums) but not that the data is all
        # there; only decoding finds a truncated file. verify() must come first
        # and leaves the image unusable, hence the second open.
        image.verify()
        file.seek(0)
        image = Image.open(file)
        orientation = image.getexif().get(EXIF_ORIENTATION)
    except Exception:
        raise _corrupt_error() from None
    # Pages show the picture upright, so that is the size that must suffice.
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(
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
    try:
        if image.format == "JPEG":
            # Decoding at 1/8 scale reads every byte all the same, in far less memory.
            image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
        image.load()
    except Exception:
        raise _corrupt_error() from None


def _corrupt_error() -> ValidationError:
    return ValidationError(
        _(
            "Файл изображения повреждён или загружен не полностью. Откройте его в "
            "графическом редакторе, сохраните заново и загрузите ещё раз."
        ),
        code="corrupt_image",
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


# Renditions ------------------------------------------------------------------


def make_renditions(*, article: Article) -> dict[str, Any]:
    """Bring ``article.image_renditions`` in line with ``article.image``.

    Makes the renditions of a new or replaced image (once: an image that has
    them already costs nothing, not even a query), and drops those of a removed
    or replaced one. Saves only ``image_renditions``. Call it after the article
    itself is saved, so the image is in storage.
    """
    current = article.image_renditions or {}
    if not article.image:
        if current:
            delete_renditions(article=article)
        return {}
    if current.get("source") == article.image.name and current.get("version") == (
        RENDITIONS_VERSION
    ):
        return current
    storage = article.image.storage
    written: list[str] = []
    try:
        data = _render(name=article.image.name, storage=storage, written=written)
    except Exception:
        for name in written:
            storage.delete(name)
        raise
    article.image_renditions = data
    article.save(update_fields=["image_renditions"])
    if current:
        _delete_files_on_commit(storage, current)
    return data


def delete_renditions(*, article: Article) -> None:
    """Remove the article's renditions from storage and forget them.

    The original upload stays. Call it before or after deleting an article too:
    a deleted article is not saved again.
    """
    current = article.image_renditions or {}
    article.image_renditions = {}
    if article.pk is not None:
        article.save(update_fields=["image_renditions"])
    if current:
        _delete_files_on_commit(article.image.storage, current)


def _delete_files_on_commit(storage: Storage, data: dict[str, Any]) -> None:
    # Files cannot be rolled back: should the transaction fail, the database would
    # still describe renditions that are gone. Outside a transaction this runs now.
    names = rendition_names(data)
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def rendition_names(data: dict[str, Any]) -> list[str]:
    """Every storage name an ``image_renditions`` value refers to."""
    entries = [e for group in data.get("widths", {}).values() for e in group]
    entries += data.get("crops", {}).values()
    return [entry["name"] for entry in entries]


def _render(*, name: str, storage: Storage, written: list[str]) -> dict[str, Any]:
    with storage.open(name, "rb") as source:
        image = Image.open(source)
        width, height = image.size
        if image.getexif().get(EXIF_ORIENTATION) in (5, 6, 7, 8):
            width, height = height, width
        if image.format == "JPEG":
            # A camera original need not be decoded at full size: the JPEG decoder
            # scales by 1/2, 1/4 or 1/8 while keeping both sides at least this large.
            image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
        image.load()
    image = ImageOps.exif_transpose(image)
    # CMYK's colour profile no longer fits once the pixels are RGB.
    icc_profile = image.info.get("icc_profile") if image.mode != "CMYK" else None
    image, transparent = _normalise(image)
    # Nothing of the camera's metadata (place, device, owner) goes out with the
    # renditions; only the colour profile, without which colours shift.
    image.info = {}
    extra = {"icc_profile": icc_profile} if icc_profile else {}
    fallback = "png" if transparent else "jpeg"

    base = posixpath.join(
        posixpath.dirname(name),
        "renditions",
        posixpath.basename(name).replace(".", "-"),
    )

    def store(picture: Image.Image, key: str, fmt: str) -> dict[str, Any]:
        buffer = io.BytesIO()
        picture.save(buffer, **SAVE_OPTIONS[fmt], **extra)
        content = buffer.getvalue()
        stored = storage.save(f"{base}/{key}.{EXTENSIONS[fmt]}", ContentFile(content))
        written.append(stored)
        return {
            "name": stored,
            "width": picture.width,
            "height": picture.height,
            "format": fmt,
            "size": len(content),
        }

    widths: dict[str, list[dict[str, Any]]] = {"webp": [], fallback: []}
    # Widest first, each made from the one before: far quicker than from the source.
    resized = image
    for target in reversed(rendition_widths(width)):
        resized = _resize(resized, target, aspect=image.height / image.width)
        for fmt in widths:
            widths[fmt].insert(0, store(resized, f"w{target}", fmt))

    # Crops are JPEG whatever the source: social networks and search engines
    # show transparency as black or white at random.
    opaque = _flatten(image) if transparent else image
    crops = {}
    for key, ratio in CROPS.items():
        size = crop_size(opaque.width, opaque.height, ratio)
        cropped = ImageOps.fit(opaque, size, method=Image.Resampling.LANCZOS)
        crops[key] = store(cropped, key, "jpeg")

    return {
        "version": RENDITIONS_VERSION,
        "source": name,
        "width": width,
        "height": height,
        "fallback": fallback,
        "widths": widths,
        "crops": crops,
    }


def rendition_widths(source_width: int) -> list[int]:
    """The standard widths narrower than the source, plus the source's own if below the top."""
    return sorted({w for w in WIDTHS if w < source_width} | {min(source_width, WIDTHS[-1])})


def crop_size(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """The largest exact ``ratio`` size up to CROP_WIDTH wide that the source can fill."""
    rw, rh = ratio
    units = min(CROP_WIDTH, width, height * rw // rh) // rw
    return units * rw, units * rh


def _resize(image: Image.Image, width: int, *, aspect: float) -> Image.Image:
    if width == image.width:
        return image
    # The source's proportions, not the previous rendition's: no rounding drift.
    height = max(1, round(width * aspect))
    return image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _normalise(image: Image.Image) -> tuple[Image.Image, bool]:
    """RGB, or RGBA when the image really has transparent pixels."""
    has_alpha = image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )
    if has_alpha:
        image = image.convert("RGBA")
        # Many PNGs carry an alpha channel that is opaque everywhere.
        if image.getchannel("A").getextrema()[0] < 255:
            return image, True
    return (image if image.mode == "RGB" else image.convert("RGB")), False


def _flatten(image: Image.Image) -> Image.Image:
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


# For pages, feeds and structured data ------------------------------------------


@dataclass(frozen=True)
class Rendition:
    name: str
    url: str
    width: int
    height: int
    format: str
    size: int

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]


@dataclass(frozen=True)
class LeadImage:
    """An article's lead image as templates use it: every attribute is ready to print."""

    webp: tuple[Rendition, ...]
    fallback: tuple[Rendition, ...]
    crops: dict[str, Rendition]
    alt: str
    caption: str
    credit: str
    sizes: str = ARTICLE_SIZES
    thumb_sizes: str = THUMB_SIZES

    @property
    def src(self) -> str:
        return next((r for r in self.fallback if r.width >= SRC_WIDTH), self.fallback[-1]).url

    @property
    def width(self) -> int:
        # With width and height the browser reserves the space before the image
        # arrives; only the ratio matters, CSS sets the displayed size.
        return self.fallback[-1].width

    @property
    def height(self) -> int:
        return self.fallback[-1].height

    @property
    def srcset_webp(self) -> str:
        return _srcset(self.webp)

    @property
    def srcset_fallback(self) -> str:
        return _srcset(self.fallback)

    @property
    def thumb(self) -> Rendition:
        return self.fallback[0]

    @property
    def og(self) -> Rendition:
        """The 16:9 crop: what OpenGraph and Twitter cards show."""
        return self.crops["16x9"]

    @property
    def feed(self) -> Rendition:
        """The widest fallback rendition up to FEED_WIDTH, for feed enclosures."""
        fitting = [r for r in self.fallback if r.width <= FEED_WIDTH]
        return fitting[-1] if fitting else self.fallback[0]

    def crop(self, ratio: str) -> Rendition:
        return self.crops[ratio]

    def crop_url(self, ratio: str) -> str:
        return self.crops[ratio].url


def _srcset(renditions: tuple[Rendition, ...]) -> str:
    # Storage URLs are percent-encoded, so no comma or space can split an entry.
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


def lead_image(article: Article) -> LeadImage | None:
    """The article's lead image, or None when it has none or no renditions for it yet.

    Pure: reads the article's fields only, no query and no storage access
    (``storage.url`` only builds an address).
    """
    data = article.image_renditions or {}
    # Renditions of a replaced image would show the wrong picture.
    if not article.image or data.get("source") != article.image.name:
        return None
    storage = article.image.storage

    def rendition(entry: dict[str, Any]) -> Rendition:
        return Rendition(
            name=entry["name"],
            url=storage.url(entry["name"]),
            width=entry["width"],
            height=entry["height"],
            format=entry["format"],
            size=entry["size"],
        )

    widths = data["widths"]
    return LeadImage(
        webp=tuple(rendition(e) for e in widths["webp"]),
        fallback=tuple(rendition(e) for e in widths[data["fallback"]]),
        crops={key: rendition(e) for key, e in data["crops"].items()},
        alt=article.image_alt,
        caption=article.image_caption,
        credit=article.image_credit,
    )


def absolute_url(url: str, *, base_url: str) -> str:
    """``url`` on the site at ``base_url``; an address on another host stays as it is."""
    return urljoin(f"{base_url}/", url)


def structured_data_images(article: Article, *, base_url: str) -> list[str]:
    """Absolute image URLs for NewsArticle JSON-LD: the 16:9, 4:3 and 1:1 crops.

    Search engines want an image for every news article, so one without its own
    gets the site's default.
    """
    image = lead_image(article)
    if image is None:
        return [absolute_url(static(DEFAULT_IMAGE), base_url=base_url)]
    return [absolute_url(image.crop_url(key), base_url=base_url) for key in CROPS]
