"""The fast tokenizer gives razdel's tokens; the linker reads them through typography."""

import random
from pathlib import Path

import pytest

from articles.text.tokens import fast_tokens, tokens
from articles.text.typography import code_key, name_tokens

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


# The words the linker reads (``typography.name_tokens``) -----------------------


def words(text):
    return [(t.text, text[t.start : t.end]) for t in name_tokens(text, fast_tokens(text))]


def test_name_tokens_are_the_tokens_when_nothing_is_special():
    text = "Тулпар Моторс собирает Chevrolet Onix, Cobalt."
    stream = fast_tokens(text)
    assert name_tokens(text, stream) is stream


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Тулпар-Моторс", [("Тулпар", "Тулпар"), ("Моторс", "Моторс")]),
        ("Тулпар\u2011Моторс", [("Тулпар", "Тулпар"), ("Моторс", "Моторс")]),
        ("Тулпар\u200bМоторс", [("Тулпар", "Тулпар"), ("Моторс", "Моторс")]),
        ("Чеку-\nшова", [("Чекушова", "Чеку-\nшова")]),
        ("Чеку\u00ad\nшова", [("Чекушова", "Чеку\u00ad\nшова")]),
        ("Чеку\u00adшова", [("Чекушова", "Чеку\u00adшова")]),
        ("Тулпар-\nМоторс", [("Тулпар", "Тулпар"), ("Моторс", "Моторс")]),
        ("Чекушо\u0301в", [("Чекушов", "Чекушо\u0301в")]),
        ("5-\nго", [("5", "5"), ("го", "го")]),
        ("a - b -- c", [("a", "a"), ("-", "-"), ("b", "b"), ("--", "--"), ("c", "c")]),
    ],
)
def test_name_tokens_read_through_typography(text, expected):
    assert words(text) == expected


# Codes of letters and digits -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("седан K70", [("седан", "седан"), ("K70", "K70")]),
        ("седан К70", [("седан", "седан"), ("К70", "К70")]),  # a Cyrillic «К»
        ("Орзу-К70", [("Орзу", "Орзу"), ("К70", "К70")]),
        ("4х4", [("4х4", "4х4")]),
        ("в 2025 г.", [("в", "в"), ("2025", "2025"), ("г", "г"), (".", ".")]),
    ],
)
def test_letters_and_digits_written_together_are_one_word(text, expected):
    assert words(text) == expected


def test_a_code_reads_alike_in_either_alphabet():
    assert code_key("К70") == code_key("K70") == "k70"
    assert code_key("Т40") == code_key("T40") == "t40"
    assert code_key("Ж70") != code_key("K70")
    assert code_key("Москва") == code_key("2025") == ""


# Halves a hyphen kept apart ----------------------------------------------------


def joined_words(text, joins):
    return [
        (t.text, text[t.start : t.end]) for t in name_tokens(text, fast_tokens(text), joins=joins)
    ]


def test_halves_join_where_the_catalog_has_the_word():
    names = {"Сарыбеля", "Sarybel"}.__contains__
    assert joined_words("у Сары-беля", names) == [("у", "у"), ("Сарыбеля", "Сары-беля")]
    assert joined_words("Sary-bel и", names) == [("Sarybel", "Sary-bel"), ("и", "и")]


@pytest.mark.parametrize(
    "text",
    [
        "северо-запад",  # the joined word is no name's
        "Ак-Суу",  # a capital after the hyphen: a compound name
        "Сары - беля",  # a dash between words
    ],
)
def test_halves_stay_apart_otherwise(text):
    joined = joined_words(text, {"АкСуу", "Сарыбеля"}.__contains__)
    assert joined == words(text)
