"""A cycle's reminder schedule: steps set relative to its two deadlines, editable by the LA.

Each step says when (days before or after the first or the final deadline, once or every N days)
and to whom (the DSL, the head, the chair of governors). The default escalates: the DSL two weeks
before the first deadline and on it; the DSL and head weekly after it; all three at the final
deadline. A repeating step stops before the final deadline when it counts from the first one.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import AuditLogEntry, ReminderSchedule
from school_audit.collector.db.types import utc_now

Role = Literal["dsl", "head", "chair"]
MAX_REPEATS = 12  # a repeating step from the final deadline stops after this many


class ScheduleError(ValueError):
    """The schedule cannot be saved as given; the message says why."""


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z0-9_-]{1,64}$")
    anchor: Literal["first", "final"]
    offset_days: int = Field(ge=-120, le=120)  # negative: before the deadline
    to: tuple[Role, ...] = Field(min_length=1)
    repeat_days: int | None = Field(default=None, ge=1, le=60)

    @field_validator("to")
    @classmethod
    def _unique_roles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("a role is named twice")
        return value

    def dates(self, first: date, final: date) -> list[date]:
        """Every day this step is due, for a cycle with these deadlines."""
        start = (first if self.anchor == "first" else final) + timedelta(days=self.offset_days)
        if self.repeat_days is None:
            return [start]
        days: list[date] = []
        day = start
        while len(days) < MAX_REPEATS and (self.anchor == "final" or day < final):
            days.append(day)
            day += timedelta(days=self.repeat_days)
        return days


DEFAULT_STEPS: tuple[Step, ...] = (
    Step(key="two_weeks_before", anchor="first", offset_days=-14, to=("dsl",)),
    Step(key="first_deadline", anchor="first", offset_days=0, to=("dsl",)),
    Step(key="weekly_overdue", anchor="first", offset_days=7, to=("dsl", "head"), repeat_days=7),
    Step(key="final_deadline", anchor="final", offset_days=0, to=("dsl", "head", "chair")),
)
_STEPS = TypeAdapter(list[Step])


def parse_steps(text: str | bytes) -> tuple[Step, ...]:
    try:
        steps = _STEPS.validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ScheduleError(
            f"the schedule is not valid at {where or 'the top'}: {first['msg']}"
        ) from None
    keys = [step.key for step in steps]
    if not steps:
        raise ScheduleError("a schedule needs at least one step (to send no reminders, send none)")
    if len(set(keys)) != len(keys):
        raise ScheduleError("two steps have the same key")
    return tuple(steps)


def steps_json(steps: tuple[Step, ...]) -> str:
    return json.dumps([step.model_dump(exclude_none=True) for step in steps], indent=2)


def schedule_for(session: Session, cycle: str) -> tuple[Step, ...]:
    row = session.get(ReminderSchedule, cycle)
    return parse_steps(row.steps) if row is not None else DEFAULT_STEPS


def save_schedule(session: Session, cycle: str, steps: tuple[Step, ...] | None, actor: str) -> None:
    """Set the cycle's steps (None: back to the default); audit-logged."""
    row = session.get(ReminderSchedule, cycle)
    if steps is None:
        if row is not None:
            session.delete(row)
    else:
        if row is None:
            row = ReminderSchedule(cycle=cycle)
            session.add(row)
        row.steps, row.updated_by, row.updated_at = steps_json(steps), actor, utc_now()
    session.flush()
    detail = "default" if steps is None else ", ".join(step.key for step in steps)
    session.add(AuditLogEntry(actor=actor[:100], action="reminders.schedule", target=cycle,
                              detail=detail))  # fmt: skip
