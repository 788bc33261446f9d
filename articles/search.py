"""Article and entity search, by Russian lemma, on PostgreSQL and on SQLite.

Every word of the query must occur in an article, in any form: «заводы
Киргизии» finds «завод в Киргизии». Headline matches rank above lead matches,
which rank above body matches.

Both databases rank the newest ``MAX_CANDIDATES`` matching articles, so a
common word costs no more than a rare one: at 100k articles «завод» occurs in
most of them, and ranking every match would take seconds. The page says when
there were more matches than that.

PostgreSQL matches and ranks with full-text search (``russian`` configuration)
over ``articles_article.search_vector``, a weighted tsvector the database
computes on every write (migration 0003) and a GIN index serves. The model does
not declare that column, so it is reached through ``SearchVectorColumn``. The newest
matches are looked for among the newest ``SEARCH_WINDOWS`` articles first: the
planner combines the GIN index with the date index there, and the heap is read
only for matches inside the window. A rarer query goes on to the next, older
window (each starts where the last ended), and finally searches the rest through
the GIN index alone.

SQLite has no such index. Each query word is expanded to the inflected forms of
its lemmas for a ``LIKE`` prefilter over the newest matching articles, and
Python ranks those by lemma with the same weights ts_rank uses.

Headlines and snippets are highlighted in Python on both databases, from the same
lemmas, so results look alike whichever database answered. Article text is
escaped; only our own ``<mark>`` tags are markup.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import Expression
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from companies.models import Company, Country, Entity, Official, VehicleModel
from portal.cache import content_version_or_none
from portal.routers import read_connection

from .linking import CASE_ENDINGS, LINK_KINDS, Matcher
from .models import Article
from .text.morphology import analyse, analyzer

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
# Only the newest matches are ranked: this bounds the work per query.
MAX_CANDIDATES = 300
# PostgreSQL: the newest N published articles to look in first, then everything.
SEARCH_WINDOWS = (1_500, 6_000, 24_000)
WINDOW_STARTS_TTL = 300
# The prefilter uses the most selective query words; Python still checks them all.
MAX_SQL_TERMS = 8
MAX_ENTITIES = 20
MATCHER_WORDS = 20_000  # words remembered per query by term_matcher
SNIPPET_WORDS = 30
SNIPPET_LEAD_IN = 8  # words kept before the first match

# ts_rank's default weights for A (headline), B (lead) and C (body), so that both
# databases order results alike.
FIELD_WEIGHTS = (("title", 1.0), ("lead", 0.4), ("body", 0.2))
# What the page needs; the rest (body mentions, hashes) can be large.
RESULT_FIELDS = ("title", "slug", "lead", "body", "published_at")

WORD_RE = re.compile(r"\w+")
CYRILLIC_RE = re.compile(r"[а-яё]")
# Parts of speech PostgreSQL's Russian stop-word list consists of: prepositions,
# conjunctions, particles, interjections, pronouns. Matching them finds everything.
STOP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
MIN_STEM = 4


@dataclass(frozen=True)
class Term:
    """One word of the query and everything a text word may share with it to match."""

    word: str  # lower-cased
    keys: frozenset[str]


@dataclass(frozen=True)
class SearchResult:
    article: Article
    rank: float
    headline: SafeString  # the title, matches in <mark>
    snippet: SafeString  # the best passage of lead or body, matches in <mark>


@dataclass(frozen=True)
class EntityMatch:
    name: str
    url: str
    kind: str


@dataclass(frozen=True)
class SearchOutcome:
    query: str  # cleaned and possibly shortened: what was searched for
    truncated: bool
    terms: tuple[Term, ...]
    entities: list[EntityMatch]
    page: Page  # object_list holds SearchResult
    capped: bool  # more articles matched than MAX_CANDIDATES: the newest were ranked

    def page_url(self, number: int) -> str:
        return "?" + urlencode({"q": self.query, "page": number})


def search_articles(*, query: str, page: str | int | None = None) -> SearchOutcome:
    """Published articles and catalog entities matching ``query``, one page of them.

    Any input is accepted: junk yields no results, never an error. The number of
    database queries does not depend on the number of results.
    """
    query, truncated = clean_query(query)
    terms = query_terms(query)
    entities = find_entities(query=query, terms=terms) if terms else []
    # (article, rank) pairs, best first; the paginator counts them with len().
    ranked: Sequence[tuple[Article, float]]
    if not terms:
        ranked, capped = [], False
    elif connection.vendor == "postgresql":
        candidates = postgres_candidates(terms=terms)
        ranked, capped = _RankedPage(candidates), len(candidates) == MAX_CANDIDATES
    else:
        ranked, capped = _sqlite_ranked(terms)
    result_page = Paginator(ranked, PAGE_SIZE).get_page(_page_number(page))
    result_page.object_list = [
        _result(article, rank, terms) for article, rank in result_page.object_list
    ]
    return SearchOutcome(query, truncated, terms, entities, result_page, capped)


def clean_query(raw: str) -> tuple[str, bool]:
    """The query with control characters and runs of spaces removed, cut to
    ``MAX_QUERY_LENGTH``; and whether it had to be cut."""
    # NUL and other control characters: PostgreSQL rejects NUL in text outright.
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw)
    text = " ".join(text.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return text, False
    return text[:MAX_QUERY_LENGTH].rstrip(), True


def query_terms(query: str) -> tuple[Term, ...]:
    """The query's words that carry meaning, each once."""
    terms: dict[str, Term] = {}
    for word in WORD_RE.findall(query.lower()):
        if word not in terms and not is_stop_word(word):
            terms[word] = Term(word, word_keys(word))
    return tuple(terms.values())


