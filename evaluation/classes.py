"""The classes of difficulty an annotation carries, and where in an article a mention stands.

Every annotated mention has one class saying what makes it hard (or ``plain``);
every hard negative (a span that must link nothing) has one saying why it looks
like a name. The report gives figures per class, so a developer sees which rule
fails. A mention's position (headline, lead, body) is not annotated: it follows
from the text it resolves in.
"""

from __future__ import annotations

MENTION_CLASSES: dict[str, str] = {
    "plain": "a catalog name or alias as the catalog writes it, in any case and number",
    "cyrillic_brand_model": "brand and model of a Latin name in Cyrillic («Шевроле Кобальт»)",
    "cyrillic_model": "a Latin model name in Cyrillic without its brand («Кобальта», «Т40»)",
    "bare_model": "a Latin model name without its brand («Cobalt»)",
    "shared_brand": "a model in a list sharing one brand («Chevrolet Onix, Cobalt и Tracker»)",
    "brand_in_model": "the brand named inside a model's name (the «Chevrolet» of «Chevrolet Onix»)",
    "surname": "an official by the bare surname, the text giving no other first name",
    "initial": "an official by initial and surname («Р. Чекушов»)",
    "abbreviation": "abbreviations and colloquial titles («Минпромторг», «КР», «РФ»)",
    "partial_name": "a company by part of its name where the text makes clear which",
    "position_title": "an organization named by an official's full position",
    "hyphen": "a hyphen in place of a space inside a name («Шевроле-Кобальт»)",
    "line_break": "a name split across a line break inside a paragraph",
    "line_end_hyphen": "a word hyphenated at a line end («Чеку-\\nшова») or by a soft hyphen",
    "nbsp": "non-breaking spaces inside a name",
    "yo": "«е» written for the catalog's «ё», or the reverse",
}

NEGATIVE_CLASSES: dict[str, str] = {
    "common_word": "a common word or first name that looks like a name (кобальт the metal, "
    "GPS-трекер, тулпар, Батыр)",
    "namesake": "another person sharing an official's surname or first name",
    "name_in_name": "a name inside another one (кинотеатр «Россия», гостиница «Тулпар»)",
    "partial_name": "part of a company's name meaning something else (село Ак-Суу)",
    "adjective": "an adjective made from a name («российские», «киргизских»)",
}

# The texts of an article as the linker reads them: 0 the headline, 1 the lead, the rest the body.
POSITIONS = ("headline", "lead", "body")


def position_of(piece: int) -> str:
    return POSITIONS[min(piece, 2)]
