"""An organisation's own name: no legal form, no quotes around it.

The catalog names companies without their legal form or quotes («Тулпар
Моторс», where the text says завод "Тулпар Моторс"), so suggestions do the
same: «ОАО «Ак-Тилек»», «компании "Ак-Тилек"» and «Ак-Тилек» are one
organisation, suggested once as «Ак-Тилек». A legal form is an abbreviation
(«ОАО», «ОсОО», «LLC») or its words («общество с ограниченной
ответственностью») at either end; ordinary words before a quoted name
(«компания», «банк», «завод») only say what the quoted name is. Quotes inside
a name stay, written «…»: «Кыргызско-Турецкий университет «Манас»».
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.morphology import best_lemma, is_common_word
from .common import is_common_compound
from .phrases import can_depend

# Russian, Kyrgyz (ОсОО, ОАО), Kazakh (ТОО) and Latin legal forms.
LEGAL_ABBREVIATIONS = frozenset(
    spelling
    for f in [
        *("АО", "ОАО", "ЗАО", "ПАО", "НАО", "ООО", "ОсОО", "ОДО", "ТОО", "АООТ", "АОЗТ"),
        *("ГП", "ГУП", "МУП", "ФГУП", "ИП", "ЧП", "АНО", "НКО", "ОЮЛ", "ОФ"),
        *("LLC", "LLP", "Ltd", "Inc", "GmbH", "PLC", "JSC", "Corp", "Co", "SA", "AG"),
    ]
    # As written, or in capitals: «Тоо» is a word («Бийик Тоо»), «ТОО» a legal form.
    for spelling in (f, f.upper())
)
# The same in words, as lemmas: «Обществом с ограниченной ответственностью».
LEGAL_PHRASES = tuple(
    tuple(phrase.split())
    for phrase in [
        "открытый акционерный общество",
        "закрытый акционерный общество",
        "публичный акционерный общество",
        "непубличный акционерный общество",
        "акционерный общество",
        "общество с ограниченный ответственность",
        "общество с дополнительный ответственность",
        "товарищество с ограниченный ответственность",
        "государственный унитарный предприятие",
        "государственный предприятие",
        "индивидуальный предприниматель",
    ]
)
QUOTE_PAIRS = (("«", "»"), ('"', '"'), ("“", "”"), ("„", "“"), ("'", "'"))
INNER_QUOTES_RE = re.compile(r'"([^"]+)"|“([^”]+)”|„([^“]+)“')
WORD_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)*\.?")


@dataclass(frozen=True)
class OwnName:
    name: str
    quoted: bool  # it stood in quotes: a name that never declines


def own_name(name: str, *, starts_sentence: bool = False) -> OwnName:
    """``name`` without legal forms, generic words before a quoted name, or outer quotes.

    ``starts_sentence``: the name opens a sentence, so its first word may be
    capitalised only for that («Компания Жол Моторс»). Empty when nothing but
    a legal form is left («ОАО» on its own).
    """
    quoted = False
    while True:
        before = name
        name = strip_generic_words(_strip_legal_forms(name), starts_sentence=starts_sentence)
        inner = _quoted_after_generic_words(name)
        if inner is not None:
            name, quoted = inner, True
        if name == before:
            return OwnName(_guillemets(name), quoted)


def _strip_legal_forms(name: str) -> str:
    words = list(WORD_RE.finditer(name))
    while words and words[0].group().rstrip(".") in LEGAL_ABBREVIATIONS:
        name = name[words[0].end() :]
        words = list(WORD_RE.finditer(name))
    while words and words[-1].group().rstrip(".") in LEGAL_ABBREVIATIONS:
        name = name[: words[-1].start()]
        words = list(WORD_RE.finditer(name))
    lemmas = [best_lemma(word.group()) for word in words]
    for phrase in LEGAL_PHRASES:
        if tuple(lemmas[: len(phrase)]) == phrase:
            name = name[words[len(phrase) - 1].end() :] if len(words) > len(phrase) else ""
            break
    return name.strip(" ,.;:—–-")


def strip_generic_words(name: str, *, starts_sentence: bool) -> str:
    """«Жол Моторс» from «Компания Жол Моторс»: ordinary words NER took in before a
    name, written in lower case or capitalised only by the sentence, unless the
    name depends on them in the genitive («Банк Азии»). «Ромашка Motors» inside
    a sentence is a name whose first word is also a flower's."""
    words = list(WORD_RE.finditer(name))
    generic = 0
    while (
        generic < len(words)
        and is_common_word(words[generic].group())
        and (words[generic].group()[:1].islower() or (generic == 0 and starts_sentence))
    ):
        generic += 1
    rest = words[generic:]
    if not generic or not rest or not all(word.group()[:1].isupper() for word in rest):
        return name
    return name if can_depend(rest[0].group()) else name[rest[0].start() :]


def _quoted_after_generic_words(name: str) -> str | None:
    """«X» from «компании «X»» or «"X"»; None when the name is not of that shape."""
    for opening, closing in QUOTE_PAIRS:
        start = name.find(opening)
        if start < 0 or not name.endswith(closing) or len(name) - start < 3:
            continue
        inner = name[start + 1 : -1].strip()
        if _balanced(inner) and all(
            is_common_word(word.group()) or is_common_compound(word.group())
            for word in WORD_RE.finditer(name[:start])
        ):
            return inner
    return None


def _balanced(text: str) -> bool:
    """No quote in ``text`` closes one opened outside it («X» и «Y» is two names)."""
    depth = 0
    for char in text:
        depth += (char == "«") - (char == "»")
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0


def _guillemets(name: str) -> str:
    """Quotes inside a name written «…», so that one name is one spelling."""
    return INNER_QUOTES_RE.sub(lambda m: f"«{next(filter(None, m.groups()))}»", name)
