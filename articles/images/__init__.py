"""Lead images of articles, in four parts by when they run.

- ``validation``: upload checks, when an editor submits a form;
- ``originals``: the stored original, without metadata, under a random name
  with its real format's extension (``LeadImageField``);
- ``renditions``: the responsive renditions and crops, made once after the
  article is saved, and removed with the image;
- ``presentation``: what templates, feeds and JSON-LD read of the renditions,
  without a query or a storage call.

Nothing here imports ``articles.models``: the model imports the validator, so
the parts take any object with the article's image fields.

The names below are re-exported for callers that import them from the package;
migration 0005 refers to the validator as ``articles.images.validate_image_upload``,
so that name must stay importable from here.
"""

from .presentation import (
    LeadImage,
    Rendition,
    absolute_url,
    lead_image,
    structured_data_images,
)
from .renditions import delete_renditions, make_renditions, rendition_names
from .validation import validate_image_upload

__all__ = [
    "LeadImage",
    "Rendition",
    "absolute_url",
    "delete_renditions",
    "lead_image",
    "make_renditions",
    "rendition_names",
    "structured_data_images",
    "validate_image_upload",
]
