"""What templates, feeds and structured data read of a lead image.

``lead_image`` turns an article's recorded renditions (the shape is described
in ``renditions``) into a ``LeadImage`` whose every attribute is ready to
print: ``srcset`` strings, the plain ``src``, the OpenGraph crop, the feed
enclosure. It is pure: no query and no storage access, so pages that show many
images cost no more than pages that show none.

Any object with the article's image fields will do (``ArticleImageFields``):
this module never imports the model, whose ``lead_image`` property calls it.
"""

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urljoin

from django.db.models.fields.files import FieldFile
from django.templatetags.static import static

from .renditions import CROPS

FEED_WIDTH = 1200
# The width the browser picks from for a plain ``src`` (browsers without srcset).
SRC_WIDTH = 800
# The article column: the page less its padding on phones, at most 42rem (site.css).
ARTICLE_COLUMN = (("(min-width: 44rem) ", "42rem"), ("", "calc(100vw - 2rem)"))
ARTICLE_SIZES = ", ".join(f"{media}{width}" for media, width in ARTICLE_COLUMN)
# A lead image is never taller than this (--lead-image-max in site.css): a portrait
# picture shows narrower than the column, and needs no rendition wider than that.
MAX_HEIGHT_REM = 36
MAX_HEIGHT_VH = 60
COLUMN_REM = 42
# The thumbnail beside a headline in lists (.card-thumb in site.css).
THUMB_SIZES = "(min-width: 48rem) 10rem, 7rem"
DEFAULT_IMAGE = "img/og-default.png"

MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class ArticleImageFields(Protocol):
    """What pages need of an article's image (``articles.models.Article`` has it all)."""

    image: FieldFile
    image_renditions: dict[str, Any]
    image_alt: str
    image_caption: str
    image_credit: str


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


def lead_image_sizes(width: int, height: int) -> str:
    """``sizes`` for a lead image of ``width``×``height``: the column's width, or
    for a picture the height limit narrows (portrait, near square) the width it
    keeps at that height."""
    ratio = width / height
    if COLUMN_REM / ratio <= MAX_HEIGHT_REM:
        return ARTICLE_SIZES
    narrowed = f"{round(MAX_HEIGHT_REM * ratio, 2):g}rem, {round(MAX_HEIGHT_VH * ratio, 2):g}vh"
    return ", ".join(f"{media}min({column}, {narrowed})" for media, column in ARTICLE_COLUMN)


def _srcset(renditions: tuple[Rendition, ...]) -> str:
    # Storage URLs are percent-encoded, so no comma or space can split an entry.
    return ", ".join(f"{r.url} {r.width}w" for r in renditions)


def lead_image(article: ArticleImageFields) -> LeadImage | None:
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
    fallback = tuple(rendition(e) for e in widths[data["fallback"]])
    return LeadImage(
        webp=tuple(rendition(e) for e in widths["webp"]),
        fallback=fallback,
        crops={key: rendition(e) for key, e in data["crops"].items()},
        alt=article.image_alt,
        caption=article.image_caption,
        credit=article.image_credit,
        sizes=lead_image_sizes(fallback[-1].width, fallback[-1].height),
    )


def absolute_url(url: str, *, base_url: str) -> str:
    """``url`` on the site at ``base_url``; an address on another host stays as it is."""
    return urljoin(f"{base_url}/", url)


def structured_data_images(article: ArticleImageFields, *, base_url: str) -> list[str]:
    """Absolute image URLs for NewsArticle JSON-LD: the 16:9, 4:3 and 1:1 crops.

    Search engines want an image for every news article, so one without its own
    gets the site's default.
    """
    image = lead_image(article)
    if image is None:
        return [absolute_url(static(DEFAULT_IMAGE), base_url=base_url)]
    # In CROPS' order: the recorded crops may come back from the database reordered.
    return [absolute_url(image.crop_url(key), base_url=base_url) for key in CROPS]
