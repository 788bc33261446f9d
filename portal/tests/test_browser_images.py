"""Lead images in a real browser: a portrait picture never pushes the text screens down.

A 600×2400 picture at the column's width would be four times as tall as wide
(2,688 px in a 42rem column). On every page that shows it, on a desktop and on a
phone screen, it must stay within three quarters of the window's height, shown
whole (scaled down, not cropped), with the lead close below it.
"""

import io
import mimetypes

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from articles.images import make_renditions
from articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
MAX_SHARE_OF_WINDOW = 0.75


@pytest.fixture
def portrait_article(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PAGE_CACHE = False
    buffer = io.BytesIO()
    Image.new("RGB", (600, 2400), (40, 110, 60)).save(buffer, "JPEG")
    article = ArticleFactory(
        title="Новый цех в Бишкеке", image_alt="Башня цеха", image_caption="Цех"
    )
    article.image.save("bashnya.jpg", ContentFile(buffer.getvalue()), save=True)
    make_renditions(article=article)
    return article


def serve_media_from_storage(page) -> None:
    """The live server's media route reads the folder it was imported with: the
    browser gets this test's files straight from storage instead."""

    def fulfil(route):
        name = route.request.url.split("/media/", 1)[1]
        with default_storage.open(name, "rb") as file:
            body = file.read()
        route.fulfill(body=body, content_type=mimetypes.guess_type(name)[0] or "")

    page.route("**/media/**", fulfil)


def image_box(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        """img => {
            const box = img.getBoundingClientRect();
            return {top: box.top + window.scrollY, height: box.height, width: box.width,
                    natural: img.naturalWidth, fit: getComputedStyle(img).objectFit,
                    window: window.innerHeight};
        }""",
    )


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_a_portrait_lead_image_stays_within_the_window(
    live_server, page, portrait_article, viewport
):
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    serve_media_from_storage(page)
    pages = {
        "article": (portrait_article.get_absolute_url(), ".lead-image img"),
        "home": ("/", ".lead-story .lead-image img"),
        "archive": ("/news/", ".card-thumb img"),
    }
    for name, (path, selector) in pages.items():
        page.goto(live_server.url + path, wait_until="load")
        box = image_box(page, selector)
        assert box["natural"] > 0, f"{name}: the image did not load"
        assert box["height"] <= MAX_SHARE_OF_WINDOW * box["window"], (name, box)
        assert box["height"] > 50, (name, box)  # still a picture, not a speck
    page.goto(live_server.url + portrait_article.get_absolute_url(), wait_until="load")
    # The whole picture shows, scaled down inside its box rather than cropped.
    assert image_box(page, ".lead-image img")["fit"] == "contain"
    # The text follows on the first screen or just below it (uncapped, the lead
    # began more than three screens down).
    lead_top = page.eval_on_selector(".lead", "p => p.getBoundingClientRect().top + scrollY")
    assert lead_top < 1.25 * height, "the lead is pushed screens down"
