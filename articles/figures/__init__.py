"""Figures kept as data: mentions per entity and uses per tag, per day.

``counting`` counts stored rows again (``recount_figures``, ``refresh_days``),
``pending`` decides when (at once, or once per ``figures_batch``), ``hooks``
sees the ORM's writes, ``reading`` is what the pages read of them.
"""

from .counting import local_day, recount_figures, refresh_days
from .pending import figures_batch, note_articles, note_days

__all__ = [
    "figures_batch",
    "local_day",
    "note_articles",
    "note_days",
    "recount_figures",
    "refresh_days",
]
