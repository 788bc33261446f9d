"""Scoring per mention: what the linker found against what the annotations say.

A predicted mention is correct when its span overlaps an annotated span of the
same entity not matched yet (one prediction per annotation). Every other
prediction is a false positive: a hit on a hard negative, a wrong entity over an
annotated mention, a second prediction of an already matched mention, or a link
where nothing is annotated. A prediction over an *optional* span of its entity
counts neither way. Unmatched annotations are missed.

Suggestions are scored per text on unique names, compared normalised (case,
«ё»/«е», quotes, whitespace); a name matching an expected suggestion's
accepted forms is correct once, a second form of it is a false positive, and
an *acceptable* name (a city, a region) counts neither way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .adapters import Predicted
from .classes import position_of
from .corpus import Document, GoldMention
from .spans import Span

QUOTES = "«»\"“”„'"
CONTEXT = 30


@dataclass
class Tally:
    gold: int = 0  # annotated mentions
    found: int = 0  # of them, matched by a prediction
    false: int = 0  # false positives attributed here
    negatives: int = 0  # hard negatives
    negatives_hit: int = 0  # of them, linked to something

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        predicted = self.found + self.false
        return self.found / predicted if predicted else None

    @property
    def negatives_kept(self) -> float | None:
        """The share of hard negatives left unlinked."""
        return 1 - self.negatives_hit / self.negatives if self.negatives else None


@dataclass(frozen=True)
class LinkError:
    document: str
    what: str  # missed, negative, wrong entity, duplicate, unannotated
    kind: str  # the class of difficulty ("" for an unannotated link)
    position: str
    surface: str
    entity: str  # annotated entity (missed), linked entity (the others)
    context: str


@dataclass
class LinkingScore:
    overall: Tally = field(default_factory=Tally)
    classes: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    positions: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    errors: list[LinkError] = field(default_factory=list)


@dataclass
class SuggestionScore:
    expected: int = 0
    found: int = 0
    false: int = 0
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (document, what, name)

    @property
    def precision(self) -> float | None:
        return self.found / (self.found + self.false) if self.found + self.false else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None


def score_linking(
    document: Document, predicted: list[Predicted], score: LinkingScore | None = None
) -> LinkingScore:
    """Add one document's figures to ``score`` (a new one by default)."""
    score = score or LinkingScore()
    predicted = sorted(
        (p for p in predicted if p.span.piece >= document.scored_from), key=lambda p: p.span
    )
    for gold in document.gold:
        _count_gold(score, gold)
    for negative in document.negatives:
        score.overall.negatives += 1
        score.classes[negative.kind].negatives += 1
    matched: set[int] = set()
    hit: set[int] = set()
    for prediction in predicted:
        _judge(document, prediction, matched, hit, score)
    for number, gold in enumerate(document.gold):
        if number not in matched:
            error = _error(document, "missed", gold.kind, gold.span, gold.entity)
            score.errors.append(error)
    return score


def _count_gold(score: LinkingScore, gold: GoldMention) -> None:
    for tally in (score.overall, score.classes[gold.kind], score.positions[_where(gold)]):
        tally.gold += 1


def _where(item: GoldMention | Predicted) -> str:
    return position_of(item.span.piece)


def _judge(
    document: Document, prediction: Predicted, matched: set[int], hit: set[int], score: LinkingScore
) -> None:
    """Match one prediction to an annotation, or count it false and say why."""
    same = [
        (number, gold)
        for number, gold in enumerate(document.gold)
        if gold.entity == prediction.entity and gold.span.overlaps(prediction.span)
    ]
    free = [(number, gold) for number, gold in same if number not in matched]
    if free:
        number, gold = free[0]
        matched.add(number)
        for tally in (score.overall, score.classes[gold.kind], score.positions[_where(gold)]):
            tally.found += 1
        return
    if any(
        o.entity == prediction.entity and o.span.overlaps(prediction.span)
        for o in document.optional
    ):
        return
    what, kind, negative = _why_false(document, prediction, same)
    if negative is not None and negative not in hit:
        hit.add(negative)
        score.overall.negatives_hit += 1
        score.classes[kind].negatives_hit += 1
    score.overall.false += 1
    score.positions[_where(prediction)].false += 1
    if kind:
        score.classes[kind].false += 1
    score.errors.append(_error(document, what, kind, prediction.span, prediction.entity))


def _why_false(
    document: Document, prediction: Predicted, same: list[tuple[int, GoldMention]]
) -> tuple[str, str, int | None]:
    """What a false prediction hit: (what, its class, the negative's number if one)."""
    for number, negative in enumerate(document.negatives):
        if negative.span.overlaps(prediction.span):
            return "negative", negative.kind, number
    if same:
        return "duplicate", same[0][1].kind, None
    for gold in document.gold:
        if gold.span.overlaps(prediction.span):
            return "wrong entity", gold.kind, None
    return "unannotated", "", None


def _error(document: Document, what: str, kind: str, span: Span, entity: str) -> LinkError:
    text = document.pieces[span.piece]
    before = text[max(0, span.start - CONTEXT) : span.start]
    after = text[span.end : span.end + CONTEXT]
    return LinkError(
        document=document.key,
        what=what,
        kind=kind,
        position=position_of(span.piece),
        surface=text[span.start : span.end],
        entity=entity,
        context=" ".join(f"{before}[{text[span.start : span.end]}]{after}".split()),
    )


def normalise(name: str) -> str:
    """Names as suggestions are compared: lower case, «ё» as «е», no quotes, single spaces."""
    for quote in QUOTES:
        name = name.replace(quote, " ")
    return " ".join(name.lower().replace("ё", "е").split())


def score_suggestions(
    document: Document, suggested: list[str], score: SuggestionScore | None = None
) -> SuggestionScore:
    """Add one document's suggestion figures to ``score`` (a new one by default)."""
    score = score or SuggestionScore()
    forms = {
        normalise(name): number
        for number, item in enumerate(document.expected)
        for name in item.names
    }
    acceptable = {normalise(name) for name in document.acceptable}
    score.expected += len(document.expected)
    matched: dict[int, str] = {}
    unique = {normalise(name): name for name in reversed(suggested)}
    for folded in dict.fromkeys(normalise(name) for name in suggested):
        name = unique[folded]
        number = forms.get(folded)
        if number is not None and number not in matched:
            matched[number] = name
            score.found += 1
        elif number is not None:
            score.false += 1
            score.errors.append((document.key, f"second form of «{matched[number]}»", name))
        elif folded not in acceptable:
            score.false += 1
            score.errors.append((document.key, "unexpected", name))
    for number, item in enumerate(document.expected):
        if number not in matched:
            score.errors.append((document.key, "missed", item.names[0]))
    return score
