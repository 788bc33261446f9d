"""What the mentions panel of the article form shows (``articles.admin.mentions``).

The headline, lead and body cut into plain runs and highlighted mentions, from
the positions the linker recorded (``Article.mentions``), and one row per
entity: what it is, whether the linker found the link, an editor added it or
rejected it, where the text names it, and which mention the public page links
(``rendering.first_mentions``). Read in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from companies.kinds import KINDS, kind_named
from companies.models import Entity

from ..models import MENTION_IN_BODY, MENTION_IN_HEADLINE, MENTION_IN_LEAD, Article, RejectedLink
from ..rendering import MentionKey, first_mentions
from .inlines import article_links

PANEL_TEMPLATE = "admin/articles/article/mentions_panel.html"
# The form outside the article's form that the panel's buttons submit.
ACTIONS_FORM_ID = "mentions-actions"
# Status: the words of the table, the shorter words beside each mention.
STATUSES = {
    "linker": ("найдено автоматически", "найдено"),
    "editor": ("добавлено редактором", "добавлено редактором"),
    "rejected": ("отклонено редактором", "отклонено"),
    "unlinked": ("не связано", "не связано"),
}
PLACE_NAMES = {MENTION_IN_HEADLINE: "заголовок", MENTION_IN_LEAD: "лид"}


@dataclass
class EntityRow:
    """One entity of the panel's table, with where the text names it."""

    key: MentionKey
    entity: Entity
    status: str  # a key of STATUSES
    places: list[int] = field(default_factory=list)  # the texts of its mentions, in order

    @property
    def value(self) -> str:
        """What the reject and undo buttons send: «companies.company:3»."""
        return f"{self.key[0]}:{self.key[1]}"

    @property
    def anchor(self) -> str:
        return f"mentions-{self.key[0].replace('.', '-')}-{self.key[1]}"

    @property
    def first_anchor(self) -> str:
        return f"{self.anchor}-first"

    @property
    def kind_label(self) -> str:
        return kind_named(self.key[0]).label

    @property
    def status_label(self) -> str:
        return STATUSES[self.status][0]

    @property
    def status_short(self) -> str:
        return STATUSES[self.status][1]

    @property
    def linked(self) -> bool:
        return self.status in ("linker", "editor")

    @property
    def where(self) -> str:
        """«лид, текст ×3»: which texts name the entity, and how often."""
        counts: dict[str, int] = {}
        for place in self.places:
            name = PLACE_NAMES.get(place, "текст")
            counts[name] = counts.get(name, 0) + 1
        return ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in counts.items())

    @property
    def admin_url(self) -> str:
        opts = self.entity._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[self.entity.pk])


@dataclass(frozen=True)
class Label:
    row: EntityRow
    on_page: bool  # the public page links this very mention


@dataclass(frozen=True)
class Piece:
    """A run of text: plain, or a highlighted mention of one or more entities
    («Chevrolet Tracker» names the model and the brand)."""

    text: str
    labels: tuple[Label, ...] = ()
    first_of: tuple[EntityRow, ...] = ()  # entities first named here

    @property
    def status(self) -> str:
        return self.labels[0].row.status if self.labels else ""


@dataclass(frozen=True)
class Block:
    kind: str  # "headline", "paragraph" or "subheading"
    pieces: list[Piece]


@dataclass(frozen=True)
class Part:
    title: str
    blocks: list[Block]


@dataclass
class Panel:
    fresh: bool
    rows: list[EntityRow]
    parts: list[Part]
    actions: bool = False
    reject_url: str = ""
    restore_url: str = ""
    form_id: str = ACTIONS_FORM_ID


def build_panel(article: Article) -> Panel:
    """The panel's data: a fixed number of queries whatever the article names."""
    positions = article.mentions if article.mentions_fresh else []
    rows = _entity_rows(article, positions)
    if not positions:
        return Panel(fresh=article.mentions_fresh, rows=list(rows.values()), parts=[])
    return Panel(fresh=True, rows=list(rows.values()), parts=_parts(article, positions, rows))


def build_found_panel(article: Article, positions: list[list]) -> Panel:
    """The panel of a text no editor has decided on yet: an unsaved ``article`` (an
    inbox item read as the draft it would become) and the positions the linker found
    in it, every entity «found automatically». Without buttons."""
    ordered = sorted(positions, key=lambda m: (m[0], m[1], -m[2]))
    mentioned = list(dict.fromkeys((label, pk) for _n, _s, _e, label, pk in ordered))
    entities = _entities(set(mentioned))
    rows = {key: EntityRow(key, entities[key], "linker") for key in mentioned if key in entities}
    for n, _s, _e, label, pk in ordered:
        if (label, pk) in rows:
            rows[(label, pk)].places.append(n)
    return Panel(fresh=True, rows=list(rows.values()), parts=_parts(article, positions, rows))


