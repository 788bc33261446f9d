"""The stored original of a lead image: no metadata, a random name, its real format's extension.

Uploads are public under ``/media/``, so what an editor's file carries must not
go with it: a camera's EXIF (place, device, owner), XMP and comments, and the
file's own name (often a person's or a source's). ``LeadImageField`` stores
every upload, whichever way it arrives (the admin's form, ``article.image.save``,
a file assigned to the field and saved), through ``clean_original``:

- the picture re-encoded in its own format, turned upright first (the EXIF
  orientation is applied, since it goes with the rest), keeping only its colour
  profile and transparency; a JPEG keeps its quantisation tables and a lossless
  WebP stays lossless, so the picture loses no quality it had;
- under a random name in the field's folders (``articles/2025/08/<32 hex>.jpg``);
- with the extension of the format Pillow found in the bytes, whatever the
  name said: a JPEG called ``evil.pdf`` is stored as ``.jpg``, so the web
  server sends it as an image. A format the portal does not take is refused
  with an error that names the field and the file.

Files stored before this module existed keep their names and metadata until
an editor uploads the image again (README, "Lead images").
"""

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.text import capfirst
from PIL import Image, ImageOps

from .validation import corrupt_error, open_allowed_format

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# What survives of the source's own data: without the profile colours shift,
# without the transparency a palette PNG's background turns solid.
KEPT_INFO = ("icc_profile", "transparency")


@dataclass(frozen=True)
class CleanOriginal:
    content: bytes
    extension: str


def clean_original(file) -> CleanOriginal:
    """``file``'s picture upright, without metadata, encoded again in its own format.

    Raises ``ValidationError`` for what is not a JPEG, PNG or WebP picture.
    """
    file.seek(0)
    with warnings.catch_warnings():
        # A decompression bomb only warns below twice Pillow's pixel limit.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = open_allowed_format(file)
        fmt = image.format
        try:
            # In place, so a JPEG stays a JPEG image whose tables "keep" reuses.
            ImageOps.exif_transpose(image, in_place=True)
        except Exception:
            raise corrupt_error() from None
    kept = {key: image.info[key] for key in KEPT_INFO if key in image.info}
    options = _save_options(fmt, lossless=fmt == "WEBP" and _lossless_webp(file))
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options, **kept)
    file.seek(0)
    return CleanOriginal(buffer.getvalue(), EXTENSIONS[fmt])


def _save_options(fmt: str, *, lossless: bool) -> dict[str, Any]:
    if fmt == "JPEG":
        # The source's own quantisation tables and chroma subsampling: no second
        # loss of quality, and no file several times larger than the upload.
        return {"quality": "keep", "subsampling": "keep", "optimize": True}
    if fmt == "WEBP":
        return {"lossless": True} if lossless else {"quality": 90, "method": 4}
    return {"compress_level": 6}


def _lossless_webp(file) -> bool:
    """Whether a WebP file holds its picture losslessly (a ``VP8L`` chunk, not ``VP8 ``)."""
    file.seek(0)
    header = file.read(12)
    if header[:4] != b"RIFF" or header[8:12] != b"WEBP":
        return False
    while len(chunk := file.read(8)) == 8:
        kind, size = chunk[:4], int.from_bytes(chunk[4:], "little")
        if kind in (b"VP8L", b"VP8 "):
            return kind == b"VP8L"
        # Chunks are padded to an even size.
        file.seek(size + (size & 1), io.SEEK_CUR)
    return False


def random_name(extension: str) -> str:
    return f"{uuid.uuid4().hex}.{extension}"


class LeadImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        try:
            original = clean_original(content)
        except ValidationError as error:
            raise ValidationError(
                f"{capfirst(self.field.verbose_name)} «{name}»: {_lower_first(error.messages[0])}",
                code=error.code,
            ) from None
        super().save(random_name(original.extension), ContentFile(original.content), save)


class LeadImageFormField(forms.ImageField):
    # Without Django's check of the upload's extension: the stored name's comes from
    # the format found in the bytes, and the list it checks against (every extension
    # Pillow knows) takes ".pdf" all the same.
    default_validators = ()


class LeadImageField(models.ImageField):
    """An ``ImageField`` that stores each upload through ``clean_original``."""

    attr_class = LeadImageFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": LeadImageFormField, **kwargs})


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
