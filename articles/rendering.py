"""The article body as HTML: paragraphs, subheadings and links to entities.

The HTML is built here from the stored text on every render, escaping all of
it; the only markup added is our own elements and the links. The first mention
of each entity still linked to the article becomes a link to its page, using
the positions the linker recorded for this very body text.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import Article
from .queries import ArticleLinks


@dataclass(frozen=True)
class RenderedBlock:
    kind: str  # "paragraph" or "subheading"
    html: SafeString


def render_body(article: Article, links: ArticleLinks) -> list[RenderedBlock]:
    blocks = article.blocks()
    fresh = article.body_mentions_hash == article.body_hash()
    spans = _first_mentions(article, links) if fresh else {}
    rendered = []
    for n, block in enumerate(blocks):
        html = _link_spans(block.text, spans.get(n, []))
        rendered.append(RenderedBlock(block.kind, html))
    return rendered


def _first_mentions(
    article: Article, links: ArticleLinks
) -> dict[int, list[tuple[int, int, object]]]:
    linked = {(e._meta.label_lower, e.pk): e for e in links.entities}
    seen: set[tuple[str, int]] = set()
    per_block: dict[int, list[tuple[int, int, object]]] = {}
    for block, start, end, label, pk in sorted(article.body_mentions, key=lambda m: m[:3]):
        key = (label, pk)
        if key in seen or key not in linked:
            continue
        seen.add(key)
        per_block.setdefault(block, []).append((start, end, linked[key]))
    return per_block


def _link_spans(text: str, spans: list[tuple[int, int, object]]) -> SafeString:
    parts: list[str] = []
    position = 0
    for start, end, entity in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < position or end > len(text):
            continue  # overlaps a link already placed («Chevrolet» inside «Chevrolet Onix»)
        parts.append(escape(text[position:start]))
        parts.append(
            format_html(
                '<a class="mention" href="{}">{}</a>', entity.get_absolute_url(), text[start:end]
            )
        )
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece above is escaped or format_html
