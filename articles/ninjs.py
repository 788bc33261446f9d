"""Articles as IPTC ninjs 3.1 (News in JSON) for syndication.

The schema lives in ``articles/schemas/``; the tests validate every shape this
module produces against it. Each linked entity goes to the ninjs property made
for its kind: officials to ``people``, companies to ``organisations``,
countries to ``places`` and vehicle models to ``objects`` ("something
material, excluding persons"). The lead image goes to ``associations``: a
picture with its renditions (every width and crop), caption, alt text and
credit. The attribution (``Article.source_name``, ``source_url``) goes to
``infoSources``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import escape
from django.views.decorators.http import require_safe

from companies.jsonld import entity_url
from companies.kinds import KINDS
from companies.models import Entity
from portal.slugs import find_by_retired_slug

from .images import LeadImage, Rendition, absolute_url
from .jsonld import article_url, iso_datetime
from .models import Article

NINJS_VERSION = "3.1"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
# The schema forbids unknown top-level keys, "$schema" included; ninjs names
# its own schema in ``standard`` instead.
STANDARD = {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA_URI}
# How the article relates to every linked entity: the linker and the editors
# link what the text names.
ENTITY_REL = "mentioned"
# The attribution's role, from IPTC's Information Source Role vocabulary
# (cv.iptc.org/newscodes/infosourcerole): "originfo", the party that provided
# information used to create the content; the article is the newsroom's own text.
SOURCE_ROLE = "originfo"
# The lead image's association: its name says what it is to the article, as the
# "mainpic" of ninjs's own multimedia example.
LEAD_IMAGE_NAME = "mainpic"


def body_html(article: Article) -> str:
    """The body as HTML: every text is escaped, the only markup is ours."""
    tags = {"paragraph": "p", "subheading": "h2"}
    return "\n".join(
        f"<{tags[block.kind]}>{escape(block.text)}</{tags[block.kind]}>"
        for block in article.blocks()
    )


def body_text(article: Article) -> str:
    return "\n\n".join(block.text for block in article.blocks())


def article_to_ninjs(article: Article, *, base_url: str) -> dict[str, Any]:
    """The ninjs document for ``article``, fetched with ``with_entities()``."""
    data: dict[str, Any] = {
        "standard": STANDARD,
        "uri": article_url(article, base_url=base_url),
        "type": "text",
        "representationType": "full",
        "pubStatus": "usable",
        "language": "ru",
        "firstCreated": iso_datetime(article.published_at),
        "versionCreated": iso_datetime(article.last_modified),
        "headlines": [{"role": "main", "contentType": "text/plain", "value": article.title}],
        "descriptions": [{"role": "summary", "contentType": "text/plain", "value": article.lead}],
    }
    text = body_text(article)
    if text:
        # Counts are of the words a reader sees, the same for both renderings.
        counts = {"charCount": len(text), "wordCount": len(text.split())}
        data["bodies"] = [
            {"role": "main", "contentType": "text/html", "value": body_html(article), **counts},
            {"role": "main", "contentType": "text/plain", "value": text, **counts},
        ]
    links = {
        "subjects": [
            {"name": tag.name, "uri": f"{base_url}{tag.get_absolute_url()}"}
            for tag in sorted(article.tags.all(), key=lambda tag: tag.name)
        ],
        **{
            kind.ninjs_field: _links(getattr(article, kind.key).all(), base_url=base_url)
            for kind in KINDS
        },
    }
    data.update({key: items for key, items in links.items() if items})
    source = info_source(article)
    if source:
        data["infoSources"] = [source]
    image = article.lead_image
    if image is not None:
        data["associations"] = [lead_image_item(image, base_url=base_url)]
    return data


def info_source(article: Article) -> dict[str, str] | None:
    """The attribution as a ninjs info source: the party's name, role and address.

    ninjs's ``uri`` identifies the party, not a document, so it is the source's
    site (scheme and host of ``source_url``); the page itself is the JSON-LD's
    ``isBasedOn``.
    """
    if not article.source_name:
        return None
    source = {"name": article.source_name, "role": SOURCE_ROLE}
    if article.source_url:
        parts = urlsplit(article.source_url)
        host = parts.netloc.rpartition("@")[2]  # never a user name or password
        source["uri"] = f"{parts.scheme}://{host}/"
    return source


def lead_image_item(image: LeadImage, *, base_url: str) -> dict[str, Any]:
    """The lead image as an associated ninjs picture: every rendition, caption,
    alt text and credit. Its ``uri`` is its widest rendition's address, which
    changes with the picture; the upload itself is never exported (it may carry
    the camera's metadata, which the renditions do not)."""
    widest = max(image.fallback, key=lambda r: r.width)
    item: dict[str, Any] = {
        "name": LEAD_IMAGE_NAME,
        "uri": absolute_url(widest.url, base_url=base_url),
        "type": "picture",
        "representationType": "full",
        "renditions": [
            *(_rendition(r, base_url=base_url) for r in (*image.webp, *image.fallback)),
            *(
                _rendition(r, base_url=base_url, name=f"crop-{key}", aspect=key.replace("x", ":"))
                for key, r in image.crops.items()
            ),
        ],
    }
    descriptions = [("caption", image.caption), ("alt", image.alt)]
    if any(text for _role, text in descriptions):
        item["descriptions"] = [
            {"role": role, "contentType": "text/plain", "value": text}
            for role, text in descriptions
            if text
        ]
    if image.credit:
        item["by"] = image.credit
    return item


def _rendition(
    rendition: Rendition, *, base_url: str, name: str = "", aspect: str = ""
) -> dict[str, Any]:
    data = {
        "name": name or f"{rendition.format}-{rendition.width}",
        "href": absolute_url(rendition.url, base_url=base_url),
        "contentType": rendition.mime_type,
        "width": rendition.width,
        "height": rendition.height,
        "sizeInBytes": rendition.size,
    }
    return {**data, "aspectRatio": aspect} if aspect else data


def _links(entities: Iterable[Entity], *, base_url: str) -> list[dict[str, str]]:
    return [
        {"name": e.name, "uri": entity_url(e, base_url=base_url), "rel": ENTITY_REL}
        for e in entities
    ]


@require_safe
def article_ninjs(request, slug):
    published = Article.objects.published()
    try:
        article = get_object_or_404(published.with_entities(), slug=slug)
    except Http404:
        # A slug the article had before answers as its page does: 301 to the new one.
        current = find_by_retired_slug(published, slug)
        if current is None:
            raise
        return redirect(current.get_ninjs_url(), permanent=True)
    base_url = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        article_to_ninjs(article, base_url=base_url),
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json; charset=utf-8",
    )