def _parts(
    article: Article, positions: list[list], rows: dict[MentionKey, EntityRow]
) -> list[Part]:
    """The headline, lead and body cut into plain runs and highlighted mentions."""
    on_page = _linked_on_page(positions, rows)
    by_text: dict[int, list[list]] = defaultdict(list)
    for position in positions:
        by_text[position[0]].append(position)
    seen: set[MentionKey] = set()

    def block(kind: str, n: int, text: str) -> Block:
        return Block(kind, _pieces(text, n, by_text[n], rows, on_page, seen))

    # Built in reading order: the first mention of each entity gets its anchor.
    parts = [
        Part("Заголовок", [block("headline", MENTION_IN_HEADLINE, article.title)]),
        Part("Лид", [block("paragraph", MENTION_IN_LEAD, article.lead)]),
    ]
    body = [block(b.kind, MENTION_IN_BODY + n, b.text) for n, b in enumerate(article.blocks())]
    parts.append(Part("Текст", body))
    return [p for p in parts if p.blocks]


def _entity_rows(article: Article, positions: list[list]) -> dict[MentionKey, EntityRow]:
    """Every entity mentioned, linked or rejected, in reading order of first mention;
    then those the text does not name, by name."""
    links: dict[MentionKey, tuple[Entity, str]] = {}
    for kind in KINDS:
        for link in article_links(article, kind):
            links[(kind.model._meta.label_lower, link.entity_id)] = (link.entity, link.origin)
    rejected = {
        (f"{app}.{model}", pk)
        for app, model, pk in RejectedLink.objects.filter(article=article).values_list(
            "content_type__app_label", "content_type__model", "object_id"
        )
    }
    # Reading order, the outermost of mentions starting together first.
    ordered = sorted(positions, key=lambda m: (m[0], m[1], -m[2]))
    mentioned = [(label, pk) for _n, _s, _e, label, pk in ordered]
    entities = {key: entity for key, (entity, _origin) in links.items()}
    entities |= _entities((set(mentioned) | rejected) - links.keys())

    def status(key: MentionKey) -> str:
        if key in links:
            return links[key][1]
        return "rejected" if key in rejected else "unlinked"

    unnamed = sorted(entities.keys() - set(mentioned), key=lambda k: entities[k].name)
    rows = {
        key: EntityRow(key, entities[key], status(key))
        for key in [*dict.fromkeys(mentioned), *unnamed]
        if key in entities  # an entity deleted from the catalog since
    }
    for n, _s, _e, label, pk in ordered:
        if (label, pk) in rows:
            rows[(label, pk)].places.append(n)
    return rows


def _entities(keys: set[MentionKey]) -> dict[MentionKey, Entity]:
    """The entities by key, one query per kind that has any."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for label, pk in keys:
        by_label[label].append(pk)
    found: dict[MentionKey, Entity] = {}
    for label, pks in by_label.items():
        for entity in kind_named(label).model.objects.filter(pk__in=pks):
            found[(label, entity.pk)] = entity
    return found


def _linked_on_page(
    positions: list[list], rows: dict[MentionKey, EntityRow]
) -> set[tuple[int, int, int, MentionKey]]:
    """The mentions the public page turns into links (``rendering.first_mentions``)."""
    linked = {key: row.entity for key, row in rows.items() if row.linked}
    return {
        (n, start, end, (entity._meta.label_lower, entity.pk))
        for n, spans in first_mentions(positions, linked).items()
        for start, end, entity in spans
    }


def _pieces(
    text: str,
    n: int,
    positions: list[list],
    rows: dict[MentionKey, EntityRow],
    on_page: set[tuple[int, int, int, MentionKey]],
    seen: set[MentionKey],
) -> list[Piece]:
    """``text`` cut into plain runs and highlights; overlapping mentions share one."""
    clusters: list[tuple[int, int, list[tuple[MentionKey, bool]]]] = []
    for _n, start, end, label, pk in sorted(positions, key=lambda m: (m[1], -m[2])):
        key = (label, pk)
        if key not in rows or end > len(text):
            continue
        here = (n, start, end, key) in on_page
        if clusters and start < clusters[-1][1]:
            first, last, keys = clusters[-1]
            clusters[-1] = (first, max(last, end), [*keys, (key, here)])
        else:
            clusters.append((start, end, [(key, here)]))
    pieces: list[Piece] = []
    position = 0
    for start, end, keys in clusters:
        pieces.append(Piece(text[position:start]))
        # Each entity once (a gapped alias may cover its plain name), the outermost first.
        linked_here = {key for key, here in keys if here}
        named = list(dict.fromkeys(key for key, _here in keys))
        labels = tuple(Label(rows[key], key in linked_here) for key in named)
        first_of = tuple(rows[key] for key in named if key not in seen)
        seen.update(named)
        pieces.append(Piece(text[start:end], labels, first_of))
        position = end
    pieces.append(Piece(text[position:]))
    return [piece for piece in pieces if piece.text]


def render_panel(panel: Panel) -> SafeString:
    return render_to_string(PANEL_TEMPLATE, {"panel": panel}, using="django")
