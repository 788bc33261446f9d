"""Names in articles that the catalog does not know yet, offered to editors.

People, organisations and places come from natasha's Russian news NER, which
also gives their initial form («Романа Чекушова» → «Роман Чекушов»). Vehicle
models, which NER does not know, are runs of capitalised Latin words
(«Lada Granta»). Every candidate the catalog already knows, by the linker's
lemma matching or by name, is dropped, and so is every name an editor has
already accepted or rejected.

natasha needs about 300 MB per process, so it is imported only inside the
functions that run it (the ``suggest_entities`` command); web workers import
this module for the admin without loading it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import Company, Country, Entity, Official, VehicleModel

from .linking import LINK_KINDS, Matcher, Mention, add_link, build_matcher, link_entities
from .models import Article, EntitySuggestion, SuggestionOccurrence
from .text.morphology import analyse, is_common_word

if TYPE_CHECKING:
    from django.db.models import QuerySet

Kind = EntitySuggestion.Kind

NER_KINDS = {"PER": Kind.PERSON, "ORG": Kind.ORGANISATION, "LOC": Kind.PLACE}
MAX_NAME_LENGTH = EntitySuggestion._meta.get_field("name").max_length

# A run of capitalised Latin words: «Chevrolet Onix», «Lada 4x4», «Haval H6».
# Later words may also be model codes that start with a digit («408», «4x4»).
_LATIN_FIRST = r"[A-Z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*"
_LATIN_NEXT = r"(?:[A-Z][A-Za-z0-9]*|[0-9][A-Za-z0-9]*)(?:[-'][A-Za-z0-9]+)*"
LATIN_RUN_RE = re.compile(rf"(?<![\w-]){_LATIN_FIRST}(?:[ \u00a0]{_LATIN_NEXT})*(?![\w-])")
YEAR_RE = re.compile(r"\d{4}")
# A lone Latin word is a model only right after one of these («кроссоверы Tracker»);
# elsewhere it is as likely a brand, a company or a news agency («Reuters»).
VEHICLE_WORDS = frozenset(
    [
        "автобус",
        "автомобиль",
        "внедорожник",
        "грузовик",
        "кабриолет",
        "кроссовер",
        "купе",
        "лимузин",
        "машина",
        "микроавтобус",
        "минивэн",
        "модель",
        "пикап",
        "седан",
        "самосвал",
        "спорткар",
        "тягач",
        "универсал",
        "фургон",
        "хэтчбек",
        "хетчбек",
        "хэтчбэк",
        "электрокар",
        "электромобиль",
    ]
)
# A Latin run ending in one of these is a company, not a model: «General Motors».
CORPORATE_WORDS = frozenset(
    [
        "ag",
        "auto",
        "automotive",
        "bank",
        "co",
        "company",
        "corp",
        "corporation",
        "gmbh",
        "group",
        "holding",
        "holdings",
        "inc",
        "industries",
        "llc",
        "ltd",
        "motor",
        "motors",
        "plc",
    ]
)
QUOTES = "«»\"“”„'"
BRAND_KINDS = (Company.Kind.BRAND, Company.Kind.MANUFACTURER)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A name the catalog lacks, what it seems to be, and the sentence it stands in."""

    name: str
    kind: str  # an EntitySuggestion.Kind value
    sentence: str


@dataclass(frozen=True)
class KnownNames:
    """What the catalog and the editors already know, compiled once per scan."""

    matcher: Matcher
    names: frozenset[str]  # folded names and aliases of catalog entities
    brands: frozenset[str]  # folded names and aliases of brands and manufacturers
    decided: frozenset[str]  # folded names of accepted and rejected suggestions

    def knows(self, name: str) -> bool:
        folded = fold(name)
        return folded in self.names or folded in self.decided or _covered(self.matcher, name)


def fold(name: str) -> str:
    """The form names are compared in: no quotes, lower case, «ё» as «е», single spaces."""
    for quote in QUOTES:
        name = name.replace(quote, " ")
    return " ".join(name.lower().replace("ё", "е").split())