@lru_cache(maxsize=20_000)
def is_stop_word(word: str) -> bool:
    parses = analyzer().parse(word)
    return bool(parses) and parses[0].is_known and parses[0].tag.POS in STOP_POS


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """Lemmas of a lower-cased word, plus for a Cyrillic word the dictionary does
    not know the word without a case ending: names such as «Моторса» (Моторс)."""
    lemmas, known = analyse(word)
    if known or not CYRILLIC_RE.search(word):
        return lemmas
    return lemmas | set(_stems(word.replace("ё", "е")))


def _stems(word: str) -> Iterable[str]:
    for ending in CASE_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            yield word[: -len(ending)]


@lru_cache(maxsize=64)
def term_matcher(terms: tuple[Term, ...]) -> Callable[[str], tuple[int, ...]]:
    """``matching(word)``: the indices of the terms a text word matches.

    Ranking, headlines and snippets look up the same words again and again: each
    is looked up once per query, in a plain dict."""
    memo: dict[str, tuple[int, ...]] = {}

    def matching(word: str) -> tuple[int, ...]:
        if (found := memo.get(word)) is None:
            if len(memo) >= MATCHER_WORDS:
                memo.clear()  # a popular query asked over and over must not grow it without end
            keys = word_keys(word.lower())
            found = memo[word] = tuple(i for i, term in enumerate(terms) if term.keys & keys)
        return found

    return matching


def _page_number(value: str | int | None) -> int:
    # Paginator.get_page sends numbers past the end to the last page, but also
    # negative ones; a visitor who typed page=-3 means the start.
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


# --- PostgreSQL ---------------------------------------------------------------


def postgres_matches(*, terms: Sequence[Term]) -> QuerySet[Article]:
    """Published articles containing every term."""
    return (
        Article.objects.published()
        .alias(search_vector=SearchVectorColumn())
        .filter(search_vector=_tsquery(terms))
    )


def postgres_candidates(*, terms: Sequence[Term]) -> list[tuple[int, float]]:
    """The newest ``MAX_CANDIDATES`` published articles containing every term,
    as (id, rank), best first (newest first among equals): looked for in the
    newest window first, then in the next older one, and so on to the oldest
    article. Each window starts where the last one ended, so no article is
    looked at twice."""
    matches = postgres_matches(terms=terms).order_by("-published_at", "-id")
    found: list[tuple[int, float, object]] = []
    until = None
    for since in [*window_starts(), None]:
        window = matches if until is None else matches.filter(published_at__lt=until)
        if since is not None:
            window = window.filter(published_at__gte=since)
        # Ranked outside the subquery: ts_rank reads the whole vector, so only
        # for the articles kept, not for every match in the window.
        found += (
            Article.objects.filter(pk__in=window.values("pk")[: MAX_CANDIDATES - len(found)])
            .annotate(rank=SearchRank(SearchVectorColumn(), _tsquery(terms)))
            .order_by()
            .values_list("pk", "rank", "published_at")
        )
        if len(found) == MAX_CANDIDATES:
            break
        until = since
    found.sort(key=lambda row: (row[1], row[2], row[0]), reverse=True)
    return [(pk, rank) for pk, rank, _published_at in found]


