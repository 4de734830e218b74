"""Feedback letters: preview one as a PDF, send them in bulk once a batch is reviewed."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy import select

from school_audit.collector.cli.common import CommandError, friendly, open_database, settings_from
from school_audit.collector.cli.remind_commands import CYCLE_HELP, _cycle
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    group = commands.group("letters", "Feedback letters to settings after review.")
    preview = group.command("preview", "Write one setting's feedback letter as a PDF.")
    preview.add_argument("urn")
    preview.add_argument("--cycle", help=CYCLE_HELP)
    preview.add_argument("-o", "--output", type=Path, required=True)
    preview.set_defaults(handler=friendly(run_preview))
    send = group.command("send", "Queue a letter for every accepted return that has none yet.")
    send.add_argument("--cycle", help=CYCLE_HELP)
    send.add_argument("--urn", help="only this setting")
    send.set_defaults(handler=friendly(run_send))


def run_preview(args: argparse.Namespace) -> int:
    from school_audit.collector.db.tables import Submission
    from school_audit.collector.letters import LetterError, letter_for
    from school_audit.reports.feedback_letter import build_feedback_letter

    with open_database(args).read() as session:
        cycle = _cycle(session, args.cycle)
        submission_id = session.scalar(
            select(Submission.submission_id)
            .where(Submission.urn == args.urn.strip(), Submission.cycle == cycle)
            .where(Submission.status.in_(["accepted", "returned"]))
            .order_by(Submission.received_at.desc())
            .limit(1)
        )
        if submission_id is None:
            raise CommandError(f"{args.urn} has no reviewed return in {cycle}")
        try:
            letter = letter_for(session, submission_id, settings_from(args).la_name)
        except LetterError as error:
            raise CommandError(str(error)) from None
    args.output.write_bytes(build_feedback_letter(letter))
    print(f"Wrote {args.output} ({letter.establishment_name}, {cycle}).")
    return 0


def run_send(args: argparse.Namespace) -> int:
    from school_audit.collector.letters import queue_letters

    with open_database(args).write() as session:
        cycle = _cycle(session, args.cycle)
        queued = queue_letters(session, cycle, "cli", args.urn)
    for urn, address in queued:
        print(f"{urn}: {address}")
    print(f"{len(queued)} letter(s) queued for {cycle}; `mail send` sends them.")
    return 0