def build_known_names() -> KnownNames:
    names: set[str] = set()
    brands: set[str] = set()
    for model in (Country, VehicleModel, Official):
        for entity in model.objects.only("name", "aliases"):
            names |= {fold(name) for name in entity.names}
    for company in Company.objects.only("name", "aliases", "kind"):
        folded = {fold(name) for name in company.names}
        names |= folded
        if company.kind in BRAND_KINDS:
            brands |= folded
    decided = {
        fold(name)
        for name in EntitySuggestion.objects.exclude(status=EntitySuggestion.Status.NEW)
        .values_list("name", flat=True)
        .iterator()
    }
    return KnownNames(
        matcher=build_matcher(),
        names=frozenset(names),
        brands=frozenset(brands),
        decided=frozenset(decided),
    )


# --- Finding candidates -------------------------------------------------------


@dataclass(frozen=True)
class _Pipeline:
    segmenter: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    morph_vocab: Any


@cache
def _pipeline() -> _Pipeline:
    # Imported here, not at module level: loading natasha's models costs ~300 MB
    # and ~2 s, which only the suggest_entities command should pay, once.
    # natasha multiplies small matrices, one sentence at a time: OpenBLAS threads
    # only contend for the cores and made a scan ten times slower on two cores.
    # (Read when numpy loads, so this holds unless numpy was imported before.)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from natasha import (
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    # natasha's pymorphy2 announces its dictionaries at INFO on every load.
    logging.getLogger("pymorphy2").setLevel(logging.WARNING)
    embedding = NewsEmbedding()
    return _Pipeline(
        segmenter=Segmenter(),
        morph_tagger=NewsMorphTagger(embedding),
        # Organisation names are put in their initial form along the syntax tree,
        # so only the head is inflected: without it «Министерства экономики»
        # would become «Министерство экономика».
        syntax_parser=NewsSyntaxParser(embedding),
        ner_tagger=NewsNERTagger(embedding),
        morph_vocab=MorphVocab(),
    )


@dataclass(frozen=True)
class _Found:
    name: str
    kind: str
    start: int  # in the text
    stop: int
    sentence: str


def find_candidates(text: str, *, known: KnownNames | None = None) -> list[Candidate]:
    """Names in ``text`` that the catalog lacks, in order, one per name and sentence.

    Paragraphs are separated by blank lines; a sentence never runs across one
    (a subheading has no full stop). ``known`` defaults to the current catalog.
    """
    known = build_known_names() if known is None else known
    paragraphs = [m.span() for m in PARAGRAPH_RE.finditer(text)]
    if not paragraphs:
        return []
    doc = _analyse(text, paragraphs)
    sentences = [(s.start, s.stop, s.text) for s in doc.sents]

    def found(name: str, kind: str, start: int, stop: int) -> _Found:
        sentence = next((t for s, e, t in sentences if s <= start < e), text[start:stop])
        return _Found(name, kind, start, stop, sentence)

    items: list[_Found] = []
    for span in doc.spans:
        if "\n" in span.text:
            continue  # NER ran across a paragraph break: no single name
        span.normalize(_pipeline().morph_vocab)
        if name := _clean_name(span.normal or span.text, text, span.stop):
            items.append(found(name, NER_KINDS[span.type], span.start, span.stop))
    ner_spans = [(item.start, item.stop) for item in items]
    for match in LATIN_RUN_RE.finditer(text):
        if latin := _latin_candidate(match, text, ner_spans, known):
            items.append(found(*latin))

    mentions = [
        Mention(m.entity, start + m.start, start + m.end, m.text)
        for start, stop in paragraphs
        for m in known.matcher.find(text[start:stop])
    ]
    items = [
        item
        for item in sorted(items, key=lambda item: item.start)
        if not _span_known(text, item, mentions) and not known.knows(item.name)
    ]
    seen: set[tuple[str, str, str]] = set()
    result = []
    for item in _merge_surnames(items):
        key = (fold(item.name), item.kind, item.sentence)
        if key not in seen:
            seen.add(key)
            result.append(Candidate(item.name, item.kind, item.sentence))
    return result


PARAGRAPH_RE = re.compile(r"\S(?:(?!\n\s*\n).)*(?<=\S)", re.DOTALL)