_window_starts: tuple[float, list] = (0.0, [])


def window_starts() -> list:
    """When the newest ``SEARCH_WINDOWS`` published articles start, from the
    narrowest; windows larger than the archive are left out.

    Any start gives the same results (a window is only used when it holds
    ``MAX_CANDIDATES`` matches, and then those are the newest anywhere), so a
    start a few minutes old does no harm: it is kept for ``WINDOW_STARTS_TTL``
    seconds, per process."""
    global _window_starts
    checked, starts = _window_starts
    if time.monotonic() - checked < WINDOW_STARTS_TTL:
        return starts
    published = Article.objects.published().order_by("-published_at", "-id")
    selects, params = [], []
    for size in SEARCH_WINDOWS:
        sql, sql_params = published.values("published_at")[size - 1 : size].query.sql_with_params()
        selects.append(f"({sql})")
        params.extend(sql_params)
    with read_connection().cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        starts = [start for start in cursor.fetchone() if start is not None]
    _window_starts = (time.monotonic(), starts)
    return starts


class _RankedPage(Sequence):
    """Articles by id in a given order, each with its rank; a slice costs one query."""

    def __init__(self, ranked: Sequence[tuple[int, float]]):
        self.ranked = ranked

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        rows = self.ranked[index]
        articles = Article.objects.only(*RESULT_FIELDS).in_bulk([pk for pk, _rank in rows])
        return [(articles[pk], rank) for pk, rank in rows if pk in articles]


