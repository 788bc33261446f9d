"""An LSH index of fingerprints, for many candidates against one large set.

``same_story`` compares a candidate with every fingerprint it is given, which
costs milliseconds for thousands. A fetch of many sources brings many
candidates, each to compare with the same recent items: an index built once
(datasketch's MinHashLSH) offers each candidate the few items worth comparing,
and the decision is the same exact comparison of estimates as ``same_story``'s.
Building an index costs far more than comparing once (``bench/similarity.py``
measures both): it pays only when it answers many queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from .fingerprints import NUM_PERM, SCHEME, SEED, THRESHOLD, estimates, signature_values

# The chance the index fails to offer a pair whose similarity is exactly the
# threshold; pairs above it are missed less often still.
LSH_MISS = 0.01


class StoryIndex:
    """Fingerprints by id, answering which of them tell a candidate's story."""

    def __init__(self, pairs: Iterable[tuple[int, bytes]] = (), *, threshold: float = THRESHOLD):
        self.threshold = threshold
        self.values: dict[int, np.ndarray] = {}
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=lsh_bands(threshold))
        with self.lsh.insertion_session() as session:
            for id_, fingerprint in pairs:
                values = signature_values(fingerprint)
                if values is not None and id_ not in self.values:
                    self.values[id_] = values
                    session.insert(id_, lean_minhash(values), check_duplication=False)

    def add(self, id_: int, fingerprint: bytes) -> None:
        """Index one more fingerprint (one of another format or empty is ignored)."""
        values = signature_values(fingerprint)
        if values is not None and id_ not in self.values:
            self.values[id_] = values
            self.lsh.insert(id_, lean_minhash(values), check_duplication=False)

    def same_story(self, candidate: bytes) -> list[int]:
        """The indexed ids whose estimated similarity to ``candidate`` reaches the
        threshold, in ascending order."""
        candidate_values = signature_values(candidate)
        if candidate_values is None:
            return []
        offered = set(self.lsh.query(lean_minhash(candidate_values)))
        pairs = [(id_, self.values[id_]) for id_ in sorted(offered)]
        found = estimates(candidate_values, pairs)
        return [id_ for id_, estimate in found if estimate >= self.threshold]


def lean_minhash(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


@cache
def lsh_bands(threshold: float) -> tuple[int, int]:
    """Bands and rows per band: the most rows per band (fewest pairs offered) such
    that a pair exactly at ``threshold`` is missed with a chance of at most
    ``LSH_MISS``.

    A pair of similarity s agrees on a whole band of r rows with the chance sʳ,
    and is offered unless all b bands differ: it is missed with the chance
    (1 − sʳ)ᵇ.
    """
    for rows in range(NUM_PERM, 0, -1):
        bands = NUM_PERM // rows
        if (1 - threshold**rows) ** bands <= LSH_MISS:
            return bands, rows
    return NUM_PERM, 1
