"""Names in articles that the catalog does not know yet, offered to editors.

People, organisations and places come from natasha's Russian news NER
(``ner``), which also gives their initial form («Романа Чекушова» → «Роман
Чекушов»). Vehicle models, which NER does not know, are runs of capitalised
Latin words («Lada Granta», ``latin``). Every candidate the catalog already
knows, by the linker's lemma matching or by name, is dropped, and so is every
name an editor has already accepted or rejected (``known``, ``candidates``).
The ``suggest_entities`` command stores them (``scanning``); editors accept or
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
