"""The fast tokenizer gives razdel's tokens."""

import random
from pathlib import Path

from articles.text.tokens import fast_tokens, tokens

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_f151a0e0119b62b8.txt"

TOKENIZER_PIECES = [
    *"абвЯЁaZk 12 9 . , - — – ‑ − _ / \\ : ; ( ) [ ] = ! ? … « » “ ” \" ' * # № % Δ σ 😀 \t \n",
    "yahoo",
    "Yahoo!",
    ":-)",
    ";)",
    "=(((",
    "--",
    "**",
    "...",
    "?!",
    "3.14",
    "1/2",
    "cho-to",
    "Chevrolet",
    "Моторс",
    "  ",
    # Case folding and Unicode classes: the Kelvin sign is a Latin letter to
    # razdel's case-insensitive pattern, «٣» a digit, no-break spaces are spaces.
    "\u212a",
    "ſ",
    "İ",
    "٣",
    "\u0301",
    "\u00a0",
    "\u200b",
]


def razdel_tokens(text):
    return [(t.text, t.start, t.end) for t in tokens(text)]


def test_fast_tokens_are_razdels_tokens_for_the_seed():
    text = SEED.read_text(encoding="utf-8")
    assert [(t.text, t.start, t.end) for t in fast_tokens(text)] == razdel_tokens(text)


def test_fast_tokens_are_razdels_tokens_for_random_text():
    # Dashes, points, slashes and underscores join atoms depending on their
    # neighbours, even across a space: random mixtures try every combination.
    rng = random.Random(20250816)
    for _ in range(30_000):
        text = "".join(rng.choice(TOKENIZER_PIECES) for _ in range(rng.randint(0, 16)))
        assert [(t.text, t.start, t.end) for t in fast_tokens(text)] == razdel_tokens(text), text
