"""Headlines and snippets with the query's words in ``<mark>``.

They are highlighted in Python on both databases, from the same lemmas, so
results look alike whichever database answered. Article text is escaped; only
our own ``<mark>`` tags are markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from .terms import WORD_RE, Term, word_keys

MATCHER_WORDS = 20_000  # words remembered per query by term_matcher
SNIPPET_WORDS = 30
SNIPPET_LEAD_IN = 8  # words kept before the first match


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
    passage, words, first = _best_passage(article, terms)
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


def _best_passage(article: Article, terms: tuple[Term, ...]) -> tuple[str, list[re.Match], int]:
    """The passage matching the most terms (then the most words), its words and
    the index of its first matching word; the lead from its start if none matches."""
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
        return article.lead, list(WORD_RE.finditer(article.lead)), 0
    _score, passage, words, first = best
    return passage, words, first
