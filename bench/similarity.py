"""The near-duplicate threshold, tuned on labelled Russian news texts.

    .venv/bin/python bench/similarity.py

The texts are ``inbox/tests/stories/*.txt`` (invented firms and people), named
``<story>--<source>.txt``: two texts tell the same story when their ``<story>``
is the same. The first word of a story names its company, so the pairs that
differ fall into three kinds: about the same company but other news, other
stories from the same source (which share its boilerplate: a Telegram
invitation, a copyright line, an agency's dateline), and the rest.

For several ways of reading a text (the inbox's: nouns, names and numbers, names
and numbers counting twice; the same with other weights or with pairs of words;
all lemmas but function words; five-letter prefixes, a cheap stem; words as
written), each with its source's boilerplate kept and left out, it prints the
weakest same-story and the strongest different-story similarity, exact (Jaccard
of the sets) and as the fingerprints estimate it. Then, for the inbox's reading,
precision and recall of the pairs per threshold, the pairs nearest the line and
the threshold it chooses: the middle of the gap between the exact similarities
of same-story and different-story pairs, where the estimates' noise is least
likely to push a pair over. Last, how long ``same_story`` and a
``StoryIndex`` take against many fingerprints. It asserts nothing: the tests
check the decision at the chosen threshold.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from articles.text.morphology import analyzer
from inbox.similarity import fingerprints
from inbox.similarity.boilerplate import learn_boilerplate, without_boilerplate
from inbox.similarity.index import StoryIndex
from inbox.similarity.words import WORD_RE, read_story, shingles, story_features

STORIES = Path(__file__).resolve().parent.parent / "inbox" / "tests" / "stories"
THRESHOLDS = [round(0.05 * step, 2) for step in range(1, 13)]
FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
INBOX_READING = "nouns, names, numbers; names x2 (inbox)"

Features = Callable[[str], set[str]]


def nouns_names_numbers(*, shingle_size: int = 1, telling_weight: int = 2) -> Features:
    return lambda text: story_features(
        read_story(text), shingle_size=shingle_size, telling_weight=telling_weight
    )


def all_lemmas(text: str) -> set[str]:
    lemmas = set()
    for word in WORD_RE.findall(text):
        parses = analyzer().parse(word.lower())
        if not parses:
            lemmas.add(word.lower())
        elif parses[0].tag.POS not in FUNCTION_WORDS:
            lemmas.add(parses[0].normal_form)
    return lemmas


READINGS: dict[str, Features] = {
    INBOX_READING: nouns_names_numbers(),
    "nouns, names, numbers; names x1": nouns_names_numbers(telling_weight=1),
    "nouns, names, numbers; names x3": nouns_names_numbers(telling_weight=3),
    "the same in pairs of words; names x2": nouns_names_numbers(shingle_size=2),
    "all lemmas but function words": all_lemmas,
    "five-letter prefixes": lambda text: {w.lower()[:5] for w in WORD_RE.findall(text)},
    "words as written": lambda text: {w.lower() for w in WORD_RE.findall(text)},
    "words as written, in threes": lambda text: shingles(
        [w.lower() for w in WORD_RE.findall(text)], 3
    ),
}


@dataclass(frozen=True)
class Text:
    name: str
    story: str
    source: str
    body: str

    @property
    def company(self) -> str:
        return self.story.split("-")[0]


@dataclass(frozen=True)
class Pair:
    first: Text
    second: Text
    exact: float
    estimate: float

    @property
    def same(self) -> bool:
        return self.first.story == self.second.story

    @property
    def kind(self) -> str:
        if self.same:
            return "same story"
        if self.first.company == self.second.company:
            return "same company"
        return "same source" if self.first.source == self.second.source else "other"


def load_texts(folder: Path = STORIES, *, strip_boilerplate: bool = True) -> list[Text]:
    """The labelled texts; with ``strip_boilerplate``, each without the paragraphs
    its source repeats (learned from the source's texts in the folder, as the
    inbox learns them from a source's items)."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        story, _, source = path.stem.partition("--")
        texts.append(Text(path.stem, story, source, path.read_text(encoding="utf-8")))
    if not strip_boilerplate:
        return texts
    by_source = {
        source: learn_boilerplate(t.body for t in texts if t.source == source)
        for source in {t.source for t in texts}
    }
    return [
        Text(t.name, t.story, t.source, without_boilerplate(t.body, by_source[t.source]))
        for t in texts
    ]


def measure(texts: list[Text], features: Features) -> list[Pair]:
    sets = [features(t.body) for t in texts]
    signatures = [fingerprints.features_signature(s) for s in sets]
    return [
        Pair(
            texts[i],
            texts[j],
            len(sets[i] & sets[j]) / len(sets[i] | sets[j]),
            fingerprints.similarity(signatures[i], signatures[j]),
        )
        for i, j in itertools.combinations(range(len(texts)), 2)
    ]


def margins(pairs: list[Pair], value: Callable[[Pair], float]) -> tuple[float, float]:
    """The weakest same-story and the strongest different-story value."""
    return min(value(p) for p in pairs if p.same), max(value(p) for p in pairs if not p.same)


def print_readings() -> None:
    print(
        f"{'boilerplate':11}  {'reading':38}  "
        "exact: same / other / gap   estimate: same / other / gap"
    )
    for strip in (False, True):
        texts = load_texts(strip_boilerplate=strip)
        for name, features in READINGS.items():
            pairs = measure(texts, features)
            exact = margins(pairs, lambda p: p.exact)
            estimate = margins(pairs, lambda p: p.estimate)
            print(
                f"{'left out' if strip else 'kept':11}  {name:38}  "
                f"{exact[0]:.3f} / {exact[1]:.3f} / {exact[0] - exact[1]:+.3f}   "
                f"{estimate[0]:.3f} / {estimate[1]:.3f} / {estimate[0] - estimate[1]:+.3f}"
            )


def print_thresholds(pairs: list[Pair]) -> None:
    print("\nthreshold  precision  recall  (estimates, pairs)")
    positives = sum(p.same for p in pairs)
    for threshold in THRESHOLDS:
        found = [p for p in pairs if p.estimate >= threshold]
        right = sum(p.same for p in found)
        precision = right / len(found) if found else 1.0
        print(f"{threshold:9.2f}  {precision:9.3f}  {right / positives:6.3f}")


def print_extremes(pairs: list[Pair]) -> None:
    print("\nweakest same-story pairs (estimate, exact):")
    for p in sorted((p for p in pairs if p.same), key=lambda p: p.estimate)[:4]:
        print(f"  {p.estimate:.3f}  {p.exact:.3f}  {p.first.name} / {p.second.name}")
    print("strongest different-story pairs (estimate, exact):")
    for p in sorted((p for p in pairs if not p.same), key=lambda p: -p.estimate)[:6]:
        print(f"  {p.estimate:.3f}  {p.exact:.3f}  {p.first.name} / {p.second.name}  ({p.kind})")


def print_lsh_timing(texts: list[Text]) -> None:
    """``same_story`` and a ``StoryIndex`` against n fingerprints of texts made
    from the stories' words: 100 candidates each."""
    vocabulary = sorted({word for t in texts for word in t.body.split()})
    rng = random.Random(1)
    print("\n    n  same_story ms/query  index build ms  index ms/query  (100 queries)")
    for count in (500, 2000, 5000):
        pairs = [
            (i, fingerprints.signature(" ".join(rng.choices(vocabulary, k=100))))
            for i in range(count)
        ]
        queries = [fingerprint for _, fingerprint in pairs[:100]]
        started = time.perf_counter()
        for candidate in queries:
            fingerprints.same_story(candidate, pairs)
        exhaustive = (time.perf_counter() - started) / len(queries)
        started = time.perf_counter()
        index = StoryIndex(pairs)
        build = time.perf_counter() - started
        started = time.perf_counter()
        for candidate in queries:
            index.same_story(candidate)
        query = (time.perf_counter() - started) / len(queries)
        print(f"{count:5}  {exhaustive * 1000:19.2f}  {build * 1000:14.0f}  {query * 1000:14.2f}")


def main() -> None:
    texts = load_texts()
    pairs = measure(texts, READINGS[INBOX_READING])
    kinds = [p.kind for p in pairs]
    counts = {kind: kinds.count(kind) for kind in sorted(set(kinds))}
    print(f"{len(texts)} texts, {len(pairs)} pairs: {counts}\n")
    print_readings()
    print(f"\nthe inbox's reading ({INBOX_READING}), boilerplate left out")
    print_thresholds(pairs)
    print_extremes(pairs)
    weakest, strongest = margins(pairs, lambda p: p.exact)
    low, high = margins(pairs, lambda p: p.estimate)[::-1]
    print(
        f"\nchosen threshold: {(weakest + strongest) / 2:.2f}, the middle of the exact gap "
        f"{strongest:.3f}..{weakest:.3f} (the estimates' gap: {low:.3f}..{high:.3f}); "
        f"inbox.similarity.THRESHOLD = {fingerprints.THRESHOLD}"
    )
    print_lsh_timing(texts)


if __name__ == "__main__":
    main()
