"""Redaction commands: hide text in a return's free text, list what is hidden or suggested, undo.

The same rules as the dashboard's (school_audit.collector.redaction); the actor in the audit log
is "cli", as for the other commands.
"""

from __future__ import annotations

import argparse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from school_audit.collector import redaction
from school_audit.collector.cli.common import CommandError, friendly, open_database
from school_audit.collector.db.tables import Redaction
from school_audit.commands.registry import Commands
from school_audit.domain.dates import moment_text

ID_HELP = "the return's submission id (shown on the return page and in the returns export)"


def register(commands: Commands) -> None:
    redact = commands.command(
        "redact", "Hide text in a return's free text (every view and export shows [redacted])."
    )
    redact.add_argument("submission_id", help=ID_HELP)
    redact.add_argument(
        "--item", required=True, help="the standard (or local question) whose text holds it"
    )
    redact.add_argument("--text", required=True, help="the text to hide, exactly as shown")
    redact.add_argument("--reason", required=True, help='why, e.g. "child\'s name"')
    redact.set_defaults(handler=friendly(run_redact))
    listing = commands.command(
        "redactions", "List what is hidden in a return, and what the privacy check suggests."
    )
    listing.add_argument("submission_id", help=ID_HELP)
    listing.set_defaults(handler=friendly(run_list))
    undo = commands.command("unredact", "Undo one redaction (its number is in `redactions`).")
    undo.add_argument("submission_id", help=ID_HELP)
    undo.add_argument("redaction_id", type=int)
    undo.set_defaults(handler=friendly(run_undo))


def _submission_id(text: str) -> str:
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise CommandError(f"{text!r} is not a submission id (a UUID)") from None


@contextmanager
def _refusal_as_error() -> Iterator[None]:
    """A refused redaction (bad id, text not found, ...) is one plain error line, exit code 1."""
    try:
        yield
    except redaction.RedactionRefused as problem:
        raise CommandError(str(problem)) from None


def run_redact(args: argparse.Namespace) -> int:
    submission_id = _submission_id(args.submission_id)
    with _refusal_as_error(), open_database(args).write() as session:
        rows = redaction.redact_text(
            session, submission_id, args.item, args.text, args.reason, "cli"
        )
        done = [(row.id, _where(session, submission_id, row)) for row in rows]
    for number, where in done:
        print(f"Hidden #{number}: {where}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    submission_id = _submission_id(args.submission_id)
    with _refusal_as_error(), open_database(args).read() as session:
        envelope = redaction.stored_envelope(session, submission_id)
        rows = redaction.redactions_for(session, submission_id)
    labels = {(i.target, i.item_id): i.label for i in redaction.free_text_items(envelope)}
    for row in rows:
        where = labels.get((row.target, row.item_id), row.item_id)
        when = moment_text(row.redacted_at)
        print(f"#{row.id}  {where}  {row.start}-{row.end}  {row.reason}  by {row.reviewer} {when}")
    if not rows:
        print("Nothing is hidden in this return.")
    for found in redaction.suggestions(envelope, rows):
        print(f"Suggested: {found.item.label}: {found.excerpt!r} ({found.reason.lower()})")
    return 0


def run_undo(args: argparse.Namespace) -> int:
    submission_id = _submission_id(args.submission_id)
    with _refusal_as_error(), open_database(args).write() as session:
        redaction.remove_redaction(session, submission_id, args.redaction_id, "cli")
    print(f"Redaction #{args.redaction_id} undone: the text shows again.")
    return 0


def _where(session: Session, submission_id: str, row: Redaction) -> str:
    envelope = redaction.stored_envelope(session, submission_id)
    item = redaction.find_item(envelope, row.target, row.item_id)
    return f"{item.label if item else row.item_id}, characters {row.start}-{row.end}"