class SearchVectorColumn(Expression):
    """``search_vector`` of the query's own articles table, whatever its alias
    (``U0`` inside a subquery): the model does not declare the column."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{alias}.{connection.ops.quote_name('search_vector')}", []


def _tsquery(terms: Sequence[Term]) -> SearchQuery:
    # plainto_tsquery: every word must occur, and the syntax of the input is never
    # interpreted, as on SQLite. Our own words: the same ones SQLite would look for.
    return SearchQuery(" ".join(t.word for t in terms), config="russian")


# --- SQLite -------------------------------------------------------------------


def _sqlite_ranked(terms: Sequence[Term]) -> tuple[list[tuple[Article, float]], bool]:
    patterns = [like_patterns(term.word) for term in terms]
    # Most selective first: the longest shortest pattern narrows the scan most.
    selective = sorted(patterns, key=lambda p: -min(len(x) for x in p))[:MAX_SQL_TERMS]
    candidates = list(
        Article.objects.published()
        .filter(*(_any_field_contains(p) for p in selective))
        .only(*RESULT_FIELDS)
        .order_by("-published_at", "-id")[:MAX_CANDIDATES]
    )
    ranker = _Ranker(terms, patterns)
    scored = [(article, ranker.rank(article)) for article in candidates]
    # Candidates come newest first and the sort is stable: ties stay newest first.
    ranked = sorted(
        ((article, rank) for article, rank in scored if rank is not None),
        key=lambda item: -item[1],
    )
    return ranked, len(candidates) == MAX_CANDIDATES


@lru_cache(maxsize=10_000)
def like_patterns(word: str) -> frozenset[str]:
    """Substrings that every inflected form of ``word``'s lemmas contains one of.

    SQLite's LIKE ignores case only for ASCII, so each comes lower-case,
    capitalised and upper-case, and with «е» for «ё» as texts often write it.
    """
    forms = {word}
    for parse in analyzer().parse(word):
        forms.update(form.word for form in parse.lexeme)
    forms.update(_stems(word))
    patterns = set()
    for prefix in _common_prefixes(forms):
        for variant in (prefix, prefix.capitalize(), prefix.upper()):
            patterns.add(variant)
            patterns.add(variant.replace("ё", "е").replace("Ё", "Е"))
    return frozenset(patterns)


def _common_prefixes(forms: Iterable[str]) -> set[str]:
    # One substring per group of forms sharing four letters («завод» for all ten
    # forms of «завод»), so suppletive forms («люди», «человек») each get their own.
    groups: dict[str, list[str]] = defaultdict(list)
    for form in forms:
        groups[form[:4]].append(form)
    prefixes = {_common_prefix(group) for group in groups.values()}
    return {p for p in prefixes if not any(q != p and q in p for q in prefixes)}


def _common_prefix(words: list[str]) -> str:
    # The lexically smallest and largest words differ first where the group does.
    first, last = min(words), max(words)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


def _any_field_contains(patterns: Iterable[str]) -> Q:
    return Q(
        *(
            (f"{field}__contains", pattern)
            for pattern in sorted(patterns)
            for field, _weight in FIELD_WEIGHTS
        ),
        _connector=Q.OR,
    )


class _Ranker:
    """ts_rank's scheme in Python: per term, the weights of its occurrences, the
    n-th strongest counting 1/n², averaged over terms."""

    def __init__(self, terms: Sequence[Term], patterns: Sequence[Iterable[str]]):
        self.terms = tuple(terms)
        # Every word that matches a term contains one of its patterns (as in the SQL
        # prefilter): only such words need a dictionary look-up.
        self.needles = {p.lower() for group in patterns for p in group}
        self.matching = term_matcher(self.terms)

    def rank(self, article: Article) -> float | None:
        found: list[list[float]] = [[] for _ in self.terms]
        for field, weight in FIELD_WEIGHTS:
            text = getattr(article, field).lower()
            for word, count in _words_containing(text, self.needles).items():
                for i in self.matching(word):
                    found[i].extend([weight] * count)
        if not all(found):
            return None
        total = 0.0
        for weights in found:
            weights.sort(reverse=True)
            total += sum(w / (n * n) for n, w in enumerate(weights, start=1))
        return total / len(self.terms)


def _words_containing(text: str, needles: Iterable[str]) -> Counter[str]:
    """The words of ``text`` that contain a needle, counted. A substring search
    and a few steps to the word's ends cost far less than splitting all of it."""
    spans = set()
    for needle in needles:
        at = text.find(needle)
        while at != -1:
            start, end = at, at + len(needle)
            while start and _is_word_char(text[start - 1]):
                start -= 1
            while end < len(text) and _is_word_char(text[end]):
                end += 1
            spans.add((start, end))
            at = text.find(needle, end)
    return Counter(text[start:end] for start, end in spans)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches


# --- Results ------------------------------------------------------------------


def _result(article: Article, rank: float, terms: Sequence[Term]) -> SearchResult:
    return SearchResult(article, rank, highlight(article.title, terms), snippet(article, terms))


def highlight(text: str, terms: Sequence[Term]) -> SafeString:
    """``text`` escaped, with runs of matching words in ``<mark>``."""
    matching = term_matcher(tuple(terms))
    spans: list[list[int]] = []
    for match in WORD_RE.finditer(text):
        if not matching(match.group()):
            continue
        if spans and not text[spans[-1][1] : match.start()].strip():
            spans[-1][1] = match.end()  # «Тулпар Моторс» as one mark
        else:
            spans.append([match.start(), match.end()])
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(escape(text[last:start]))
        pieces.append(format_html("<mark>{}</mark>", text[start:end]))
        last = end
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece is escaped or format_html output


