"""The measured run of ``bench/digests.py``, in its child process on a filled database.

The build timed (with the growth of the peak resident memory), again under
tracemalloc (the heap after every batch of records), digests rendered in batches,
and a sample sent to an aiosmtpd server on 127.0.0.1 at a set rate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import multiprocessing
import resource
import time
import tracemalloc

from bench.digests_data import BATCH, into_yesterday


def max_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes: the process's peak resident memory so far.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clear() -> None:
    from following.models import AlertWatermark, Delivery

    Delivery.objects.all().delete()
    AlertWatermark.objects.all().delete()


def timed_build() -> dict:
    from following.digests.build import build_due

    _clear()
    gc.collect()
    rss_before = max_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    report = build_due(any_hour=True)
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "made": report.made,
        "max_rss_mb_before": round(rss_before, 1),
        "max_rss_mb_after": round(max_rss_mb(), 1),
    }


def traced_build() -> dict:
    """The build again under tracemalloc, the heap in use noted after every batch written."""
    from following.digests import records
    from following.digests.build import build_due

    _clear()
    after_batches: list[float] = []
    flush = records.RecordWriter.flush

    def noting(self):
        flush(self)
        after_batches.append(tracemalloc.get_traced_memory()[0] / 2**20)

    records.RecordWriter.flush = noting
    tracemalloc.start()
    try:
        build_due(any_hour=True)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
        records.RecordWriter.flush = flush
    tenth = after_batches[len(after_batches) // 10] if after_batches else 0.0
    return {
        "peak_mb": round(peak, 1),
        "batches": len(after_batches),
        "in_use_mb_after_first_tenth": round(tenth, 1),
        "in_use_mb_at_end": round(after_batches[-1], 1) if after_batches else 0.0,
    }


def _sample(size: int) -> list:
    from following.models import Delivery

    return list(Delivery.objects.select_related("reader").order_by("pk")[:size])


def timed_rendering(size: int) -> dict:
    """``render_many`` over ``size`` digests, in batches as a sender would."""
    from following.digests.summaries import Summaries
    from following.mail.digest_message import render_many

    deliveries = _sample(size)
    summaries = Summaries()  # shared by the batches: the articles are loaded once
    started = time.perf_counter()
    sizes = []
    for first in range(0, len(deliveries), 500):
        for _subject, text, html in render_many(
            deliveries[first : first + 500], summaries=summaries
        ):
            sizes.append(len(text.encode()) + len(html.encode()))
    seconds = time.perf_counter() - started
    return {
        "messages": len(deliveries),
        "seconds": round(seconds, 2),
        "ms_per_message": round(1000 * seconds / max(len(deliveries), 1), 2),
        "median_kb": round(sorted(sizes)[len(sizes) // 2] / 1024, 1) if sizes else 0,
    }


class CountingHandler:
    """aiosmtpd's handler: accepts every message and counts it."""

    def __init__(self, received) -> None:
        self.received = received

    async def handle_DATA(self, server, session, envelope):
        with self.received.get_lock():
            self.received.value += 1
        return "250 Message accepted for delivery"


def _serve(port: int, received, ready, stop) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(CountingHandler(received), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


@contextlib.contextmanager
def smtp_server(port: int):
    """An aiosmtpd server on 127.0.0.1 in a process of its own (in this one it would
    take the sender's interpreter lock); yields the count of messages received."""
    context = multiprocessing.get_context("fork")
    received, ready, stop = context.Value("i", 0), context.Event(), context.Event()
    server = context.Process(target=_serve, args=(port, received, ready, stop), daemon=True)
    server.start()
    try:
        if not ready.wait(30):
            raise RuntimeError("the SMTP server did not start in 30 s")
        yield received
    finally:
        stop.set()
        server.join(10)


def _sending_rounds(size: int, *, rate: float, port: int) -> tuple[int, float]:
    """The portal's own sender (``following.sending.send_round``, its claims and its
    pacing) at ``FOLLOWING_SEND_RATE = rate`` against the server on ``port``, until
    ``size`` messages went out; how many, and in how many seconds."""
    from django.test.utils import override_settings

    from following import sending

    smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }
    sent, started = 0, time.perf_counter()
    with override_settings(**smtp, FOLLOWING_SEND_RATE=rate):
        while sent < size:
            report = sending.send_round(limit=min(sending.batch_size(), size - sent))
            if not report.claimed:
                break
            sent += report.sent
    return sent, time.perf_counter() - started


def timed_sending(size: int, *, rate: float, port: int) -> dict:
    """``size`` digests sent by the portal's sender, paced to ``rate`` messages a
    second, to a local aiosmtpd server; then a tenth as many unpaced, for what the
    sender can do at most on this machine."""
    with smtp_server(port) as received:
        sent, seconds = _sending_rounds(size, rate=rate, port=port)
        deadline = time.monotonic() + 10
        while received.value < sent and time.monotonic() < deadline:
            time.sleep(0.05)
        count = received.value
        unpaced, unpaced_seconds = _sending_rounds(max(size // 10, 1), rate=1e6, port=port)
    return {
        "messages": sent,
        "received": count,
        "configured_rate": rate,
        "achieved_rate": round(sent / seconds, 1) if seconds else 0.0,
        # What the sender manages unpaced: claiming, composing, SMTP and the records.
        "capacity_rate": round(unpaced / unpaced_seconds, 1) if unpaced_seconds else 0.0,
        "seconds": round(seconds, 2),
    }


def run(options: dict) -> dict:
    """The measured run on a filled database."""
    from django.db import connection

    from following.models import Reader, Subscription

    into_yesterday(dt.datetime.now(dt.UTC))
    build = timed_build()
    made = sum(build["made"].values())
    lengths = [len(ids) for ids in _article_counts()]
    memory = traced_build() if options["trace"] else None
    return {
        "database": connection.vendor,
        "readers": Reader.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "build": build,
        "digests": made,
        "articles_per_digest": {
            "mean": round(sum(lengths) / max(len(lengths), 1), 1),
            "max": max(lengths, default=0),
        },
        "traced": memory,
        "render": timed_rendering(options["sample"]),
        "send": timed_sending(options["sample"], rate=options["rate"], port=options["port"]),
    }


def _article_counts():
    from following.models import Delivery

    return Delivery.objects.values_list("article_ids", flat=True).iterator(chunk_size=BATCH)
