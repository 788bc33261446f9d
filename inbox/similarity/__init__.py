"""When two items are the same item, and when they tell the same story.

- ``canonical_url`` (``urls``): the address an item is known by, whatever
  tracking parameters, letter case or escaping it carries;
- ``content_key`` (``keys``): a key equal for the same text however it is
  spaced, cased or punctuated;
- ``signature`` and ``same_story`` (``fingerprints``): MinHash fingerprints of a
  text's story words, and the items whose fingerprints tell the same story
  (among pairs, or a ``FingerprintSet`` decoded once for many candidates);
- ``StoryIndex`` (``index``): an LSH index for many candidates against one set;
- ``learn_boilerplate`` (``boilerplate``): the paragraphs a source repeats under
  every item, which ``signature`` leaves out.

Pure: no Django, no database.
"""

from .boilerplate import learn_boilerplate
from .fingerprints import THRESHOLD, FingerprintSet, same_story, signature, similarity
from .index import StoryIndex
from .keys import content_key
from .urls import canonical_url

__all__ = [
    "THRESHOLD",
    "FingerprintSet",
    "StoryIndex",
    "canonical_url",
    "content_key",
    "learn_boilerplate",
    "same_story",
    "signature",
    "similarity",
]
