"""One SMTP conversation with the LA's relay (standard library smtplib).

Failures are sorted into two kinds the queue acts on: `TemporaryFailure` (the relay is down, busy,
4xx) is retried later; `PermanentFailure` (5xx, an unknown mailbox) is shown to the LA with the
address to fix. A login or TLS failure is temporary for the message (the settings are at fault, not
the address) but is reported as such.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from types import TracebackType

from school_audit.collector.mail.config import SmtpConfig


class SendFailure(Exception):
    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TemporaryFailure(SendFailure):
    """Try again later: nothing says the address is wrong."""


class PermanentFailure(SendFailure):
    """The relay refused this message for good (5xx): the address needs fixing."""


def _decode(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())[:300]


def _classify(code: int, reply: bytes | str, what: str) -> SendFailure:
    kind = PermanentFailure if 500 <= code < 600 else TemporaryFailure
    return kind(f"{what}: {code} {_decode(reply)}", code)


class SmtpTransport:
    """`with SmtpTransport(config) as smtp: smtp.send(raw, to)`; connects on first send."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, raw: bytes, to_address: str) -> None:
        """Hand one message to the relay; returns only once the relay has accepted it."""
        try:
            smtp = self._connection()
            smtp.sendmail(self.config.sender, [to_address], raw)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _classify(code, reply, f"the relay refused {to_address}") from None
        except smtplib.SMTPSenderRefused as error:
            self.close()
            raise _classify(
                error.smtp_code, error.smtp_error, "the relay refused the sender"
            ) from None
        except smtplib.SMTPDataError as error:
            raise _classify(
                error.smtp_code, error.smtp_error, "the relay refused the message"
            ) from None
        except smtplib.SMTPAuthenticationError as error:
            self.close()
            raise TemporaryFailure(
                f"the relay refused the login: {error.smtp_code}", error.smtp_code
            ) from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as error:
            self.close()
            raise TemporaryFailure(
                f"could not talk to {self.config.host}: {_describe(error)}"
            ) from None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            self._smtp = self._connect()
        return self._smtp

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        smtp: smtplib.SMTP
        if config.security == "tls":
            smtp = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=config.tls_context()
            )
        else:
            smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        try:
            smtp.ehlo()
            if config.security == "starttls":
                smtp.starttls(context=config.tls_context())
                smtp.ehlo()
            if config.username:
                smtp.login(config.username, config.password())
        except BaseException:
            _quietly_close(smtp)
            raise
        return smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            _quietly_close(smtp)


def _quietly_close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _describe(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "the host name is not known"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(error):
            return "the relay does not offer STARTTLS (check SMTP_SECURITY and SMTP_PORT)"
        if "AUTH" in str(error):
            return "the relay offers no login here (check SMTP_USERNAME and SMTP_SECURITY)"
    return f"{type(error).__name__}: {error}"[:300]
