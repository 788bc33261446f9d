"""What the whole article says about a mention that a name alone cannot settle.

The matcher finds candidates in every text of an article (headline, lead,
body blocks); a name or alias is a mention as it stands. Short forms need
evidence from the article:

- An official's surname alone is the person the article last introduced with
  that surname whom its form fits («Нурбек Осмонов … по словам Осмонова»), or,
  before any, the official if the article introduces no one else it could be
  («Марат Чекушов», «М. Чекушов»); an initial or first name that agrees is the
  official («Р. Чекушов»); a woman's form of a man's surname is someone else,
  and the reverse (``namesakes``).
- The first word of a company's name alone («Тулпар») is the company only in an
  article that names the company in full, written with a capital and not as
  part of another name («Тулпар Трейд») or compound («Караван-сарай»). A
  compound first word («Кен-Булак») must stand in quotes: alone it is mostly
  the place the firm is named after. A Russian word that opens a sentence or a
  heading («Караван идёт на юг») is the company only where the article also
  writes it as a name (in quotes, or with a capital inside a sentence).
- A model named in Cyrillic without its brand («Кобальт», «Трекер») needs a
  capital letter, which a spelling that is also a Russian word («кобальт» the
  metal) must not owe to opening a sentence (in quotes it may), and one of: a
  vehicle word right before it («кроссовер Трекер», «седан «Кобальт»»), its
  brand named in the article (or another model of the brand, in full or in
  Latin), or in the same sentence a model of its brand found so
  («модели Кобальт и Трекер»). Once the article gives the name to a place or a
  firm («ТРЦ «Оникс»», «компания «Оникс»»), only a vehicle word makes it the model.

And any name right after the word for a hotel, a shop, a centre, a horse... in
quotes («гостиница «Россия»», «торговый центр «Алтын»», «конь Тулпар»), or a
first name beside a surname («Батыр Жусупов»), names that thing or person, not
the entity (``context``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from companies.models import Company, Entity, Official, VehicleModel

from ..text.morphology import is_common_word
from ..text.tokens import AnyToken
from .context import (
    ORGANIZATION_WORDS,
    VEHICLE_WORDS,
    after_word,
    in_compound,
    named_thing,
    quoted,
    sentence_span,
    starts_sentence,
)
from .namesakes import (
    Given,
    People,
    Person,
    agrees,
    form_gender,
    given_beside,
    name_gender,
    surname_form_agrees,
)
from .patterns import Pattern, Role

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


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
        self.people: dict[tuple[type, int], People] = {}
        self.places: set[tuple[type, int]] = set()
        taken: dict[int, set[int]] = defaultdict(set)
        for n, found in enumerate(self.candidates):
            for candidate in found:
                if candidate.need == SPELLING and self._names_a_place(candidate):
                    self.places.add((type(candidate.entity), candidate.entity.pk))
                if candidate.need or candidate.names_something_else:
                    continue
                entity = candidate.entity
                self.named.add((type(entity), entity.pk))
                if isinstance(entity, Official):
                    self._introduce(candidate, official=True)
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
                    if (agreement := given_agrees(candidate)) is not None:
                        self._introduce(candidate, official=agreement)

    def _introduce(self, candidate: Candidate, *, official: bool) -> None:
        """Record a person named with an official's surname (see ``namesakes.People``)."""
        entity = candidate.entity
        key = (type(entity), entity.pk)
        people = self.people.get(key) or self.people.setdefault(key, People(entity))
        given, gender = candidate.given, people.gender
        if not official:
            form = self._words(candidate)
            gender = name_gender(given.name) or form_gender(entity.surname, form)
        place = (candidate.text, given.start if given and given.before else candidate.start_char)
        people.add(Person(place, official, gender, given.initial if given else ""))

    def _names_a_place(self, candidate: Candidate) -> bool:
        """A spelling that names a place or a firm: «ТРЦ «Оникс»», «компания «Оникс»»."""
        stream = self.streams[candidate.text]
        return named_thing(stream, candidate.first) or (
            quoted(stream, candidate.first)
            and after_word(stream, candidate.first, ORGANIZATION_WORDS)
        )

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

    def _words(self, candidate: Candidate) -> str:
        """The candidate's words as read (a word hyphenated at a line end joined)."""
        return " ".join(
            t.text for t in self.streams[candidate.text][candidate.first : candidate.end]
        )

    def _surname(self, candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
        entity = candidate.entity
        people = self.people.get((type(entity), entity.pk)) or People(entity)
        agreement = given_agrees(candidate)
        if agreement is None:  # «Чекушов» alone
            form = self._words(candidate)
            return people.bare_surname(form, (candidate.text, candidate.start_char))
        if not official_form_agrees(candidate, stream):
            return False
        if not agreement or candidate.given.name:
            return agreement
        # «Р. Чекушов» is Роман unless the article has a Руслан Чекушов too.
        return people.initial(candidate.given.initial)

    def _first_word(self, candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
        if not self._first_word_fits(candidate, stream):
            return False
        if not self._capital_from_sentence(candidate, stream):
            return True
        # «Караван идёт на юг»: a Russian word opening a sentence or a heading is
        # the company where the article writes it as a name elsewhere («Караван» in quotes).
        return any(
            other.need == Role.FIRST_WORD
            and other.entity is candidate.entity
            and not other.names_something_else
            and self._first_word_fits(other, self.streams[other.text])
            and not self._capital_from_sentence(other, self.streams[other.text])
            for found in self.candidates
            for other in found
        )

    def _first_word_fits(self, candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
        """The company named in full in the article, the short form capitalised and
        not part of a longer name or compound."""
        if (type(candidate.entity), candidate.entity.pk) not in self.named:
            return False
        text, word = self.texts[candidate.text], stream[candidate.first]
        if not word.text[:1].isupper() or in_compound(text, stream, candidate.first, candidate.end):
            return False  # «караван», «Караван-сарай»
        if len(candidate.pattern.words) > 1 and not quoted(stream, candidate.first):
            # A compound («Кен-Булак», «Ак-Суу») is mostly a place a firm is named
            # after: alone it is the firm only in quotes.
            return False
        following = stream[candidate.end] if candidate.end < len(stream) else None
        if following is not None and following.is_word and following.text[:1].isupper():
            return False  # part of another name: «Тулпар Трейд»
        if candidate.first > 0:
            before = stream[candidate.first - 1]
            capitalised = before.is_word and before.text[:1].isupper()
            if capitalised and not starts_sentence(text, stream, candidate.first - 1):
                return False  # «Центральной Азии» is not «Азия Моторс»
        return True

    def _capital_from_sentence(self, candidate: Candidate, stream: Sequence[AnyToken]) -> bool:
        """Whether a short form that is a Russian word owes its capital to opening a
        sentence (in quotes it does not)."""
        word = stream[candidate.first]
        return (
            is_common_word(word.text)
            and not quoted(stream, candidate.first)
            and starts_sentence(self.texts[candidate.text], stream, candidate.first)
        )

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
        if (type(candidate.entity), candidate.entity.pk) in self.places:
            return False  # the mall «Оникс» the article introduced: «в «Ониксе»»
        brand = family(candidate.entity)
        if brand in self.families:
            return True
        start, end = sentence_span(stream, candidate.first, candidate.end)
        return any(
            f == brand and start <= s and e <= end for s, e, f in spans.get(candidate.text, [])
        )
