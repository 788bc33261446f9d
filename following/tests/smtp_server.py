"""A real SMTP server on 127.0.0.1 for the tests of readers' mail (the ``smtp_server`` fixture).

aiosmtpd runs it in a thread of its own. It keeps every message it accepts, parsed
with the standard library's ``email`` package, and can be told, for every
recipient or one, to refuse with a code of choice (at RCPT or after DATA), to
drop the connection, or to say nothing for a while (a server that hangs).
Each rule applies ``times`` times (None: for good), so a test can refuse a
message once and accept it on the next round.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass
class Rule:
    action: str  # "refuse", "drop" or "stall"
    to: str | None  # None: every recipient
    stage: str = "data"  # "rcpt" or "data"
    answer: str = ""
    seconds: float = 0.0
    times: int | None = 1

    def applies(self, recipients: list[str], stage: str) -> bool:
        wanted = self.to is None or self.to.lower() in (r.lower() for r in recipients)
        return wanted and self.stage == stage and (self.times is None or self.times > 0)

    def use(self) -> None:
        if self.times is not None:
            self.times -= 1


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class Handler:
    """aiosmtpd's handler: the rules, and what was received."""

    rules: list[Rule] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: threading.Event = field(default_factory=threading.Event)

    def rule_for(self, recipients: list[str], stage: str) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if rule.applies(recipients, stage):
                    rule.use()
                    return rule
        return None

    async def obey(self, server, rule: Rule | None, ok: str) -> str:
        if rule is None:
            return ok
        if rule.action == "drop":
            server.transport.close()
            return "421 4.4.2 connection dropped"  # never reaches the client
        if rule.action == "stall":
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, rule.seconds)
            return ok
        return rule.answer

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = await self.obey(server, self.rule_for([address], "rcpt"), "250 OK")
        if answer.startswith("250"):
            envelope.rcpt_tos.append(address)
        return answer

    async def handle_DATA(self, server, session, envelope):
        rule = self.rule_for(envelope.rcpt_tos, "data")
        answer = await self.obey(server, rule, "250 2.0.0 Ok: queued as T35T")
        if answer.startswith("250") and not server.transport.is_closing():
            parsed = email.message_from_bytes(
                envelope.original_content, policy=email.policy.default
            )
            with self.lock:
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return answer


class SMTPServer:
    """The server and what a test tells it."""

    def __init__(self):
        self.handler = Handler()
        self.controller = start_controller(self.handler)
        self.port = self.controller.port
        self.host = HOST

    @property
    def messages(self) -> list[EmailMessage]:
        with self.handler.lock:
            return [received.message for received in self.handler.received]

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def add(self, rule: Rule) -> None:
        with self.handler.lock:
            self.handler.rules.append(rule)

    def refuse(self, answer: str, *, to=None, stage="data", times: int | None = 1) -> None:
        """Answer ``answer`` («451 4.3.0 Try again later») instead of accepting."""
        self.add(Rule("refuse", to, stage=stage, answer=answer, times=times))

    def drop(self, *, to=None, stage="data", times: int | None = 1) -> None:
        """Close the connection without an answer."""
        self.add(Rule("drop", to, stage=stage, times=times))

    def stall(self, seconds: float, *, to=None, stage="data", times: int | None = 1) -> None:
        """Say nothing for ``seconds`` (or until the test ends), then accept."""
        self.add(Rule("stall", to, stage=stage, seconds=seconds, times=times))

    def stop(self) -> None:
        self.handler.released.set()
        self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_controller(handler: Handler) -> Controller:
    """aiosmtpd on a free port (it cannot be given port 0: it connects to itself to
    see that it is up); another process may take the port in between, so try again."""
    for _ in range(5):
        controller = Controller(handler, hostname=HOST, port=free_port(), ready_timeout=10)
        try:
            controller.start()
        except (OSError, RuntimeError):
            continue
        return controller
    raise RuntimeError("no free port for the test SMTP server on 127.0.0.1")
