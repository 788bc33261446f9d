"""What the whole article says about a mention that a name alone cannot settle.

The matcher finds candidates in every text of an article (headline, lead,
body blocks); a name or alias is a mention as it stands. Short forms need
evidence from the article:

- An official's surname alone is the official unless the article gives that
  surname another first name or initial anywhere («Марат Чекушов», «М.
  Чекушов»); an initial or first name that agrees is the official («Р.
  Чекушов»); a woman's form of a man's surname is someone else (``namesakes``).
- The first word of a company's name alone («Тулпар») is the company only in an
  article that names the company in full, written with a capital and not as
  part of another name («Тулпар Трейд»).
- A model named in Cyrillic without its brand («Кобальт», «Трекер») needs a
  capital letter, which a spelling that is also a Russian word («кобальт» the
  metal) must not owe to opening a sentence (in quotes it may), and one of: a
  vehicle word right before it («кроссовер Трекер», «седан «Кобальт»»), its
  brand named in the article (or another model of the brand, in full or in
  Latin), or in the same sentence a model of its brand found so
  («модели Кобальт и Трекер»).

And any name right after the word for a hotel, a shop, a horse... in quotes
(«гостиница «Россия»», «магазин «Тулпар»», «конь Тулпар») names that thing, not
the entity.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from companies.models import Company, Entity, Official, VehicleModel

from ..text.morphology import is_common_word
from ..text.tokens import AnyToken
from .namesakes import Given, agrees, given_beside, surname_form_agrees
from .patterns import SENTENCE_END, Pattern, Role

OPENING_QUOTES = frozenset(["«", "„", "“", '"', "'"])
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

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


@dataclass(eq=False, slots=True)
class Candidate:
    """A name found in one text of the article, before the article's evidence."""

    text: int  # which text: its index in the article's texts
    first: int  # its words: stream[first:end] of that text's name tokens
    end: int
    pattern: Pattern
    start_char: int
    end_char: int
    need: str  # the evidence it needs (``evidence_needed``), "" for none
    names_something_else: bool  # a hotel's, a shop's, a horse's name (``names_something_else``)
    brand: tuple[int, int] | None = None  # the brand's characters inside a model's full name
    fallback: Candidate | None = None  # what else matched here, needing no evidence
    given: Given | None = field(default=None, init=False)

    @property
    def entity(self) -> Entity:
        return self.pattern.entity


SPELLING = "spelling"  # a model named in Cyrillic without its brand


def evidence_needed(pattern: Pattern, stream: Sequence[AnyToken], first: int, end: int) -> str:
    """The evidence a match of ``pattern`` on ``stream[first:end]`` needs: a
    ``Role``, ``SPELLING``, or "" for none."""
    if pattern.role in (Role.SURNAME, Role.FIRST_WORD):
        return pattern.role
    if pattern.brandless_model and any(_CYRILLIC.search(t.text) for t in stream[first:end]):
        return SPELLING
    return ""


def family(entity: Entity) -> tuple[type, int] | None:
    """The brand a model or a brand stands for, so that models of one brand
    support each other («Шевроле Оникс, Кобальт и Трекер»)."""
    if isinstance(entity, VehicleModel):
        return (Company, entity.brand_id)
    if isinstance(entity, Company):
        return (Company, entity.pk)
    return None


def names_something_else(
    stream: Sequence[AnyToken], keys: Sequence[frozenset[str] | None], first: int
) -> bool:
    """Whether the name at ``stream[first]`` is a hotel's, a shop's, a horse's...

    ``keys`` are the words' ``lookup_keys``: a word none of these lists can
    hold is passed over without reading its lemmas.
    """
    i = first - 1
    quoted = i >= 0 and stream[i].text in OPENING_QUOTES
    if quoted:
        i -= 1
    if i < 0 or not (before := keys[i]) or before.isdisjoint(_NAMING_WORDS):
        return False
    # The lemmas themselves: a stem among the keys («парк» of «паркет») is no word.
    lemmas = stream[i].lemmas
    return not lemmas.isdisjoint(NAMED_ANIMALS) or (quoted and not lemmas.isdisjoint(NAMED_THINGS))


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