def _analyse(text: str, paragraphs: list[tuple[int, int]]) -> Any:
    """natasha's analysis of the whole text, in one pass (a pass per paragraph costs
    several times more), with the sentences cut at paragraph breaks."""
    from natasha import Doc
    from natasha.doc import DocSent

    pipeline = _pipeline()
    doc = Doc(text)
    doc.segment(pipeline.segmenter)
    doc.sents = [
        DocSent(start + s.start, start + s.stop, s.text)
        for start, stop in paragraphs
        for s in pipeline.segmenter.sentenize(text[start:stop])
    ]
    doc.envelop_sent_tokens()
    doc.tag_morph(pipeline.morph_tagger)
    doc.parse_syntax(pipeline.syntax_parser)
    doc.tag_ner(pipeline.ner_tagger)
    return doc


PAIRS = (("«", "»"), ("„", "“"), ("“", "”"), ("(", ")"))


def _clean_name(name: str, text: str, stop: int) -> str:
    """Tidy a name NER found, or return "" when it is no name at all."""
    name = " ".join(name.split())
    for opening, closing in PAIRS:
        # NER may leave a closing quote outside: «ООО «Рога и копыта» + ».
        if name.count(opening) > name.count(closing) and text[stop : stop + 1] == closing:
            name += closing
    for opening, closing in PAIRS:
        if name.count(opening) != name.count(closing):
            name = name.replace(opening, "").replace(closing, "")
    if name.count('"') % 2:
        name = name.replace('"', "")
    name = " ".join(name.split()).strip(" ,.;:!?—–-")
    for opening, closing in (*PAIRS[:3], ('"', '"')):
        inner = name[1:-1]
        if name.startswith(opening) and name.endswith(closing) and not set(QUOTES) & set(inner):
            name = inner.strip()  # «"Тулпар Моторс"» is stored as «Тулпар Моторс»
    if len(name) < 2 or len(name) > MAX_NAME_LENGTH or not any(c.isupper() for c in name):
        return ""
    if " " not in name and is_common_word(name):
        return ""  # a lone dictionary word NER took for a name: «Правительство»
    return name


def _latin_candidate(
    match: re.Match[str], text: str, ner_spans: list[tuple[int, int]], known: KnownNames
) -> tuple[str, str, int, int] | None:
    words = match.group().split()
    while words and YEAR_RE.fullmatch(words[-1]):
        words.pop()  # «Onix 2024»: the year is not part of the name
    if not words:
        return None
    start, stop = match.start(), match.start() + len(" ".join(words))
    if any(s <= start and stop <= e for s, e in ner_spans):
        return None  # NER already has it, as a company («Isuzu») or a person
    name = " ".join(words)
    if words[-1].lower() in CORPORATE_WORDS and len(words) > 1:
        return name, Kind.ORGANISATION, start, stop
    if len(words) == 1:
        if words[0].isupper() or not _after_vehicle_word(text, start):
            # An acronym («SUV») or a lone word with nothing saying it is a model.
            return None
        return name, Kind.VEHICLE_MODEL, start, stop
    if all(word.isalpha() and word.isupper() for word in words) and (
        fold(words[0]) not in known.brands
    ):
        return None  # «CASA CIS»: acronyms, unless the first is a brand («MAN TGS»)
    return name, Kind.VEHICLE_MODEL, start, stop


def _after_vehicle_word(text: str, start: int) -> bool:
    before = re.findall(r"\w+", text[text.rfind("\n", 0, start) + 1 : start])
    return bool(before) and bool(analyse(before[-1])[0] & VEHICLE_WORDS)


def _span_known(text: str, item: _Found, mentions: list[Mention]) -> bool:
    """One catalog mention the linker found covers every word of the name in the text.

    One mention, not several together: «Минпромторг Киргизии» is a ministry of
    its own even though «Минпромторг» and «Киргизии» are both in the catalog.
    """
    letters = [item.start + m.start() for m in re.finditer(r"\w", text[item.start : item.stop])]
    if not letters:
        return False
    first, last = letters[0], letters[-1] + 1
    return any(m.start <= first and last <= m.end for m in mentions)


