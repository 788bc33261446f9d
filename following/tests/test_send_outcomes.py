"""What each kind of SMTP failure means: final, worth a retry, or a lost connection."""

from __future__ import annotations

import smtplib

from following.smtp_outcomes import classify, tidy


def test_a_refused_sender_with_5xx_is_final():
    verdict = classify(smtplib.SMTPSenderRefused(553, b"5.7.1 Sender not allowed", "news@x"))
    assert verdict.final and verdict.answer == "553 5.7.1 Sender not allowed"


def test_a_refused_message_with_4xx_is_retried():
    verdict = classify(smtplib.SMTPDataError(452, b"4.3.1 Insufficient system storage"))
    assert not verdict.final and not verdict.connection_lost


def test_a_recipient_refused_for_now_is_retried():
    error = smtplib.SMTPRecipientsRefused({"a@mail.example.org": (450, b"4.2.1 Mailbox busy")})
    verdict = classify(error)
    assert not verdict.final and verdict.answer == "450 4.2.1 Mailbox busy"


def test_a_refused_login_is_retried_on_a_new_connection():
    verdict = classify(smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"))
    assert not verdict.final and verdict.connection_lost


def test_a_reset_connection_is_retried_on_a_new_one():
    verdict = classify(ConnectionResetError(104, "Connection reset by peer"))
    assert not verdict.final and verdict.connection_lost


def test_answers_are_one_line_without_addresses():
    answer = tidy("550-5.1.1 The email account that you tried\n550 5.1.1 to reach: x@y.example")
    assert answer == "550-5.1.1 The email account that you tried 550 5.1.1 to reach: <адрес>"
