"""Fixtures of the following app's tests: the local SMTP server mail is sent through."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from following.tests.smtp_server import SMTPServer


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPServer]:
    """A real SMTP server on 127.0.0.1 (a free port), with Django's SMTP backend
    pointed at it, plain text, a short timeout so a hanging server is noticed fast,
    and no pacing to speak of; stopped, with any stalled answer released, at teardown."""
    # aiosmtpd logs every command, addresses included: only its complaints here.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SMTPServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.host, server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.FOLLOWING_SEND_RATE = 1000
    yield server
    server.stop()
