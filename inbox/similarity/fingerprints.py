"""Fingerprints of stories: ``signature`` and ``same_story``.

A text's fingerprint is a MinHash (datasketch) of its story's features
(``words.story_features``: nouns, names and numbers, names and numbers counting
twice), its source's boilerplate left out (``boilerplate``). The share of equal
values between two fingerprints estimates the Jaccard similarity of the two
texts' feature sets; two items tell the same story when it reaches
``THRESHOLD``. How the reading, the weight and the threshold were chosen:
README, "The inbox: one item once, one story once", and ``bench/similarity.py``.

The seed, the number of permutations and the permutation scheme are fixed, and
the hash of a feature is datasketch's SHA-1 based one (not Python's ``hash``,
which changes with every process): a fingerprint made by any worker on any
machine compares with any other.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np
from datasketch import MinHash

from .boilerplate import without_boilerplate
from .words import read_story, story_features

# 256 values: the estimate's standard error near the threshold is about 0.03
# (0.04 with 128), and 1 KB per item is nothing to store.
NUM_PERM = 256
SEED = 20260601
SCHEME = "affine32"  # 32-bit values: four bytes each in the stored form
SHINGLE_SIZE = 1
TELLING_WEIGHT = 2
THRESHOLD = 0.3
# The stored form: one byte telling the format, then the values as unsigned
# 32-bit little-endian integers. A new format (another seed, size or word
# reading, weight) gets a new number: fingerprints of another format compare with
# nothing until they are made again.
FORMAT = 1
SIGNATURE_BYTES = 1 + 4 * NUM_PERM
VALUE_TYPE = np.dtype("<u4")


def signature(
    text: str,
    *,
    boilerplate: Collection[str] = frozenset(),
    shingle_size: int = SHINGLE_SIZE,
    telling_weight: int = TELLING_WEIGHT,
) -> bytes:
    """The fingerprint of ``text`` (``SIGNATURE_BYTES`` bytes), or ``b""`` for a
    text without words, which tells no story and matches nothing.

    ``boilerplate``: the keys of the paragraphs the item's source repeats under
    every item (``learn_boilerplate``), read as no part of the story.
    """
    words = read_story(without_boilerplate(text, boilerplate))
    features = story_features(words, shingle_size=shingle_size, telling_weight=telling_weight)
    return features_signature(features)


def features_signature(features: set[str]) -> bytes:
    """The fingerprint of a set of features (``b""`` for none)."""
    if not features:
        return b""
    minhash = MinHash(
        num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, permutations=fixed_permutations()
    )
    minhash.update_batch(feature.encode("utf-8") for feature in features)
    return bytes([FORMAT]) + minhash.hashvalues.astype(VALUE_TYPE).tobytes()


@cache
def fixed_permutations() -> tuple[np.ndarray, np.ndarray]:
    # Drawn from SEED once per process instead of once per text.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature_values(fingerprint: bytes) -> np.ndarray | None:
    """The values of a stored fingerprint, or ``None`` when it is empty or of
    another format."""
    if len(fingerprint) != SIGNATURE_BYTES or fingerprint[0] != FORMAT:
        return None
    return np.frombuffer(fingerprint, dtype=VALUE_TYPE, offset=1)


def similarity(first: bytes, second: bytes) -> float:
    """The estimated Jaccard similarity of two fingerprints' shingle sets (0 when
    either is empty or of another format)."""
    first_values, second_values = signature_values(first), signature_values(second)
    if first_values is None or second_values is None:
        return 0.0
    return float(np.mean(first_values == second_values))


class FingerprintSet:
    """Fingerprints by id, decoded once into one matrix, for many candidates compared
    with the same growing set (a poll's items against the recent ones): decoding and
    stacking thousands of fingerprints again for every candidate would cost more than
    comparing them. ``same_story`` takes one as ``others``; the ids keep the order in
    which they were first added, as a dict of fingerprints would."""

    def __init__(self, pairs: Iterable[tuple[int, bytes]] = ()):
        self.ids: list[int] = []
        self.rows: dict[int, int] = {}
        self.values = np.zeros((0, NUM_PERM), dtype=VALUE_TYPE)
        # A row whose fingerprint is empty or of another format matches nothing.
        self.usable = np.zeros(0, dtype=bool)
        for id_, fingerprint in pairs:
            self.add(id_, fingerprint)

    def add(self, id_: int, fingerprint: bytes) -> None:
        """Add a fingerprint, or replace the one ``id_`` had (keeping its place)."""
        row = self.rows.get(id_)
        if row is None:
            row = len(self.ids)
            if row == len(self.values):  # full: double the room, as a list does
                self._grow(max(2 * row, 64))
            self.ids.append(id_)
            self.rows[id_] = row
        values = signature_values(fingerprint)
        self.usable[row] = values is not None
        if values is not None:
            self.values[row] = values

    def _grow(self, room: int) -> None:
        values, usable = np.zeros((room, NUM_PERM), dtype=VALUE_TYPE), np.zeros(room, dtype=bool)
        values[: len(self.ids)] = self.values[: len(self.ids)]
        usable[: len(self.ids)] = self.usable[: len(self.ids)]
        self.values, self.usable = values, usable

    @contextmanager
    def hidden(self, id_: int) -> Iterator[None]:
        """Inside the block, ``id_`` matches nothing (an item is not its own story)."""
        row = self.rows.get(id_)
        usable = row is not None and bool(self.usable[row])
        if usable:
            self.usable[row] = False
        try:
            yield
        finally:
            if usable:
                self.usable[row] = True

    def matching(self, candidate: np.ndarray, *, threshold: float) -> list[int]:
        count = len(self.ids)
        shares = (self.values[:count] == candidate).mean(axis=1)
        rows = np.flatnonzero(self.usable[:count] & (shares >= threshold))
        return [self.ids[row] for row in rows]


def same_story(
    candidate: bytes,
    others: Iterable[tuple[int, bytes]] | FingerprintSet,
    *,
    threshold: float = THRESHOLD,
) -> list[int]:
    """The ids among ``others`` whose fingerprints tell the same story as
    ``candidate``: estimated similarity at least ``threshold``, in the order given.

    Every pair is compared, all at once in numpy: a few milliseconds for
    thousands of fingerprints. For many candidates against one set, a
    ``FingerprintSet`` decodes it once; for many against one large set, an LSH
    index (``index.StoryIndex``) offers the pairs worth comparing instead.
    """
    candidate_values = signature_values(candidate)
    if candidate_values is None:
        return []
    if isinstance(others, FingerprintSet):
        return others.matching(candidate_values, threshold=threshold)
    pairs = [(id_, values) for id_, fp in others if (values := signature_values(fp)) is not None]
    return [id_ for id_, estimate in estimates(candidate_values, pairs) if estimate >= threshold]


def estimates(
    candidate: np.ndarray, pairs: list[tuple[int, np.ndarray]]
) -> list[tuple[int, float]]:
    """Each id of ``pairs`` with its estimated similarity to ``candidate``."""
    if not pairs:
        return []
    shares = (np.stack([values for _, values in pairs]) == candidate).mean(axis=1)
    return [(id_, float(share)) for (id_, _), share in zip(pairs, shares, strict=True)]
