"""A real SMTP server for tests (aiosmtpd on a free loopback port) that keeps what arrives.

`refuse` maps an address to the reply its RCPT gets, e.g. "550 5.1.1 No such mailbox here".
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Arrived:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Inbox:
    arrived: list[Arrived] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.arrived.append(
                Arrived(envelope.mail_from, tuple(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Arrived]:
        return [item for item in self.arrived if address in item.rcpt_tos]


class SmtpServer:
    def __init__(
        self,
        *,
        login: tuple[str, str] | None = None,
        tls_context: Any = None,  # offers STARTTLS
        ssl_context: Any = None,  # implicit TLS from the first byte
    ) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.logins: list[str] = []
        kwargs: dict[str, Any] = {}
        if login is not None:
            kwargs.update(authenticator=self._authenticator(login), auth_required=True,
                          auth_require_tls=tls_context is not None)  # (aiosmtpd cannot tell implicit TLS)  # fmt: skip
        if tls_context is not None:
            kwargs["tls_context"] = tls_context
        if ssl_context is not None:
            kwargs["ssl_context"] = ssl_context
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)

    def _authenticator(self, login: tuple[str, str]) -> Any:
        def check(
            server: Any, session: Any, envelope: Any, mechanism: str, data: Any
        ) -> AuthResult:
            ok = (
                isinstance(data, LoginPassword)
                and (data.login.decode(), data.password.decode()) == login
            )
            if ok:
                self.logins.append(data.login.decode())
            return AuthResult(success=ok, handled=False)

        return check

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
