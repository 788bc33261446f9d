"""The corpus holds what the evaluation promises: enough texts of the right size, every
annotation resolving to a known entity and class, and no name-like word left unannotated."""

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from evaluation.authoring import CATALOGS
from evaluation.classes import MENTION_CLASSES, NEGATIVE_CLASSES
from evaluation.corpus import CORPUS_DIR, load_corpus
from evaluation.spans import Span

# Words that look like a catalog name: wherever one stands in a text it must be
# annotated, as a mention, an optional mention or a hard negative. Lower-case
# stems match inside any word («медно-кобальтового»); the abbreviations only as written.
WATCHED_STEMS = (
    "росси", "кыргыз", "кирги", "минпромторг", "тулпар", "шевроле", "chevrolet", "исузу",
    "isuzu", "onix", "оникс", "cobalt", "кобальт", "tracker", "трекер", "треккер", "чекушов",
    "касымалиев", "роман", "orbion", "орбион", "temirkan", "темиркан", "granit", "гранит",
    "kometa", "комет", "batyr", "батыр", "t40", "т40", "осмонов", "королев", "karavan",
    "караван", "кен-булак", "ken-bulak", "алтын", "altyn", "ак-суу", "ak-suu", "госагентств",
)  # fmt: skip
WATCHED_ABBREVIATIONS = ("КР", "РФ", "ГАМ")
SUGGESTION_KINDS = {"person", "organisation", "place", "vehicle_model"}
MIN_TEXTS = 16
MIN_PER_CLASS = 4  # annotations of each class, in at least two texts


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def catalog_rows() -> dict[str, dict]:
    rows = {}
    for path in CATALOGS:
        for row in json.loads(path.read_text(encoding="utf-8")):
            rows[f"{row['model'].split('.')[1]}:{row['fields']['slug']}"] = row["fields"]
    return rows


def test_enough_texts_each_of_news_length(corpus):
    assert len(corpus) >= MIN_TEXTS
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        assert 1500 <= len(path.read_text(encoding="utf-8")) <= 4000, path.name
        assert path.with_suffix(".json").exists(), path.name


def test_annotations_name_catalog_entities(corpus):
    known = catalog_rows()
    for document in corpus:
        for item in [*document.gold, *document.optional]:
            assert item.entity in known, (document.key, item.entity)


def test_every_class_is_sampled_several_times_across_texts(corpus):
    counts: Counter = Counter()
    texts = defaultdict(set)
    for document in corpus:
        for item in [*document.gold, *document.negatives]:
            key = (item in document.negatives, item.kind)
            counts[key] += 1
            texts[key].add(document.key)
    expected = [(False, kind) for kind in MENTION_CLASSES] + [
        (True, kind) for kind in NEGATIVE_CLASSES
    ]
    thin = [key for key in expected if counts[key] < MIN_PER_CLASS or len(texts[key]) < 2]
    assert not thin


def test_spans_do_not_collide(corpus):
    """One mention of an entity is annotated once; a hard negative is no mention at all."""
    for document in corpus:
        for n, gold in enumerate(document.gold):
            for other in document.gold[n + 1 :]:
                clash = gold.entity == other.entity and gold.span.overlaps(other.span)
                assert not clash, (document.key, gold.surface)
            for negative in document.negatives:
                assert not negative.span.overlaps(gold.span), (document.key, negative.surface)


def test_a_brand_named_inside_a_model_is_annotated_too(corpus):
    """«Шевроле Кобальт» mentions Chevrolet as well: the annotators did it everywhere."""
    rows = catalog_rows()
    lacking = []
    for document in corpus:
        for gold in document.gold:
            if not gold.entity.startswith("vehiclemodel:"):
                continue
            brand = f"company:{rows[gold.entity]['brand'][0]}"
            names = [rows[brand]["name"], *rows[brand]["aliases"]]
            words = re.findall(r"\w+", gold.surface.lower())
            if any(w.startswith(n.lower()) for w in words for n in names) and not any(
                g.entity == brand and g.span.overlaps(gold.span) for g in document.gold
            ):
                lacking.append((document.key, gold.surface))
    assert not lacking


def test_no_name_like_word_is_left_unannotated(corpus):
    unannotated = []
    for document in corpus:
        spans = [item.span for item in [*document.gold, *document.optional, *document.negatives]]
        for number, text in enumerate(document.pieces):
            if number < document.scored_from:
                continue
            for word in watched_words(text):
                span = Span(number, *word.span())
                if not any(span.overlaps(s) for s in spans):
                    unannotated.append((document.key, word.group()))
    assert not unannotated


def watched_words(text: str):
    for word in re.finditer(r"\w+(?:-\w+)*", text):
        folded = word.group().lower().replace("ё", "е")
        if word.group() in WATCHED_ABBREVIATIONS or any(s in folded for s in WATCHED_STEMS):
            yield word


def test_expected_suggestions_are_well_formed(corpus):
    for document in corpus:
        for item in document.expected:
            assert item.kind in SUGGESTION_KINDS, (document.key, item.names)
            assert all(name.strip() == name and name for name in item.names)


def test_corpus_files_come_in_pairs():
    texts = {path.stem for path in CORPUS_DIR.glob("*.txt")}
    annotations = {path.stem for path in Path(CORPUS_DIR).glob("*.json")}
    assert texts == annotations
