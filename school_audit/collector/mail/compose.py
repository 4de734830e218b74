"""Turning a queued row into the message bytes: Jinja2 templates, plain text plus HTML.

The LA can edit every template: a file of the same name in the templates folder
(`mail_templates_dir`, by default `mail-templates` in the data folder) wins over the bundled one
in `collector/mail/templates/`. Each kind of message has three files: `KIND.subject.txt`,
`KIND.txt` and `KIND.html`. Templates get facts only (names, dates, the cycle, a link): a queued
row never holds answer text, a child's data or a token, so no template can show one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from school_audit.collector.mail.config import bare_address
from school_audit.collector.settings import CollectorSettings

BUNDLED = Path(__file__).parent / "templates"


class TemplateProblem(ValueError):
    """A mail template (often an LA's edited copy) cannot be rendered; names the file."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str = "application"
    subtype: str = "pdf"


def long_date(value: object) -> str:
    """ISO date (or date) -> '13 February 2026'; anything else as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return str(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def environment(settings: CollectorSettings) -> Environment:
    loaders = [
        FileSystemLoader(str(settings.resolved_mail_templates_dir)),
        FileSystemLoader(str(BUNDLED)),
    ]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    return env


def render_parts(env: Environment, kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of one message."""
    parts = []
    for suffix in ("subject.txt", "txt", "html"):
        name = f"{kind}.{suffix}"
        try:
            parts.append(env.get_template(name).render(context))
        except TemplateError as error:
            raise TemplateProblem(f"mail template {name}: {error}") from None
    subject = " ".join(parts[0].split())
    return subject, parts[1], parts[2]


def build_message(
    settings: CollectorSettings,
    *,
    kind: str,
    context: dict[str, Any],
    message_id: str,
    to_address: str,
    when: datetime,
    attachments: tuple[Attachment, ...] = (),
) -> bytes:
    """The whole message as bytes, ready for the relay and kept for any resend."""
    full = {**context, "la_name": settings.la_name, "link": settings.mail_link}
    subject, text, html = render_parts(environment(settings), kind, full)
    message = EmailMessage(policy=SMTP)
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(when)
    message["From"] = settings.mail_from or bare_address(settings.mail_from)
    message["To"] = to_address
    if settings.mail_reply_to:
        message["Reply-To"] = settings.mail_reply_to
    message["Subject"] = subject
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay quiet
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for item in attachments:
        message.add_attachment(
            item.content, maintype=item.maintype, subtype=item.subtype, filename=item.filename
        )
    return message.as_bytes()
