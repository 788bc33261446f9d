"""The near-duplicate threshold, tuned on labelled Russian news texts.

    .venv/bin/python bench/similarity.py

The texts are ``inbox/tests/stories/*.txt`` (invented firms and people), named
``<story>--<source>.txt``: two texts tell the same story when their ``<story>``
is the same. The first word of a story names its company, so the pairs that
differ fall into three kinds: about the same company but other news, other
stories from the same source (which share its boilerplate: a Telegram
invitation, a copyright line, an agency's dateline), and the rest.

For several ways of reading the words (lemmas without function words, as the
inbox does; five-letter prefixes, a cheap stem; words as written) and shingle
sizes, it prints the weakest same-story and the strongest different-story
similarity (MinHash estimates, as ``same_story`` sees them) and the gap between
them; then, for the inbox's reading, precision and recall of the pairs per
threshold and the threshold it chooses: the middle of the gap, where the
estimates' noise (about ±0.04 at 128 permutations) is least likely to push a
pair over. Last, how long ``same_story`` takes against many fingerprints with
and without the LSH index. It asserts nothing: the tests check the decision.
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)


from articles.text.morphology import analyzer
from inbox.similarity import fingerprints
from inbox.similarity.boilerplate import learn_boilerplate, without_boilerplate
from inbox.similarity.index import StoryIndex
from inbox.similarity.words import WORD_RE, shingles, story_words

STORIES = Path(__file__).resolve().parent.parent / "inbox" / "tests" / "stories"
THRESHOLDS = [round(0.05 * step, 2) for step in range(1, 13)]
READINGS = {
    "nouns+names+numbers (the inbox's)": story_words,
    "all lemmas but function words": lambda text: [
        lemma
        for word in WORD_RE.findall(text)
        if (lemma := word if word[0].isdigit() else all_lemma(word))
    ],
    "prefix5": lambda text: [word.lower()[:5] for word in WORD_RE.findall(text)],
    "as written": lambda text: [word.lower() for word in WORD_RE.findall(text)],
}


FUNCTION_WORDS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})


def all_lemma(word: str) -> str:
    parses = analyzer().parse(word.lower())
    if parses and parses[0].tag.POS in FUNCTION_WORDS:
        return ""
    return parses[0].normal_form if parses else word.lower()


@dataclass(frozen=True)
class Text:
    name: str
    story: str
    source: str
    body: str

    @property
    def company(self) -> str:
        return self.story.split("-")[0]


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


def pair_kind(first: Text, second: Text) -> str:
    if first.story == second.story:
        return "same story"
    if first.company == second.company:
        return "same company"
    if first.source == second.source:
        return "same source"
    return "other"


def estimates(texts: list[Text], reading, size: int) -> list[tuple[Text, Text, float]]:
    signatures = [fingerprints.shingles_signature(shingles(reading(t.body), size)) for t in texts]
    return [
        (texts[i], texts[j], fingerprints.similarity(signatures[i], signatures[j]))
        for i, j in itertools.combinations(range(len(texts)), 2)
    ]


def margins(pairs) -> tuple[float, float]:
    weakest_same = min(s for a, b, s in pairs if a.story == b.story)
    strongest_other = max(s for a, b, s in pairs if a.story != b.story)
    return weakest_same, strongest_other


def print_variants() -> None:
    print(
        "boilerplate  reading                              shingle  "
        "weakest same  strongest other  gap"
    )
    for strip in (False, True):
        texts = load_texts(strip_boilerplate=strip)
        for (name, reading), size in itertools.product(READINGS.items(), (1, 2, 3)):
            weakest, strongest = margins(estimates(texts, reading, size))
            print(
                f"{'left out' if strip else 'kept':11}  {name:35}  {size:7}  {weakest:12.3f}  "
                f"{strongest:15.3f}  {weakest - strongest:+.3f}"
            )


def print_thresholds(pairs) -> None:
    print("\nthreshold  precision  recall  (pairs: same story / different)")
    for threshold in THRESHOLDS:
        found = [(a, b) for a, b, s in pairs if s >= threshold]
        right = sum(a.story == b.story for a, b in found)
        positives = sum(a.story == b.story for a, b, _ in pairs)
        precision = right / len(found) if found else 1.0
        print(f"{threshold:9.2f}  {precision:9.3f}  {right / positives:6.3f}")


def print_extremes(pairs) -> None:
    print("\nweakest same-story pairs:")
    for a, b, s in sorted((p for p in pairs if p[0].story == p[1].story), key=lambda p: p[2])[:4]:
        print(f"  {s:.3f}  {a.name} / {b.name}")
    print("strongest different-story pairs:")
    others = sorted((p for p in pairs if p[0].story != p[1].story), key=lambda p: -p[2])
    for a, b, s in others[:6]:
        print(f"  {s:.3f}  {a.name} / {b.name}  ({pair_kind(a, b)})")


def print_lsh_timing(texts: list[Text]) -> None:
    """``same_story`` and a ``StoryIndex`` against n fingerprints of texts made
    from the stories' words: 100 candidates each."""
    vocabulary = sorted({word for t in texts for word in story_words(t.body)})
    rng = random.Random(1)
    print("\n    n  same_story ms/query  index build ms  index ms/query  (100 queries)")
    for count in (500, 2000, 5000):
        pairs = [
            (i, fingerprints.signature(" ".join(rng.choices(vocabulary, k=60))))
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
    print_variants()
    texts = load_texts()
    kinds = [pair_kind(a, b) for a, b in itertools.combinations(texts, 2)]
    counts = {kind: kinds.count(kind) for kind in sorted(set(kinds))}
    print(f"\n{len(texts)} texts, {len(kinds)} pairs: {counts}")
    pairs = estimates(texts, story_words, fingerprints.SHINGLE_SIZE)
    print(
        f"the inbox's reading: shingles of {fingerprints.SHINGLE_SIZE} word(s), "
        "boilerplate left out"
    )
    print_thresholds(pairs)
    print_extremes(pairs)
    weakest, strongest = margins(pairs)
    print(
        f"\nchosen threshold: {(weakest + strongest) / 2:.2f} (middle of the gap "
        f"{strongest:.3f}..{weakest:.3f}); inbox.similarity.THRESHOLD = {fingerprints.THRESHOLD}"
    )
    print_lsh_timing(texts)


if __name__ == "__main__":
    main()
