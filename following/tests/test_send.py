"""Messages sent through a real SMTP server: what arrives, and the record of it."""

from __future__ import annotations

import time

import pytest

from following import sending
from following.mail import compose as composing
from following.models import Delivery
from following.tests.send_factories import DeliveryFactory, DigestDeliveryFactory

TEXT = "Новое о компаниях, за которыми вы следите.\n"
HTML = "<p>Новое о компаниях, за которыми вы следите.</p>"


@pytest.fixture
def stand_in_digest(monkeypatch):
    """A digest's text of our own: what a digest says is tested with the digests;
    here, how any message is sent."""
    monkeypatch.setitem(
        composing.RENDERERS, Delivery.Kind.DAILY, lambda delivery: ("Подборка", TEXT, HTML)
    )


def test_a_digest_arrives_with_its_headers_and_both_parts(
    db, smtp_server, stand_in_digest, settings
):
    settings.SITE_URL = "https://news.example.org"
    settings.DEFAULT_FROM_EMAIL = "Новости промышленности <news@news.example.org>"
    delivery = DigestDeliveryFactory(reader__email="aigerim@mail.example.org")

    assert sending.send_due() == 1

    [message] = smtp_server.messages
    assert message["To"] == "aigerim@mail.example.org"
    assert message["From"].addresses[0].addr_spec == "news@news.example.org"
    assert message["From"].addresses[0].display_name == "Новости промышленности"
    assert message["Message-ID"]
    # A long header is folded onto a second line: unfolded, it starts with a space.
    unsubscribe = message["List-Unsubscribe"].strip()
    assert unsubscribe.startswith("<https://news.example.org/follow/unsubscribe/")
    assert "aigerim" not in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == TEXT
    assert message.get_body(("html",)).get_content().strip() == HTML
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_a_sent_record_keeps_the_servers_answer_and_times(db, smtp_server):
    delivery = DeliveryFactory()

    sending.send_due()

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.last_response == "250 2.0.0 Ok: queued as T35T"
    assert delivery.attempts == 1
    assert delivery.sent_at is not None and delivery.claimed_until is None


def test_one_connection_carries_the_batch(db, smtp_server, monkeypatch):
    opened = []
    open_connection = sending.get_connection
    monkeypatch.setattr(
        sending, "get_connection", lambda **kw: opened.append(1) or open_connection(**kw)
    )
    DeliveryFactory.create_batch(4)

    assert sending.send_due() == 4
    assert len(opened) == 1 and len(smtp_server.messages) == 4


def test_a_round_takes_a_batch_and_the_next_round_the_rest(db, smtp_server, settings):
    settings.FOLLOWING_BATCH_SIZE = 3
    DeliveryFactory.create_batch(5)

    assert sending.send_round().claimed == 3
    assert sending.send_round().claimed == 2
    assert sending.send_round().claimed == 0
    assert len(smtp_server.messages) == 5


def test_a_sent_message_is_never_sent_again(db, smtp_server):
    DeliveryFactory()
    sending.send_due()

    assert sending.send_due() == 0
    assert len(smtp_server.messages) == 1


def test_sending_keeps_to_the_rate(db, smtp_server, settings):
    settings.FOLLOWING_SEND_RATE = 50
    DeliveryFactory.create_batch(5)

    started = time.monotonic()
    sending.send_due()
    elapsed = time.monotonic() - started

    # Four gaps of 1/50 s at least between five messages.
    assert elapsed >= 4 / 50
    assert len(smtp_server.messages) == 5


def test_logs_name_the_reader_never_the_address(db, smtp_server, caplog):
    delivery = DeliveryFactory(reader__email="bakyt@mail.example.org")
    smtp_server.refuse("550 5.1.1 <bakyt@mail.example.org>: no such user", stage="rcpt")

    with caplog.at_level("INFO", logger="following.sending"):
        sending.send_due()

    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("following"))
    assert delivery.reader.log_name in ours
    assert "bakyt" not in ours


def test_without_a_mail_server_a_round_writes_its_messages_into_one_file(db, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    first, second = DeliveryFactory.create_batch(2)

    assert sending.send_due() == 2

    [written] = list(tmp_path.glob("*.log"))
    text = written.read_text()
    assert f"To: {first.reader.email}" in text and f"To: {second.reader.email}" in text
    first.refresh_from_db()
    assert first.status == Delivery.Status.SENT and first.last_response == ""


class FakeClock:
    """``time.monotonic`` and ``time.sleep`` of the sender, on a clock of our own."""

    def __init__(self, monkeypatch):
        self.now, self.slept = 5000.0, []
        monkeypatch.setattr(sending.time, "monotonic", lambda: self.now)
        monkeypatch.setattr(sending.time, "sleep", self.sleep)

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_the_pace_makes_up_for_a_slow_message_so_the_rate_is_reached(monkeypatch):
    clock = FakeClock(monkeypatch)
    pace = sending.Pace(10)  # one message every 0.1 s

    pace.wait()  # the first leaves at once
    clock.now += 0.15  # it took longer than its share
    pace.wait()  # the second is late: it leaves at once
    clock.now += 0.01
    pace.wait()  # the third keeps the schedule (0.2 s after the first), not 0.1 s after the second

    assert clock.slept == [0.04]


def test_the_pace_never_bursts_after_a_stall(monkeypatch):
    clock = FakeClock(monkeypatch)
    pace = sending.Pace(10)
    pace.wait()
    clock.now += 60  # a minute without sending

    for _ in range(6):
        pace.wait()

    # Three leave at once (the one due now and CATCH_UP's two made up), then one every 0.1 s.
    assert [seconds for seconds in clock.slept if seconds > 0.001] == [0.1, 0.1, 0.1]
