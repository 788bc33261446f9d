"""Template sentences compiled into text and slots, and checked against the catalog.

A template's own words must name no catalog entity (or the linker would find
links the generator did not put there); the topics its words are about become
the article's topic tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from articles.linking import Matcher
from articles.linking.topics import topics_in

# A slot: {kind} or {kind:case}.
SLOT_RE = re.compile(r"\{(\w+)(?::(\w+))?\}")
# The slots that take an entity of the article's cast; the others take numbers and dates.
ENTITY_KINDS = ("country", "company", "plant", "brand", "ministry", "model", "official")


@dataclass(frozen=True)
class Template:
    parts: tuple[tuple[str, str, str], ...]  # ("text", literal, "") or ("slot", kind, case)
    kinds: frozenset[str]
    topics: frozenset[str]

    @classmethod
    def compile(cls, text: str) -> Template:
        parts: list[tuple[str, str, str]] = []
        position = 0
        for match in SLOT_RE.finditer(text):
            if match.start() > position:
                parts.append(("text", text[position : match.start()], ""))
            parts.append(("slot", match.group(1), match.group(2) or ""))
            position = match.end()
        if position < len(text):
            parts.append(("text", text[position:], ""))
        kinds = frozenset(kind for part, kind, _case in parts if part == "slot") & frozenset(
            ENTITY_KINDS
        )
        return cls(tuple(parts), kinds, frozenset(topics_in(_neutral(parts))))


def _neutral(parts: tuple[tuple[str, str, str], ...]) -> str:
    # Slots as a number: a word that names nothing and does not stop a gapped alias.
    return "".join(value if part == "text" else "0" for part, value, _c in parts)


def check_templates(templates: list[Template], matcher: Matcher) -> list[Template]:
    """The templates whose own words name no catalog entity."""
    return [t for t in templates if not matcher.find(_neutral(t.parts))]
