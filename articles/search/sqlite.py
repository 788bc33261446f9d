"""Search on SQLite: a ``LIKE`` prefilter, then ranking in Python.

SQLite has no full-text index over lemmas. Each query word is expanded to the
inflected forms of its lemmas for a ``LIKE`` prefilter over the newest matching
articles, and Python ranks those by lemma with the same weights ts_rank uses on
PostgreSQL, so both databases order results alike. Words that name a catalog
entity count as found in an article linked to it (``namings``): the prefilter
accepts the link instead of the words, and ranking counts them as headline words.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from ..models import Article
from ..text.morphology import analyzer
from .highlighting import term_matcher
from .namings import Naming, match_condition, named_term_indices, term_groups
from .terms import Term, stems

# The prefilter uses the most selective query words; Python still checks them all.
MAX_SQL_TERMS = 8
# ts_rank's default weights for A (headline), B (lead) and C (body).
FIELD_WEIGHTS = (("title", 1.0), ("lead", 0.4), ("body", 0.2))
# Words naming an entity the article is linked to weigh as headline words.
NAMED_WEIGHT = FIELD_WEIGHTS[0][1]
LINKED_PREFIX = "search_linked_"


def sqlite_ranked(
    *,
    terms: Sequence[Term],
    limit: int,
    fields: Sequence[str],
    namings: Sequence[Naming] = (),
    articles: QuerySet[Article] | None = None,
) -> tuple[list[tuple[Article, float]], bool]:
    """The newest ``limit`` published articles (of ``articles``, if given: the
    admin searches drafts too) containing every term (or linked to an entity the
    terms name), as (article, rank), best first (newest first among equals); and
    whether there were that many. The articles come with ``fields`` loaded."""
    patterns = {term: like_patterns(term.word) for term in terms}
    # Most selective first: the longest shortest pattern narrows the scan most.
    selective = sorted(terms, key=lambda t: -min(len(x) for x in patterns[t]))[:MAX_SQL_TERMS]
    groups = term_groups(selective, namings)
    # Whether each candidate is linked to each naming's entities: one more column each.
    linked = {
        f"{LINKED_PREFIX}{i}": ExpressionWrapper(naming.is_linked(), output_field=BooleanField())
        for i, naming in enumerate(namings)
    }
    if articles is None:
        articles = Article.objects.published()
    candidates = list(
        articles.filter(
            match_condition(
                groups, in_text=lambda group: Q(*(_any_field_contains(patterns[t]) for t in group))
            )
        )
        .annotate(**linked)
        .only(*fields)
        .order_by("-published_at", "-id")[:limit]
    )
    ranker = _Ranker(terms, list(patterns.values()), named_term_indices(namings, terms))
    scored = [(article, ranker.rank(article)) for article in candidates]
    # Candidates come newest first and the sort is stable: ties stay newest first.
    ranked = sorted(
        ((article, rank) for article, rank in scored if rank is not None),
        key=lambda item: -item[1],
    )
    return ranked, len(candidates) == limit


@lru_cache(maxsize=10_000)
def like_patterns(word: str) -> frozenset[str]:
    """Substrings that every inflected form of ``word``'s lemmas contains one of.

    SQLite's LIKE ignores case only for ASCII, so each comes lower-case,
    capitalised and upper-case, and with «е» for «ё» as texts often write it.
    """
    forms = {word}
    for parse in analyzer().parse(word):
        forms.update(form.word for form in parse.lexeme)
    forms.update(stems(word))
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

    def __init__(
        self,
        terms: Sequence[Term],
        patterns: Sequence[Iterable[str]],
        named: Sequence[Sequence[int]] = (),
    ):
        self.terms = tuple(terms)
        # Every word that matches a term contains one of its patterns (as in the SQL
        # prefilter): only such words need a dictionary look-up.
        self.needles = {p.lower() for group in patterns for p in group}
        self.matching = term_matcher(self.terms)
        self.named = named  # per naming, the indices of the terms it names

    def rank(self, article: Article) -> float | None:
        found: list[list[float]] = [[] for _ in self.terms]
        for n, indices in enumerate(self.named):
            if getattr(article, f"{LINKED_PREFIX}{n}", False):
                for i in indices:
                    found[i].append(NAMED_WEIGHT)
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
