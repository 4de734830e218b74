"""The SMTP relay's settings, with the password read only when it is needed.

The password comes from `$SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD` or from the file named by the
`smtp_password_file` setting (readable by the collector's user only); never from the database,
never logged, and never held in the settings object.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path

from school_audit.collector.settings import ENV_PREFIX, CollectorSettings

PASSWORD_VARIABLE = ENV_PREFIX + "SMTP_PASSWORD"


class MailNotConfigured(ValueError):
    """The settings do not allow sending mail; the message says which one to set."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # starttls | tls | none
    username: str
    password_file: Path | None
    ca_file: Path | None
    timeout: float
    sender: str  # the bare address for MAIL FROM
    from_header: str  # as written, with a display name if given
    reply_to: str

    @classmethod
    def from_settings(cls, settings: CollectorSettings) -> SmtpConfig:
        if not settings.smtp_host:
            raise MailNotConfigured("set SCHOOL_AUDIT_COLLECTOR_SMTP_HOST to the LA's mail relay")
        sender = bare_address(settings.mail_from)
        if not sender:
            raise MailNotConfigured(
                "set SCHOOL_AUDIT_COLLECTOR_MAIL_FROM to the address mail is sent from"
            )
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password_file=settings.smtp_password_file,
            ca_file=settings.smtp_ca_file,
            timeout=settings.smtp_timeout_seconds,
            sender=sender,
            from_header=settings.mail_from,
            reply_to=settings.mail_reply_to,
        )

    def password(self) -> str:
        """The login password, read now (a rotated secret file is picked up without a restart)."""
        if self.password_file is not None:
            try:
                return self.password_file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise MailNotConfigured(
                    f"the SMTP password file {self.password_file} cannot be read "
                    f"({error.strerror or error})"
                ) from None
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise MailNotConfigured(
                f"a login is set (SMTP_USERNAME) but no password: set {PASSWORD_VARIABLE} or "
                "SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD_FILE"
            )
        return password

    def tls_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.ca_file is not None:
            context.load_verify_locations(cafile=str(self.ca_file))
        return context


def bare_address(text: str) -> str:
    """'Safeguarding <sg@county.gov.uk>' -> 'sg@county.gov.uk'; '' for anything not an address."""
    _name, address = parseaddr(text or "")
    return address if is_address(address) else ""


def checked_address(text: str) -> str:
    """For request bodies: the address, or a ValueError that says it is not one."""
    if not is_address(text):
        raise ValueError("not an email address")
    return text


def is_address(text: str) -> bool:
    """A plausible single mailbox (the relay has the last word; this catches typing slips)."""
    if not text or any(ch in text for ch in ' ,;<>"\r\n\t') or text.count("@") != 1:
        return False
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):  # "@x.uk" raises HeaderParseError
        return False
    return bool(address.username) and "." in address.domain
