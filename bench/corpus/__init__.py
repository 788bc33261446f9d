"""A synthetic corpus for the benchmarks: many plausible Russian articles, clearly marked.

``bench/generate_corpus.py`` (the script) and ``bench/load_seed.py`` use it to
find out how the portal behaves with a hundred thousand articles. The text is
built from plain template sentences, a small industry vocabulary and the
catalog's entities in their case forms («Тулпар Моторса», «Романа Чекушова»;
Latin names stay as they are). The sentences state nothing beyond
commonplaces; what they say about a real company or official is invented
filler, so every generated article is marked three ways:

- its ``source_key`` is ``synthetic-`` and a number (``--clear`` deletes by it);
- it carries the tag «Синтетика»;
- its last paragraph says it was generated (``DISCLAIMER``).

Entities the corpus adds to the catalog (``--entities``) are named as tests
(«Тестовый завод 7», «Testmark 3 Alpha»), have slugs starting with
``synthetic-`` and say so in their description. No people are invented.

Links are written directly, with the body positions the generator knows
because it put each name there itself; running the real linker on 100,000
articles would take most of the time budget. Each form of a name is checked
once with the real ``Matcher``, template words are checked to name nothing,
and ``generate`` re-checks a sample of articles with the linker and reports
any difference (``relink`` would then fix the links).

The same seed gives the same articles: benchmark figures from different
commits stay comparable only while that holds.

- ``vocabulary``: the sentences and words, and the marks of synthetic data;
- ``names``: catalog names in their grammatical cases;
- ``templates``: template sentences as text and slots;
- ``generator``: one synthetic article from a seed and its number;
- ``entities``: test entities, and clearing everything synthetic;
- ``writing``: the articles, links and tags written in bulk;
- ``build``: the whole build the script runs.

It is part of the benchmarks, not of the site: nothing in the apps imports it.
"""

from .build import CorpusError, build_corpus
from .entities import add_synthetic_entities, clear_synthetic
from .generator import Generator, SyntheticArticle
from .names import Form, entity_forms, inflect_name
from .templates import ENTITY_KINDS, Template, check_templates
from .vocabulary import DISCLAIMER, ENTITY_DESCRIPTION, PREFIX, TAG
from .writing import GenerateReport, documents, generate, next_index

__all__ = [
    "DISCLAIMER",
    "ENTITY_DESCRIPTION",
    "ENTITY_KINDS",
    "PREFIX",
    "TAG",
    "CorpusError",
    "Form",
    "GenerateReport",
    "Generator",
    "SyntheticArticle",
    "Template",
    "add_synthetic_entities",
    "build_corpus",
    "check_templates",
    "clear_synthetic",
    "documents",
    "entity_forms",
    "generate",
    "inflect_name",
    "next_index",
]
