"""Triage notes: an officer marks a triage item contacted, with a note and a follow-up date.

An item is "in hand" while its newest note's follow-up date has not passed (or the note set no
date); the triage list hides those unless asked, and shows them again on the follow-up day.
Every note is written to the audit log with the setting's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, Establishment, TriageNote

MAX_NOTE = 2000


class NoteRefused(ValueError):
    """The note could not be saved; the message says why in plain words."""


@dataclass(frozen=True)
class NoteForm:
    urn: str
    note: str
    follow_up_on: date | None


def read_form(values: dict[str, str], today: date) -> NoteForm:
    note = values.get("note", "").strip()
    if not note:
        raise NoteRefused("Write what was agreed with the setting (a short note).")
    if len(note) > MAX_NOTE:
        raise NoteRefused(f"The note is too long: keep it under {MAX_NOTE} characters.")
    follow_up = None
    text = values.get("follow_up_on", "").strip()
    if text:
        try:
            follow_up = date.fromisoformat(text)
        except ValueError:
            raise NoteRefused("Give the follow-up date as a date, e.g. 2026-11-21.") from None
        if follow_up < today:
            raise NoteRefused("The follow-up date is in the past: choose today or a later day.")
    return NoteForm(values.get("urn", "").strip(), note, follow_up)


def add_note(session: Session, cycle: str, form: NoteForm, author: str) -> TriageNote:
    place = session.get(Establishment, form.urn)
    if place is None:
        raise NoteRefused("That setting is not in the register.")
    row = TriageNote(
        cycle=cycle, urn=form.urn, note=form.note, follow_up_on=form.follow_up_on, author=author
    )
    session.add(row)
    follow_up = form.follow_up_on.isoformat() if form.follow_up_on else "none"
    session.add(
        AuditLogEntry(
            actor=author,
            action="triage.contacted",
            target=f"{cycle}/{form.urn}",
            detail=f"{place.name}: marked contacted; follow-up {follow_up}",
        )
    )
    return row


def latest_notes(session: Session, cycle: str) -> dict[str, TriageNote]:
    """Each setting's newest note in the cycle."""
    rows = session.scalars(
        select(TriageNote).where(TriageNote.cycle == cycle).order_by(TriageNote.id)
    )
    return {row.urn: row for row in rows}


def in_hand(note: TriageNote | None, today: date) -> bool:
    return note is not None and (note.follow_up_on is None or note.follow_up_on > today)


def notes_for(session: Session, urn: str) -> list[TriageNote]:
    query = select(TriageNote).where(TriageNote.urn == urn).order_by(TriageNote.id.desc())
    return list(session.scalars(query))
