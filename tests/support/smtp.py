"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it receives."""
from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    """Keeps every accepted message; can refuse the greeting, given recipients, or DATA instead.

    `after_receive(n)` runs once the n-th message is stored and before the server answers 250.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.refuse_with: str | None = None  # the answer to DATA
        self.refuse_hello: str | None = None  # the answer to EHLO and HELO
        self.refuse_recipients: dict[str, str] = {}  # address: the answer to its RCPT
        self.refuse_data_for: dict[str, str] = {}  # address: the answer to DATA of a message to it
        self.after_receive: Callable[[int], None] | None = None
        self.quits = 0

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]) -> list[str]:
        if self.refuse_hello:
            return [self.refuse_hello]
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server: Any, session: Any, envelope: Any, hostname: str) -> str:
        if self.refuse_hello:
            return self.refuse_hello
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_with:
            return self.refuse_with
        for address in envelope.rcpt_tos:
            if address in self.refuse_data_for:
                return self.refuse_data_for[address]
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        if self.after_receive is not None:
            self.after_receive(len(self.messages))
        return "250 Message accepted"

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        self.quits += 1
        return "221 Bye"


class _CountingController(Controller):
    """A controller whose sessions count the connections open right now."""

    def __init__(self, handler: RecordingHandler, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.open_connections = 0
        self._lock = threading.Lock()

    def factory(self) -> SMTP:
        controller = self

        class CountingSMTP(SMTP):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                with controller._lock:
                    controller.open_connections += 1
                super().connection_made(transport)

            def connection_lost(self, error: Exception | None) -> None:
                with controller._lock:
                    controller.open_connections -= 1
                super().connection_lost(error)

        return CountingSMTP(self.handler, **self.SMTP_kwargs)


class SmtpServer:
    """Start, stop, and read what an SMTP server on a fixed port received."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.handler = RecordingHandler()
        self._controller: _CountingController | None = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.handler.messages

    @property
    def open_connections(self) -> int:
        """Client connections the server holds open now."""
        return self._controller.open_connections if self._controller is not None else 0

    def start(self) -> None:
        self._controller = _CountingController(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