def official_form_agrees(candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
    official = candidate.entity
    return isinstance(official, Official) and all(
        surname_form_agrees(official.surname, t.text)
        for t in stream[candidate.first : candidate.end]
    )


def attach_given(candidate: Candidate, stream: Sequence[AnyToken], taken: set[int]) -> None:
    """Record the first name or initials beside a surname candidate."""
    candidate.given = given_beside(stream, candidate.first, candidate.end, taken=taken.__contains__)


def given_agrees(candidate: Candidate) -> bool | None:
    """Whether the name beside the surname is the official's (None: none given)."""
    if candidate.given is None:
        return None
    return agrees(candidate.given, candidate.entity)


def common_spelling(stream: Sequence[AnyToken], candidate: Candidate) -> bool:
    """Whether a Cyrillic spelling is also a Russian word («Кобальт», «Трекер»)."""
    return any(is_common_word(t.text) for t in stream[candidate.first : candidate.end])


class ArticleEvidence:
    """What an article's texts say for and against its candidates (see the module)."""

    def __init__(
        self,
        texts: Sequence[str],
        streams: Sequence[Sequence[AnyToken]],
        candidates: Sequence[Sequence[Candidate]],
    ):
        self.texts, self.streams, self.candidates = texts, streams, candidates
        self._read = False
        self._spellings: set[Candidate] | None = None

    def _read_article(self) -> None:
        """What the article names outright, and the first names its surnames get.

        Read only when a candidate needs evidence: most articles have none.
        """
        self._read = True
        self.named: set[tuple[type, int]] = set()
        self.families: set[tuple[type, int] | None] = set()
        self.family_spans: dict[int, list[tuple[int, int, tuple | None]]] = defaultdict(list)
        self.other_givens: dict[tuple[type, int], list[Given]] = defaultdict(list)
        taken: dict[int, set[int]] = defaultdict(set)
        for n, found in enumerate(self.candidates):
            for candidate in found:
                if candidate.need or candidate.names_something_else:
                    continue
                entity = candidate.entity
                self.named.add((type(entity), entity.pk))
                if isinstance(entity, VehicleModel) and candidate.brand:
                    self.named.add((Company, entity.brand_id))
                self.families.add(family(entity))
                spans = self.family_spans[n]
                spans.append((candidate.start_char, candidate.end_char, family(entity)))
                taken[n].update(range(candidate.first, candidate.end))
        for n, found in enumerate(self.candidates):
            for candidate in found:
                if candidate.need == Role.SURNAME:
                    attach_given(candidate, self.streams[n], taken[n])
                    if given_agrees(candidate) is False:
                        key = (type(candidate.entity), candidate.entity.pk)
                        self.other_givens[key].append(candidate.given)

    def accepts(self, candidate: Candidate) -> bool:
        """Whether the article's evidence makes ``candidate`` a mention."""
        if not self._read:
            self._read_article()
        stream = self.streams[candidate.text]
        if candidate.need == Role.SURNAME:
            return self._surname(candidate, stream)
        if candidate.need == Role.FIRST_WORD:
            return self._first_word(candidate, stream)
        if candidate.need == SPELLING:
            return self._spelling(candidate)
        return True

    def _surname(self, candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
        if not official_form_agrees(candidate, stream):
            return False
        others = self.other_givens.get((type(candidate.entity), candidate.entity.pk), [])
        agreement = given_agrees(candidate)
        if agreement is None:
            return not others  # «Чекушов» alone, in an article without «Марат Чекушов»
        if not agreement or candidate.given.name:
            return agreement
        # «Р. Чекушов» is Роман unless the article has a Руслан Чекушов too.
        return not any(other.initial == candidate.given.initial for other in others)

    def _first_word(self, candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
        if (type(candidate.entity), candidate.entity.pk) not in self.named:
            return False
        text, word = self.texts[candidate.text], stream[candidate.first]
        if not word.text[:1].isupper():
            return False
        following = stream[candidate.end] if candidate.end < len(stream) else None
        if following is not None and following.is_word and following.text[:1].isupper():
            return False  # part of another name: «Тулпар Трейд»
        if candidate.first > 0:
            before = stream[candidate.first - 1]
            capitalised = before.is_word and before.text[:1].isupper()
            if capitalised and not starts_sentence(text, stream, candidate.first - 1):
                return False  # «Центральной Азии» is not «Азия Моторс»
        if is_common_word(word.text) and not quoted(stream, candidate.first):
            return not starts_sentence(text, stream, candidate.first)
        return True

    def _spelling(self, candidate: Candidate) -> bool:
        if self._spellings is None:
            self._spellings = self._read_spellings()
        return candidate in self._spellings

    def _read_spellings(self) -> set[Candidate]:
        """The spellings the article supports. One supported in a sentence
        supports the others of its brand there: «модели Кобальт и Трекер»."""
        waiting = [
            c
            for found in self.candidates
            for c in found
            if c.need == SPELLING and self._capitalised(c)
        ]
        accepted: set[Candidate] = set()
        spans = {n: list(found) for n, found in self.family_spans.items()}
        changed = True
        while changed:
            changed = False
            for candidate in waiting:
                if candidate not in accepted and self._supported(candidate, spans):
                    accepted.add(candidate)
                    span = (candidate.start_char, candidate.end_char, family(candidate.entity))
                    spans.setdefault(candidate.text, []).append(span)
                    changed = True
        return accepted

    def _capitalised(self, candidate: Candidate) -> bool:
        """Capitalised, and for a spelling that is also a Russian word («Кобальт»),
        not only because it opens a sentence (in quotes it may)."""
        stream = self.streams[candidate.text]
        words = [t for t in stream[candidate.first : candidate.end] if t.is_word]
        if not all(t.text[:1].isupper() for t in words):
            return False
        if not common_spelling(stream, candidate) or quoted(stream, candidate.first):
            return True
        return not starts_sentence(self.texts[candidate.text], stream, candidate.first)

    def _supported(self, candidate: Candidate, spans: dict[int, list]) -> bool:
        """A vehicle word before it, its brand in the sentence or in the article."""
        stream = self.streams[candidate.text]
        if after_word(stream, candidate.first, VEHICLE_WORDS):
            return True
        if after_word(stream, candidate.first, ORGANIZATION_WORDS):
            return False
        brand = family(candidate.entity)
        if brand in self.families:
            return True
        start, end = sentence_span(stream, candidate.first, candidate.end)
        return any(
            f == brand and start <= s and e <= end for s, e, f in spans.get(candidate.text, [])
        )
