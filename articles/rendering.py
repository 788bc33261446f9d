"""The article's lead and body as HTML: paragraphs, subheadings and links to entities.

The HTML is built here from the stored text on every render, escaping all of
it; the only markup added is our own elements and the links. The first mention
of each entity still linked to the article becomes a link to its page, in
reading order: an entity the lead names is linked there, not again in the
body. The headline is never a link. Positions come from what the linker
recorded for this very text (``Article.mentions``); a stale record is ignored.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from companies.models import Entity

from .models import MENTION_IN_BODY, MENTION_IN_HEADLINE, MENTION_IN_LEAD, Article
from .queries import ArticleLinks

# An entity by its stored key: the model label («companies.company») and pk.
MentionKey = tuple[str, int]
# A link to place in one text: where it starts and ends, and the entity.
Span = tuple[int, int, Entity]


@dataclass(frozen=True)
class RenderedBlock:
    kind: str  # "paragraph" or "subheading"
    html: SafeString


@dataclass(frozen=True)
class RenderedText:
    """What the article page prints of the text: the lead and the body's blocks."""

    lead: SafeString
    body: list[RenderedBlock]


def render_text(article: Article, links: ArticleLinks) -> RenderedText:
    """The lead and the body with the first mention of each linked entity as a link."""
    linked = {(e._meta.label_lower, e.pk): e for e in links.entities}
    spans = first_mentions(article.mentions, linked) if article.mentions_fresh else {}
    body = [
        RenderedBlock(block.kind, _link_spans(block.text, spans.get(MENTION_IN_BODY + n, [])))
        for n, block in enumerate(article.blocks())
    ]
    return RenderedText(_link_spans(article.lead, spans.get(MENTION_IN_LEAD, [])), body)


def first_mentions(
    positions: Iterable[list], linked: Mapping[MentionKey, Entity]
) -> dict[int, list[Span]]:
    """The first mention of each ``linked`` entity that can be a link, by text.

    Reading order is the lead, then the body; the headline is skipped. A link
    cannot hold another: a mention inside or across one already placed
    («Chevrolet» inside «Chevrolet Tracker») waits for the entity's next mention.
    """
    placed: dict[int, list[Span]] = {}
    seen: set[MentionKey] = set()
    for text, start, end, label, pk in sorted(positions, key=lambda m: (m[0], m[1], -m[2])):
        key = (label, pk)
        if text == MENTION_IN_HEADLINE or key in seen or key not in linked:
            continue
        spans = placed.setdefault(text, [])
        if any(start < other_end and other_start < end for other_start, other_end, _ in spans):
            continue
        seen.add(key)
        spans.append((start, end, linked[key]))
    return placed


def _link_spans(text: str, spans: list[Span]) -> SafeString:
    parts: list[str] = []
    position = 0
    for start, end, entity in sorted(spans, key=lambda s: s[0]):
        if start < position or end > len(text):
            continue  # not this text's positions after all: never a broken link
        parts.append(escape(text[position:start]))
        parts.append(
            format_html(
                '<a class="mention" href="{}">{}</a>', entity.get_absolute_url(), text[start:end]
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped or format_html
