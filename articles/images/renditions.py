"""Responsive renditions of a lead image: made once, when an editor uploads it.

The admin calls ``make_renditions`` after saving an article; the renditions are
described in ``Article.image_renditions``, so pages, feeds and structured data
(``presentation``) never touch storage while serving a request. Files are read
and written only through the storage API, so media can move to S3 or another
shared storage without changes here.

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

Any object with the article's image fields will do (``ArticleWithImage``):
this module never imports the model, which imports the package for its
validator.
"""

import io
import posixpath
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

from .validation import upright_size

# Bump when the renditions change shape or size: make_renditions then redoes them.
RENDITIONS_VERSION = 1
WIDTHS = (480, 800, 1200, 1600)
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
SAVE_OPTIONS: dict[str, dict[str, Any]] = {
    "jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "webp": {"format": "WEBP", "quality": 80, "method": 4},
    "png": {"format": "PNG", "compress_level": 6},
}


class ArticleWithImage(Protocol):
    """What renditions need of an article (``articles.models.Article`` has it all)."""

    pk: Any
    image: FieldFile
    image_renditions: dict[str, Any]

    def save(self, *args: Any, **kwargs: Any) -> None: ...


def make_renditions(*, article: ArticleWithImage) -> dict[str, Any]:
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


def delete_renditions(*, article: ArticleWithImage) -> None:
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


def rendition_widths(source_width: int) -> list[int]:
    """The standard widths narrower than the source, plus the source's own if below the top."""
    return sorted({w for w in WIDTHS if w < source_width} | {min(source_width, WIDTHS[-1])})


def crop_size(width: int, height: int, ratio: tuple[int, int]) -> tuple[int, int]:
    """The largest exact ``ratio`` size up to CROP_WIDTH wide that the source can fill."""
    rw, rh = ratio
    units = min(CROP_WIDTH, width, height * rw // rh) // rw
    return units * rw, units * rh


# Making the files ------------------------------------------------------------------


@dataclass
class _RenditionFiles:
    """Saves renditions beside their source, noting each name so a failure can remove them."""

    storage: Storage
    folder: str
    # Passed to every save: the colour profile, when the source has one.
    extra: dict[str, Any]
    written: list[str]

    def save(self, picture: Image.Image, key: str, fmt: str) -> dict[str, Any]:
        buffer = io.BytesIO()
        picture.save(buffer, **SAVE_OPTIONS[fmt], **self.extra)
        content = buffer.getvalue()
        stored = self.storage.save(f"{self.folder}/{key}.{EXTENSIONS[fmt]}", ContentFile(content))
        self.written.append(stored)
        return {
            "name": stored,
            "width": picture.width,
            "height": picture.height,
            "format": fmt,
            "size": len(content),
        }


def _render(*, name: str, storage: Storage, written: list[str]) -> dict[str, Any]:
    image, (width, height) = _open_upright(name, storage)
    # CMYK's colour profile no longer fits once the pixels are RGB.
    icc_profile = image.info.get("icc_profile") if image.mode != "CMYK" else None
    image, transparent = _normalise(image)
    # Nothing of the camera's metadata (place, device, owner) goes out with the
    # renditions; only the colour profile, without which colours shift.
    image.info = {}
    files = _RenditionFiles(
        storage=storage,
        folder=_renditions_folder(name),
        extra={"icc_profile": icc_profile} if icc_profile else {},
        written=written,
    )
    fallback = "png" if transparent else "jpeg"
    widths = _width_renditions(image, width, formats=("webp", fallback), files=files)
    # Crops are JPEG whatever the source: social networks and search engines
    # show transparency as black or white at random.
    crops = _crop_renditions(_flatten(image) if transparent else image, files=files)
    return {
        "version": RENDITIONS_VERSION,
        "source": name,
        "width": width,
        "height": height,
        "fallback": fallback,
        "widths": widths,
        "crops": crops,
    }


def _open_upright(name: str, storage: Storage) -> tuple[Image.Image, tuple[int, int]]:
    """The decoded source turned upright, and its full upright size."""
    with storage.open(name, "rb") as source:
        image = Image.open(source)
        size = upright_size(image)
        if image.format == "JPEG":
            # A camera original need not be decoded at full size: the JPEG decoder
            # scales by 1/2, 1/4 or 1/8 while keeping both sides at least this large.
            image.draft("RGB", (WIDTHS[-1], WIDTHS[-1]))
        image.load()
    return ImageOps.exif_transpose(image), size


def _renditions_folder(name: str) -> str:
    return posixpath.join(
        posixpath.dirname(name),
        "renditions",
        posixpath.basename(name).replace(".", "-"),
    )


def _width_renditions(
    image: Image.Image, source_width: int, *, formats: tuple[str, ...], files: _RenditionFiles
) -> dict[str, list[dict[str, Any]]]:
    widths: dict[str, list[dict[str, Any]]] = {fmt: [] for fmt in formats}
    # Widest first, each made from the one before: far quicker than from the source.
    resized = image
    for target in reversed(rendition_widths(source_width)):
        resized = _resize(resized, target, aspect=image.height / image.width)
        for fmt in formats:
            widths[fmt].insert(0, files.save(resized, f"w{target}", fmt))
    return widths


def _crop_renditions(image: Image.Image, *, files: _RenditionFiles) -> dict[str, dict[str, Any]]:
    crops = {}
    for key, ratio in CROPS.items():
        size = crop_size(image.width, image.height, ratio)
        cropped = ImageOps.fit(image, size, method=Image.Resampling.LANCZOS)
        crops[key] = files.save(cropped, key, "jpeg")
    return crops


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