def _covered(matcher: Matcher, name: str) -> bool:
    """The linker finds one catalog entity spanning the whole ``name``."""
    words = [m.start() for m in re.finditer(r"\w", name)]
    if not words:
        return False
    first, last = words[0], words[-1] + 1
    return any(m.start <= first and last <= m.end for m in matcher.find(name))


def _merge_surnames(found: list[_Found]) -> list[_Found]:
    """A lone surname beside the full name is the same person: «Касымалиев заявил»."""
    full: dict[str, str] = {}
    for item in found:
        words = item.name.split()
        if item.kind == Kind.PERSON and len(words) > 1:
            full.setdefault(fold(words[-1]), item.name)
    merged = []
    for item in found:
        if item.kind == Kind.PERSON and " " not in item.name and fold(item.name) in full:
            item = _Found(full[fold(item.name)], item.kind, item.start, item.stop, item.sentence)
        merged.append(item)
    return merged


# --- Scanning articles --------------------------------------------------------


@dataclass
class ScanReport:
    articles: int = 0
    suggestions: int = 0  # distinct suggestions found in the scanned articles
    created: int = 0
    removed: int = 0  # new suggestions no article supports any more
    dry_run: bool = False
    # (name, kind, mentions) of every suggestion found, for ``-v 2``.
    found: list[tuple[str, str, int]] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.articles} articles scanned, {self.suggestions} suggestions ({self.created} new)"
        )
        if self.removed:
            text += f", {self.removed} stale removed"
        if self.dry_run:
            text += " (dry run: nothing written)"
        return text


def articles_to_scan(*, since: dt.date | None = None) -> QuerySet[Article]:
    """Every article, drafts included (editors add entities before publishing);
    with ``since``, those dated that day or later in the site's time zone."""
    articles = Article.objects.only("id", "title", "lead", "body").order_by("pk")
    if since is not None:
        start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
        articles = articles.filter(published_at__gte=start)
    return articles


def article_text(article: Article) -> str:
    """Headline, lead and body blocks as paragraphs (subheadings without «## »)."""
    parts = [article.title, article.lead, *(block.text for block in article.blocks())]
    return "\n\n".join(part for part in parts if part.strip())