def snippet(article: Article, terms: Sequence[Term]) -> SafeString:
    """The lead or body passage matching the most terms, around its first match.

    Without a match there (a headline-only hit) it is the lead's opening.
    """
    terms = tuple(terms)
    matching = term_matcher(terms)
    best: tuple[tuple[int, int], str, list[re.Match], int] | None = None
    for passage in [article.lead, *(block.text for block in article.blocks())]:
        words = list(WORD_RE.finditer(passage))
        hits = [(i, matching(m.group())) for i, m in enumerate(words)]
        hits = [(i, found) for i, found in hits if found]
        if not hits:
            continue
        score = (len({t for _i, found in hits for t in found}), len(hits))
        if best is None or score > best[0]:
            best = (score, passage, words, hits[0][0])
    if best is None:
        passage = article.lead
        words, first = list(WORD_RE.finditer(passage)), 0
    else:
        _score, passage, words, first = best
    if len(words) <= SNIPPET_WORDS:
        return highlight(passage, terms)
    start = max(0, min(first - SNIPPET_LEAD_IN, len(words) - SNIPPET_WORDS))
    end = start + SNIPPET_WORDS
    begin = words[start].start() if start else 0
    finish = words[end - 1].end() if end < len(words) else len(passage)
    return format_html(
        "{}{}{}",
        "… " if start else "",
        highlight(passage[begin:finish], terms),
        " …" if end < len(words) else "",
    )


# --- Entities -----------------------------------------------------------------


def find_entities(*, query: str, terms: Sequence[Term]) -> list[EntityMatch]:
    """Catalog entities the query names or mentions.

    The linker's matcher finds names inside a longer query, in any case form
    («заводы Киргизии» → Кыргызстан); it wants names capitalised, so it also
    reads the query with every word capitalised («киргизия»). Besides, an entity
    matches when one of its names contains every query word («тулпар»).
    """
    # Only entities sharing a word with the query can match: compiling the whole
    # catalog into a Matcher on every search would grow with the catalog.
    query_keys = frozenset().union(*map(word_keys, WORD_RE.findall(query.lower())))
    entities = _catalog().sharing(query_keys)
    if not entities:
        return []
    matcher = Matcher(entities)
    found: dict[tuple[type, int], Entity] = {}
    capitalised = " ".join(word[:1].upper() + word[1:] for word in query.split())
    for text in dict.fromkeys([query, capitalised]):
        for mention in matcher.find(text):
            found.setdefault((type(mention.entity), mention.entity.pk), mention.entity)
    for entity in entities:
        if any(_name_has_all(name, terms) for name in entity.names):
            found.setdefault((type(entity), entity.pk), entity)
    order = {model: n for n, (model, _through, _attr) in enumerate(LINK_KINDS)}
    ordered = sorted(found.values(), key=lambda e: (order[type(e)], e.name.lower()))
    return [
        EntityMatch(e.name, e.get_absolute_url(), str(e._meta.verbose_name))
        for e in ordered[:MAX_ENTITIES]
    ]


class _Catalog:
    """Every catalog entity with the word keys of its names, by key."""

    def __init__(self, entities: list[Entity]):
        self.by_key: dict[str, list[Entity]] = defaultdict(list)
        for entity in entities:
            for key in _entity_keys(entity):
                self.by_key[key].append(entity)

    def sharing(self, keys: Iterable[str]) -> list[Entity]:
        found = {id(e): e for key in keys for e in self.by_key.get(key, ())}
        return list(found.values())


_cached_catalog: tuple[str | None, _Catalog | None] = (None, None)


def _catalog() -> _Catalog:
    """The catalog, loaded once per content version and process: a search costs
    one look at the version instead of reading every entity again, and an edited
    entity is searched for in its new form at once."""
    global _cached_catalog
    version = content_version_or_none()
    cached_version, catalog = _cached_catalog
    if version is None or version != cached_version or catalog is None:
        # The related objects are the ones Matcher reads (a model's brand, an
        # official's organization): loaded here, so matching costs no more queries.
        catalog = _Catalog(
            [
                *Country.objects.all(),
                *Company.objects.all(),
                *VehicleModel.objects.select_related("brand"),
                *Official.objects.select_related("organization"),
            ]
        )
        _cached_catalog = (version, catalog)
    return catalog


def _entity_keys(entity: Entity) -> frozenset[str]:
    # An official's position is there because it names their organization.
    texts = [*entity.names, getattr(entity, "position", "")]
    return frozenset().union(*(word_keys(w) for t in texts for w in WORD_RE.findall(t.lower())))


def _name_has_all(name: str, terms: Sequence[Term]) -> bool:
    name_keys = [word_keys(word) for word in WORD_RE.findall(name.lower())]
    return all(any(term.keys & keys for keys in name_keys) for term in terms)
