"""What stands around a name in the text, which says what the name is.

The word before it («кроссовер Трекер», «компания «Оникс»», «гостиница
«Россия»», «конь Тулпар»), quotes, the start of a sentence (where a capital
letter says nothing), the sentence it is in, a hyphen joining it to a longer
compound («Караван-сарай»). Read by ``evidence``, on the words
``articles.text.typography.name_tokens`` gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..text.morphology import analyse, has_grammeme
from ..text.tokens import AnyToken
from ..text.typography import HYPHENS
from .patterns import SENTENCE_END, fold

_CAPITALISED_WORD = re.compile(r"[А-ЯЁ][а-яё]+")
# A Russian surname's shape in any case: «-ов», «-ева», «-иным», «-ский», «-цкой»...
_SURNAME_SHAPE = re.compile(
    r"(?:[оеё]в|[иы]н)(?:а|у|ым|е|ой|ою)?$|(?:ск|цк)(?:ий|ая|ого|ой|ому|им|ую)$"
)

OPENING_QUOTES = frozenset(["«", "„", "“", '"', "'"])

# Words after which a vehicle model's name in Cyrillic is the model (lemmas).
VEHICLE_WORDS = frozenset([
    "автомобиль", "авто", "автомашина", "машина", "модель", "седан", "хэтчбек", "хетчбек",
    "хэтчбэк", "лифтбек", "универсал", "кроссовер", "внедорожник", "паркетник", "пикап",
    "минивэн", "фургон", "грузовик", "автобус", "микроавтобус", "тягач", "самосвал",
    "электромобиль", "электрокар", "иномарка", "малолитражка", "спорткар", "купе",
])  # fmt: skip
# Things named in quotes after such a word are that thing: «гостиница «Россия»».
NAMED_THINGS = frozenset([
    "гостиница", "отель", "хостел", "мотель", "кинотеатр", "театр", "магазин", "супермаркет",
    "гипермаркет", "бутик", "кафе", "кофейня", "ресторан", "бар", "столовая", "клуб", "стадион",
    "арена", "спорткомплекс", "санаторий", "пансионат", "курорт", "рынок", "базар", "тц", "трц",
    "центр",  # «торговый центр «Алтын»», «торгово-развлекательный центр», «бизнес-центр»
    "остановка", "станция", "улица", "проспект", "бульвар", "переулок", "площадь", "сквер",
    "парк", "микрорайон", "школа", "лицей", "гимназия", "детсад", "команда", "ансамбль",
    "фестиваль", "турнир", "фильм", "сериал", "книга", "песня", "альбом", "журнал", "газета",
    "теплоход", "корабль", "яхта", "поезд",
])  # fmt: skip
# ... and without quotes after these: «конь Тулпар», «по кличке Тулпар».
NAMED_ANIMALS = frozenset([
    "конь", "лошадь", "скакун", "жеребец", "кобыла", "кличка", "прозвище",
])  # fmt: skip
_NAMING_WORDS = NAMED_THINGS | NAMED_ANIMALS
# A model's spelling after these names a firm: «компания «Оникс»», «ТОО Спарк».
ORGANIZATION_WORDS = frozenset([
    "компания", "фирма", "предприятие", "завод", "фабрика", "холдинг", "корпорация", "концерн",
    "группа", "банк", "фонд", "агентство", "ассоциация", "кооператив", "ооо", "оао", "зао", "ао",
    "пао", "осоо", "тоо", "ип",
])  # fmt: skip


def names_something_else(
    stream: Sequence[AnyToken],
    keys: Sequence[frozenset[str] | None],
    first: int,
    end: int,
    *,
    may_be_first_name: bool = True,
) -> bool:
    """Whether the name ``stream[first:end]`` is a hotel's, a shop's, a horse's
    (``named_thing``), or, a single word, a person's first name («Батыр
    Жусупов»; ``may_be_first_name`` is False for a surname).

    ``keys`` are the words' ``lookup_keys``: a word none of these lists can
    hold is passed over without reading its lemmas.
    """
    if may_be_first_name and end - first == 1 and first_name_of_someone(stream, first):
        return True
    i = _word_before(stream, first)
    if i < 0 or not (before := keys[i]) or before.isdisjoint(_NAMING_WORDS):
        return False
    return named_thing(stream, first)


def _word_before(stream: Sequence[AnyToken], first: int) -> int:
    """The place of the word before the name at ``stream[first]``, over an opening quote."""
    return first - 2 if quoted(stream, first) else first - 1


def named_thing(stream: Sequence[AnyToken], first: int) -> bool:
    """Whether the name at ``stream[first]`` follows the word for a hotel, a shop...
    in quotes, or for a horse: «гостиница «Россия»», «конь Тулпар»."""
    i = _word_before(stream, first)
    if i < 0 or not stream[i].is_word:
        return False
    # The lemmas themselves: a stem among the keys («парк» of «паркет») is no word.
    lemmas = stream[i].lemmas
    if not lemmas.isdisjoint(NAMED_ANIMALS):
        return True
    return quoted(stream, first) and not lemmas.isdisjoint(NAMED_THINGS)


def first_name_of_someone(stream: Sequence[AnyToken], i: int) -> bool:
    """Whether ``stream[i]`` can be a first name and a surname stands beside it:
    «Батыр Жусупов», «Жусупов Батыр», «Батыр Асанович» are a person, not the bus «Батыр»."""
    word = stream[i].text
    if not (word[:1].isupper() and has_grammeme(word, "Name")):
        return False
    following = stream[i + 1].text if i + 1 < len(stream) else ""
    before = stream[i - 1].text if i > 0 else ""
    return (
        looks_like_surname(following)
        or looks_like_surname(before)
        or (following[:1].isupper() and has_grammeme(following, "Patr"))
    )


def looks_like_surname(word: str) -> bool:
    """A capitalised word the dictionary reads as a surname, or an unknown one in
    -ов/-ев/-ин/-ский in a case («Жусупов», «Сатыбалдиеву»)."""
    if not _CAPITALISED_WORD.fullmatch(word):
        return False
    if has_grammeme(word, "Surn"):
        return True
    return not analyse(word)[1] and bool(_SURNAME_SHAPE.search(fold(word)))


def starts_sentence(text: str, stream: Sequence[AnyToken], i: int) -> bool:
    """Whether ``stream[i]`` opens a sentence, a line or the text, so that its
    capital letter says nothing of it being a name."""
    j = i - 1
    while j >= 0 and not stream[j].is_word and stream[j].text not in SENTENCE_END:
        if "\n" in text[stream[j].end : stream[j + 1].start]:
            return True
        j -= 1  # quotes, brackets, dashes
    if j < 0 or stream[j].text in SENTENCE_END:
        return True
    return "\n" in text[stream[j].end : stream[j + 1].start]


def in_compound(text: str, stream: Sequence[AnyToken], first: int, end: int) -> bool:
    """Whether a hyphen joins the words ``stream[first:end]`` to a word before or
    after them: a part of a longer compound («Караван-сарай»)."""
    start, stop = stream[first].start, stream[end - 1].end
    before = first > 0 and stream[first - 1].end == start - 1 and text[start - 1] in HYPHENS
    after = end < len(stream) and stream[end].start == stop + 1 and text[stop] in HYPHENS
    return before or after


def quoted(stream: Sequence[AnyToken], i: int) -> bool:
    return i > 0 and stream[i - 1].text in OPENING_QUOTES


def after_word(stream: Sequence[AnyToken], i: int, lemmas: frozenset[str]) -> bool:
    """Whether one of ``lemmas`` stands right before ``stream[i]`` (or its opening quote)."""
    j = i - 2 if quoted(stream, i) else i - 1
    return j >= 0 and stream[j].is_word and not stream[j].lemmas.isdisjoint(lemmas)


def sentence_span(stream: Sequence[AnyToken], first: int, end: int) -> tuple[int, int]:
    """The characters of the sentence holding ``stream[first:end]``."""
    i = first
    while i > 0 and stream[i - 1].text not in SENTENCE_END:
        i -= 1
    j = end
    while j < len(stream) and stream[j].text not in SENTENCE_END:
        j += 1
    return stream[i].start if i < len(stream) else 0, stream[j - 1].end if j else 0
