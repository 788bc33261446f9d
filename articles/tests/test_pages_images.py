"""Portrait lead images keep a sane height: the stylesheet caps every lead image,
and the page asks for renditions as narrow as the capped picture shows.

The rendered height is measured in a real browser by
``portal/tests/test_browser_images.py``; these run on both databases.
"""

import io
import re

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from PIL import Image

from articles.images import make_renditions
from articles.images.presentation import ARTICLE_SIZES, lead_image_sizes
from articles.tests.factories import ArticleFactory

STYLESHEET = django_settings.BASE_DIR / "static" / "css" / "site.css"


@pytest.fixture
def portrait(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    buffer = io.BytesIO()
    Image.new("RGB", (600, 2400), (40, 110, 60)).save(buffer, "JPEG")
    article = ArticleFactory(image_alt="Башня цеха")
    article.image.save("bashnya.jpg", ContentFile(buffer.getvalue()), save=True)
    make_renditions(article=article)
    return article


def test_the_stylesheet_caps_every_lead_image_and_shows_it_whole():
    css = STYLESHEET.read_text(encoding="utf-8")
    rule = re.search(r"\.lead-image img \{([^}]*)\}", css)[1]
    assert "max-height: var(--lead-image-max)" in rule
    assert "object-fit: contain" in rule
    assert "--lead-image-max: min(60vh, 36rem);" in css


def test_a_portrait_picture_asks_for_a_rendition_as_narrow_as_it_shows(portrait, client):
    content = client.get(portrait.get_absolute_url()).content.decode()
    # 600×2400 under a 36rem / 60vh cap shows at most 9rem / 15vh wide.
    sizes = "(min-width: 44rem) min(42rem, 9rem, 15vh), min(calc(100vw - 2rem), 9rem, 15vh)"
    assert f'<source type="image/webp" srcset="{portrait.lead_image.srcset_webp}"' in content
    assert content.count(f'sizes="{sizes}"') == 2  # the WebP source and the img


@pytest.mark.parametrize(
    ("width", "height", "narrowed"),
    [(1600, 900, False), (1200, 1000, False), (1000, 1000, True), (900, 1600, True)],
)
def test_only_pictures_the_cap_narrows_get_narrower_sizes(width, height, narrowed):
    assert (lead_image_sizes(width, height) != ARTICLE_SIZES) is narrowed
