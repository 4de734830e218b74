"""Who gets which reminder today, and why; and sending them, once per step.

For each setting expected to return (open, of a kind the cycle has a template for, not exempt)
that has not returned, the step due most recently (on or before today) is the one to take; if it
was taken already, nothing is sent. A setting that has returned, is exempt or is closed is never
reminded; one whose return was sent back for changes gets its own wording. Taking a step writes
a `reminders_sent` row (unique per setting, step and day) and its messages in one transaction,
so running `remind` twice, or in two processes at once, sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from school_audit.collector.cycles import CycleInfo, cycle_info, expected_establishments
from school_audit.collector.db import Database
from school_audit.collector.db.tables import Establishment, Exemption, ReminderSent, Submission
from school_audit.collector.mail.contacts import ROLE_LABELS, Recipient, recipients
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.mail.schedule import Step, schedule_for

RETURNED_STATES = {"received", "accepted", "quarantined"}


@dataclass(frozen=True)
class PlannedReminder:
    urn: str
    name: str
    step: Step
    due_on: date
    wording: str  # not_returned | returned_for_changes
    recipients: tuple[Recipient, ...]
    why: str


@dataclass(frozen=True)
class NotReminded:
    urn: str
    name: str
    reason: str


@dataclass
class ReminderPlan:
    cycle: str
    today: date
    planned: list[PlannedReminder] = field(default_factory=list)
    not_reminded: list[NotReminded] = field(default_factory=list)


def return_states(session: Session, cycle: str) -> dict[str, str]:
    """urn -> the status of its newest current (not superseded) return."""
    rows = session.execute(
        select(Submission.urn, Submission.status)
        .where(Submission.cycle == cycle, Submission.status != "superseded")
        .order_by(Submission.received_at)
    ).all()
    return {urn: status for urn, status in rows}


def plan_reminders(session: Session, cycle: str, today: date) -> ReminderPlan:
    info = cycle_info(session, cycle)
    plan = ReminderPlan(cycle, today)
    if info.first_deadline is None or info.final_deadline is None or not info.is_open:
        plan.not_reminded.append(NotReminded("", "", "the cycle is closed or has no deadlines"))
        return plan
    steps = schedule_for(session, cycle)
    states = return_states(session, cycle)
    taken = _taken(session, cycle)
    for place in expected_establishments(session, cycle):
        outcome = _plan_one(session, info, steps, place, states.get(place.urn), taken, today)
        if isinstance(outcome, PlannedReminder):
            plan.planned.append(outcome)
        else:
            plan.not_reminded.append(outcome)
    for urn, name, reason in session.execute(
        select(Exemption.urn, Establishment.name, Exemption.reason)
        .join(Establishment, Establishment.urn == Exemption.urn)
        .where(Exemption.cycle == cycle)
    ):
        plan.not_reminded.append(NotReminded(urn, name, f"exempt: {reason}"))
    return plan


def _taken(session: Session, cycle: str) -> set[tuple[str, str, date]]:
    rows = session.execute(
        select(ReminderSent.urn, ReminderSent.step, ReminderSent.due_on).where(
            ReminderSent.cycle == cycle
        )
    )
    return {(urn, step, due_on) for urn, step, due_on in rows}


def _plan_one(
    session: Session,
    info: CycleInfo,
    steps: tuple[Step, ...],
    place: Establishment,
    state: str | None,
    taken: set[tuple[str, str, date]],
    today: date,
) -> PlannedReminder | NotReminded:
    if state in RETURNED_STATES:
        return NotReminded(place.urn, place.name, f"returned (status {state})")
    assert info.first_deadline is not None and info.final_deadline is not None
    due = [(day, step) for step in steps for day in step.dates(info.first_deadline, info.final_deadline)
           if day <= today]  # fmt: skip
    if not due:
        return NotReminded(place.urn, place.name, "no reminder due yet")
    due_on, step = max(due, key=lambda item: item[0])
    if (place.urn, step.key, due_on) in taken:
        return NotReminded(place.urn, place.name, f"already reminded ({step.key}, {due_on})")
    found = tuple(recipients(session, place.urn, step.to))
    missing = [ROLE_LABELS[role] for role in step.to if role not in {r.role for r in found}]
    if not found:
        return NotReminded(
            place.urn, place.name, "no usable address on file for " + " or ".join(missing)
        )
    wording = "returned_for_changes" if state == "returned" else "not_returned"
    why = "returned for changes, no new revision yet" if state == "returned" else "no return yet"
    why += f"; step {step.key} due {due_on}"
    if missing:
        why += "; no usable address for " + ", ".join(missing)
    return PlannedReminder(place.urn, place.name, step, due_on, wording, found, why)


def send_reminders(database: Database, cycle: str, today: date) -> list[PlannedReminder]:
    """Take every step due today; returns those taken now (not those another run took)."""
    with database.read() as session:
        plan = plan_reminders(session, cycle, today)
        info = cycle_info(session, cycle)
    sent = []
    for item in plan.planned:
        try:
            with database.write() as session:
                _take(session, info, item, today)
        except IntegrityError:  # another run took this step a moment ago
            continue
        sent.append(item)
    return sent


def _take(session: Session, info: CycleInfo, item: PlannedReminder, today: date) -> None:
    session.add(ReminderSent(
        cycle=info.cycle, urn=item.urn, step=item.step.key, due_on=item.due_on,
        wording=item.wording, recipients=", ".join(f"{r.role}:{r.email}" for r in item.recipients),
    ))  # fmt: skip
    session.flush()  # the unique key is checked before any message is queued
    deadline = info.first_deadline if item.step.anchor == "first" else info.final_deadline
    assert deadline is not None
    facts = {
        "establishment_name": item.name, "urn": item.urn, "cycle": info.cycle,
        "wording": item.wording, "deadline": deadline.isoformat(),
        "deadline_label": f"{item.step.anchor} deadline",
        "final_deadline": info.final_deadline.isoformat() if info.final_deadline else "",
        "days_left": (deadline - today).days, "escalated": len(item.recipients) > 1,
        "recipients_text": _and([ROLE_LABELS[r.role] for r in item.recipients]),
    }  # fmt: skip
    for recipient in item.recipients:
        enqueue(session, "reminder", recipient, facts, urn=item.urn, cycle=info.cycle)


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def reminder_history(session: Session, urn: str, cycle: str | None = None) -> list[ReminderSent]:
    query = select(ReminderSent).where(ReminderSent.urn == urn).order_by(ReminderSent.sent_at)
    if cycle:
        query = query.where(ReminderSent.cycle == cycle)
    return list(session.scalars(query))
