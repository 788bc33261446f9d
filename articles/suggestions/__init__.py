"""Names in articles that the catalog does not know yet, offered to editors.

Each suggestion must be acceptable as it stands. The text is first repaired
(``repair``: words broken at line ends made whole). People, organisations and
places come from natasha's Russian news NER (``ner``) and are put in their
initial form (``names``): a person's every part in the nominative, agreeing in
gender (``persons``: «Айгерим Токтогуловой» → «Айгерим Токтогулова»), an
organisation's or place's head phrase in the nominative with its genitive
dependents kept (``phrases``: «Министерством энергетики Таджикистана» →
«Министерство энергетики Таджикистана»), an organisation without legal form
or quotes (``organisations``: «ОАО «Ак-Тилек»» → «Ак-Тилек»); a word the
dictionary does not know declines only the Russian way (``foreign``: «Кара-Суу»
stays). Ordinary words NER took for a name are none (``common``: «ТЭЦ», «Для
Таджикистана», «Второй цех»). Vehicle models, which NER does not know, are
runs of capitalised Latin words («Lada Granta», ``latin``). One name gets one
spelling (``variants``: a case form under its bare form, a surname under the
full name). Every candidate the catalog already knows in any form (the
linker's lemma matching, initials, hyphens, «ё», the country under another
name, the other alphabet: ``spelling``) is dropped, and so is every name an
editor has already accepted or rejected (``known``, ``candidates``). The
``suggest_entities`` command stores them (``scanning``); editors accept or
reject them in the admin (``decisions``).

natasha needs about 300 MB per process, so it is imported only inside the
functions that run it: web workers import this package for the admin without
loading it.
"""

from .candidates import Candidate, find_candidates, one_per_sentence
from .decisions import AcceptResult, accept_suggestion, reject_suggestions
from .known import KnownNames, build_known_names, fold
from .scanning import ScanReport, article_text, articles_to_scan, scan_articles

__all__ = [
    "AcceptResult",
    "Candidate",
    "KnownNames",
    "ScanReport",
    "accept_suggestion",
    "article_text",
    "articles_to_scan",
    "build_known_names",
    "find_candidates",
    "fold",
    "one_per_sentence",
    "reject_suggestions",
    "scan_articles",
]
