"""Delivery records written in batches, once per reader, kind and period.

The unique constraint on (reader, kind, period) is what makes a build safe to
run twice, or again after dying half-way: a record already there is skipped by
the database (``ignore_conflicts``), never made a second time.
"""

from __future__ import annotations

from collections import Counter

from ..models import Delivery

BATCH = 2000


class RecordWriter:
    """Collects records and writes them a batch at a time; counts them by kind."""

    def __init__(self, *, batch: int = BATCH) -> None:
        self.batch = batch
        self.pending: list[Delivery] = []
        self.written: Counter[str] = Counter()

    def add(self, *, reader_id: int, kind: str, period: str, article_ids: list[int]) -> None:
        self.pending.append(
            Delivery(reader_id=reader_id, kind=kind, period=period, article_ids=article_ids)
        )
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        Delivery.objects.bulk_create(self.pending, ignore_conflicts=True)
        self.written.update(record.kind for record in self.pending)
        self.pending = []
