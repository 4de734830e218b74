"""Files that go with a kind of message, built when the message's bytes are fixed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from school_audit.collector.mail.compose import Attachment, TemplateProblem
from school_audit.collector.settings import CollectorSettings


def for_message(
    session: Session, settings: CollectorSettings, kind: str, context: dict[str, Any]
) -> tuple[Attachment, ...]:
    if kind != "feedback_letter":
        return ()
    from school_audit.collector.letters import LetterError, letter_attachment  # ReportLab: lazily

    try:
        return (letter_attachment(session, settings, context["submission_id"]),)
    except LetterError as error:  # the message waits, like one whose template is broken
        raise TemplateProblem(f"feedback letter: {error}") from None
