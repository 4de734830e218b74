"""Demo audits for the desktop app: plausible answers and actions saved through the service.

Plain service calls (no Qt), used by the demo launchers, the command line's `audit demo`, the
start-up bench and the screenshot script. The text is invented, names only adults, and never
identifies a child.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from school_audit.domain.audit import Action, ActionStatus, Audit, Rating, Response
from school_audit.domain.profile import EstablishmentProfile, Person
from school_audit.domain.setting import SettingType
from school_audit.domain.template import Standard, Template

if TYPE_CHECKING:
    from school_audit.services.audit_service import AuditService

EVIDENCE = [
    "Minutes of the full governing board, standing item each meeting; last seen {day}.",
    "Policy on the website, reviewed and approved by governors on {day}.",
    "Training log in the single central record folder; certificates checked {day}.",
    "Staff briefing notes and sign-in sheet kept by the school business manager ({day}).",
    "Checked with the DSL at the termly link visit; visit note filed {day}.",
]
OWNERS = ["Designated safeguarding lead", "Head teacher", "Chair of governors",
          "School business manager"]  # fmt: skip


def demo_profile() -> EstablishmentProfile:
    return EstablishmentProfile(
        urn="123456", name="Hollybank First School", setting_type=SettingType.SCHOOL, phase="first",
        la_code="885", district="Redditch", flags={"has_eyfs": True, "is_maintained": True},
        dsl=Person(name="Sam Carter", role="Designated safeguarding lead",
                   trained_on=date(2024, 3, 12), updated_on=date(2025, 9, 3)),
        deputies=[Person(name="Jo Patel", role="Deputy DSL", trained_on=date(2025, 1, 20))],
        head=Person(name="Ruth Ellis", role="Head teacher"),
        chair_of_governors=Person(name="Martin Hale", role="Chair of governors"),
        safeguarding_governor=Person(name="Anita Rowe", role="Safeguarding governor"),
    )  # fmt: skip


def _answer(standard: Standard, index: int, day: date, share_done: float, total: int) -> Response | None:
    if index >= total * share_done:
        return None
    if not standard.is_rated:
        value: str | int | bool | None = {"yes_no": True, "number": 4}.get(standard.answer.value)
        if standard.answer.value == "choice" and standard.choices:
            value = standard.choices[0]
        return Response(standard_id=standard.id, value=value) if value is not None else None
    rating = Rating.MET
    if index % 11 == 5:
        rating = Rating.NOT_MET
    elif index % 7 == 3:
        rating = Rating.PARTIALLY_MET
    dates = {field.key: day - timedelta(days=60 + 17 * index % 300) for field in standard.dates}
    evidence = EVIDENCE[index % len(EVIDENCE)].format(day=day.strftime("%d/%m/%Y"))
    return Response(standard_id=standard.id, rating=rating, evidence=evidence, dates=dates)


def fill(service: AuditService, audit: Audit, template: Template, day: date, share_done: float) -> None:
    """Answer the first `share_done` of the applicable standards through `service` (each saved)."""
    finished = share_done >= 1.0  # last year's plan: most actions were done
    applicable = audit.applicable_standards(template)
    for index, standard in enumerate(applicable):
        response = _answer(standard, index, day, share_done, len(applicable))
        if response is None:
            continue
        service.save_response(audit.audit_id, response)
        if response.rating is not None and response.rating.falls_short:
            action = _action(standard, index, day)
            if finished and index % 5:
                action = action.model_copy(update={"status": ActionStatus.COMPLETE})
            service.save_action(audit.audit_id, action)


def _action(standard: Standard, index: int, day: date) -> Action:
    due = day + timedelta(days=(index * 13) % 150 - 30)  # a few already overdue
    status = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS][index % 2]
    return Action(
        standard_id=standard.id,
        description=f"Close the gap on {standard.id}: agree the steps with staff and record them.",
        owner_role=OWNERS[index % len(OWNERS)], target_date=due, status=status,
    )  # fmt: skip


def seed_demo(service: AuditService, today: date | None = None) -> None:
    """Profile, last year's finished draft and this year's audit part-way through."""
    from school_audit.content import builtin_template

    today = today or date.today()
    service.save_profile(demo_profile())
    last_template = builtin_template("school-s175", "2024-25.1")
    this_template = builtin_template("school-s175", "2025-26.1")
    last = service.start_audit(last_template)
    fill(service, last, last_template, today - timedelta(days=365), 1.0)
    current = service.start_audit(this_template, carry_forward_from=last.audit_id)
    fill(service, current, this_template, today, 0.55)