def scan_articles(*, since: dt.date | None = None, dry_run: bool = False) -> ScanReport:
    """Find unknown names in articles and store them as suggestions.

    Re-running is idempotent: a scanned article's occurrences of new suggestions
    are replaced, and each touched suggestion's ``mentions`` is recounted from
    its occurrences. NER runs first; the writes then happen in one transaction,
    so the database is not held while natasha works.
    """
    known = build_known_names()
    found: dict[int, list[Candidate]] = {}
    for article in articles_to_scan(since=since).iterator(chunk_size=200):
        candidates = find_candidates(article_text(article), known=known)
        found[article.pk] = one_per_sentence(candidates)
    report = ScanReport(articles=len(found), dry_run=dry_run)
    with transaction.atomic():
        _store(found=found, report=report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def one_per_sentence(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Drop a name's occurrence whose sentence is part of another of its sentences.

    A seed headline is cut from the lead's first sentence («Россия и Киргизия
    обсуждают…» inside «Неожиданный поворот… — Россия и Киргизия обсуждают…»):
    it is the same mention, not a second one.
    """
    candidates = list(candidates)
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: -len(c.sentence)):
        # A headline capitalises its first word where the sentence may not.
        core = candidate.sentence.rstrip("…. ").lower()
        if not any(
            (fold(k.name), k.kind) == (fold(candidate.name), candidate.kind)
            and core in k.sentence.lower()
            for k in kept
        ):
            kept.append(candidate)
    return sorted(kept, key=candidates.index)


def _store(*, found: dict[int, list[Candidate]], report: ScanReport) -> None:
    status = EntitySuggestion.Status
    article_ids = _still_there(found.keys())
    # Read under the transaction: an editor may have decided on a name during NER.
    existing: dict[tuple[str, str], EntitySuggestion] = {}
    decided: set[str] = set()
    for suggestion in EntitySuggestion.objects.only("id", "name", "kind", "status").iterator():
        if suggestion.status == status.NEW:
            existing[(fold(suggestion.name), suggestion.kind)] = suggestion
        else:
            decided.add(fold(suggestion.name))

    # Accepted and rejected suggestions keep their occurrences as a record.
    touched: set[int] = set()
    for chunk in _chunks(sorted(article_ids), 500):
        old = SuggestionOccurrence.objects.filter(
            article_id__in=chunk, suggestion__status=status.NEW
        )
        touched |= set(old.values_list("suggestion_id", flat=True))
        old.delete()

    occurrences = []
    seen: set[int] = set()
    for article_id in sorted(article_ids):
        for candidate in found[article_id]:
            if fold(candidate.name) in decided:
                continue
            key = (fold(candidate.name), candidate.kind)
            if (suggestion := existing.get(key)) is None:
                suggestion = EntitySuggestion.objects.create(
                    name=candidate.name, kind=candidate.kind
                )
                existing[key] = suggestion
                report.created += 1
            seen.add(suggestion.pk)
            occurrences.append(
                SuggestionOccurrence(
                    suggestion=suggestion, article_id=article_id, sentence=candidate.sentence
                )
            )
    SuggestionOccurrence.objects.bulk_create(occurrences, batch_size=500)
    report.suggestions = len(seen)

    count = (
        SuggestionOccurrence.objects.filter(suggestion=OuterRef("pk"))
        .order_by()
        .values("suggestion")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for chunk in _chunks(sorted(touched | seen), 500):
        EntitySuggestion.objects.filter(pk__in=chunk).update(mentions=Coalesce(Subquery(count), 0))
        # A new suggestion no article supports any more (the text changed, or the
        # catalog learnt the name) is noise: drop it.
        stale = EntitySuggestion.objects.filter(pk__in=chunk, status=status.NEW, mentions=0)
        report.removed += stale.delete()[1].get(EntitySuggestion._meta.label, 0)
    for chunk in _chunks(sorted(seen), 500):
        report.found += EntitySuggestion.objects.filter(pk__in=chunk).values_list(
            "name", "kind", "mentions"
        )
    report.found.sort(key=lambda row: (-row[2], row[0]))


def _still_there(ids: Iterable[int]) -> set[int]:
    """The scanned articles that still exist (one may be deleted while NER runs)."""
    result: set[int] = set()
    for chunk in _chunks(sorted(ids), 500):
        result |= set(Article.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return result


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- Editors' decisions -------------------------------------------------------


@dataclass
class AcceptResult:
    entity: Entity
    linked: list[Article] = field(default_factory=list)  # the linker found the name
    added: list[Article] = field(default_factory=list)  # it did not: linked as an editor


@transaction.atomic
def accept_suggestion(*, suggestion: EntitySuggestion, entity: Entity) -> AcceptResult:
    """Save ``entity`` (built from the suggestion) and link it to the suggestion's articles.

    Each article is re-linked, so the linker finds the new entity by its name
    and records where it stands in the body. Where it cannot (a form the
    linker does not recognise), the link is added as an editor's, since an
    editor confirmed the name there.
    """
    entity.save()
    through = next(through for model, through, _attr in LINK_KINDS if isinstance(entity, model))
    matcher = build_matcher()
    result = AcceptResult(entity=entity)
    for article in Article.objects.filter(suggestions=suggestion).distinct().order_by("pk"):
        link_entities(article=article, matcher=matcher)
        if through.objects.filter(article=article, entity=entity).exists():
            result.linked.append(article)
        else:
            add_link(article=article, entity=entity)
            result.added.append(article)
    suggestion.status = EntitySuggestion.Status.ACCEPTED
    suggestion.entity = entity
    suggestion.save(update_fields=["status", "entity_type", "entity_id", "updated_at"])
    return result


def reject_suggestions(*, suggestions: QuerySet[EntitySuggestion]) -> int:
    """Mark suggestions rejected: their names are never suggested again.

    Accepted ones are left alone (their entity is in the catalog already).
    """
    return suggestions.exclude(status=EntitySuggestion.Status.ACCEPTED).update(
        status=EntitySuggestion.Status.REJECTED, updated_at=timezone.now()
    )
