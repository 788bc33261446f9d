"""What a mail server's answer means for a message: sent, try again later, or give up.

SMTP's reply codes say it: 2xx accepted, 4xx a temporary refusal (try again),
5xx a permanent one (the address does not exist, the message is refused). A lost
connection, a timeout or a refused connection is temporary too: the server may be
back in a minute. The answers are kept in the delivery record and shown in the
admin's lists, so an address the server repeats in its answer is taken out.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass

# «550 5.1.1 <reader@example.org>: Recipient address rejected» must not show the address.
ADDRESS = re.compile(r"<?[^\s<>\"'()\[\],;:]+@[^\s<>\"'()\[\],;:]+>?")
MAX_ANSWER = 500


@dataclass(frozen=True)
class Verdict:
    """What happened to one message: ``accepted`` by the server, or refused; ``final``
    refusals are not tried again, and a ``connection_lost`` one means the next message
    needs a new connection."""

    answer: str
    accepted: bool = False
    final: bool = False
    connection_lost: bool = False


def accepted(answer: str = "") -> Verdict:
    return Verdict(tidy(answer), accepted=True)


def tidy(answer: str) -> str:
    """The server's answer on one line, without addresses, short enough for a list."""
    one_line = " ".join(answer.split())
    return ADDRESS.sub("<адрес>", one_line)[:MAX_ANSWER]


def reply(code: int, message: bytes | str) -> str:
    """«451 4.3.0 Try again later» from smtplib's code and message."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return tidy(f"{code} {text}")


def code_verdict(code: int, message: bytes | str) -> Verdict:
    """A refusal with a reply code: 5xx is final; 4xx, and codes smtplib makes up
    (-1: the server said nothing readable), are worth another try."""
    return Verdict(reply(code, message), final=500 <= code < 600)


def recipients_verdict(error: smtplib.SMTPRecipientsRefused) -> Verdict:
    # One recipient per message here: its refusal is the message's.
    refusals = list(error.recipients.values()) or [(-1, b"")]
    code, message = refusals[0]
    return code_verdict(code, message)


def classify(error: BaseException, *, timeout: float | None = None) -> Verdict:
    """The verdict on a message whose sending raised ``error``."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return recipients_verdict(error)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        # smtplib reports a wait that timed out as a disconnection caused by it.
        if isinstance(error.__context__, TimeoutError):
            return classify(error.__context__, timeout=timeout)
        return Verdict("соединение разорвано сервером", connection_lost=True)
    if isinstance(error, smtplib.SMTPResponseException):
        # A refused greeting, HELO or login leaves the connection unusable.
        lost = isinstance(
            error,
            (smtplib.SMTPConnectError, smtplib.SMTPHeloError, smtplib.SMTPAuthenticationError),
        )
        verdict = code_verdict(error.smtp_code, error.smtp_error)
        return Verdict(verdict.answer, final=verdict.final and not lost, connection_lost=lost)
    if isinstance(error, TimeoutError):
        waited = f" за {timeout:g} с" if timeout else ""
        return Verdict(f"сервер не ответил{waited}", connection_lost=True)
    if isinstance(error, ssl.SSLError):
        return Verdict(tidy(f"ошибка TLS: {error}"), connection_lost=True)
    if isinstance(error, ConnectionRefusedError):
        return Verdict("сервер не принимает соединений", connection_lost=True)
    if isinstance(error, (OSError, smtplib.SMTPException)):
        return Verdict(tidy(f"ошибка соединения: {error}"), connection_lost=True)
    raise TypeError(f"not a sending error: {error!r}")
