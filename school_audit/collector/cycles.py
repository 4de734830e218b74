"""Audit cycles: which templates each kind of setting answers, two deadlines, and exemptions.

The register says who exists; a cycle says who is expected to return: every open establishment
of a setting type the cycle has a template for, less those exempted with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import (
    AuditLogEntry,
    CycleRow,
    CycleTemplate,
    Establishment,
    Exemption,
    TemplateRow,
)
from school_audit.collector.db.types import utc_now


class CycleError(ValueError):
    """The cycle cannot be opened or changed as asked; the message says why."""


@dataclass(frozen=True)
class CycleInfo:
    cycle: str
    title: str
    first_deadline: date | None
    final_deadline: date | None
    is_open: bool
    templates: dict[str, tuple[str, str]]  # setting type -> (template id, version)


def parse_template_ref(text: str) -> tuple[str, str]:
    """ "school-s175@2025-26.1" -> ("school-s175", "2025-26.1")."""
    template_id, sep, version = text.partition("@")
    if not sep or not template_id or not version:
        raise CycleError(f"{text!r} should be ID@VERSION, e.g. school-s175@2025-26.1")
    return template_id, version


def open_cycle(
    session: Session,
    cycle: str,
    templates: list[tuple[str, str]],
    first_deadline: date,
    final_deadline: date,
    actor: str,
    title: str | None = None,
) -> CycleInfo:
    """Open (or re-open and update) `cycle` with a published template per setting type."""
    if (
        not re.fullmatch(r"[0-9]{4}-[0-9]{2}", cycle)
        or int(cycle[5:]) != (int(cycle[:4]) + 1) % 100
    ):
        raise CycleError(f"{cycle!r} is not an academic year like 2025-26")
    if final_deadline < first_deadline:
        raise CycleError("the final deadline cannot come before the first deadline")
    rows = [_published(session, template_id, version) for template_id, version in templates]
    kinds = [row.setting_type for row in rows]
    if len(set(kinds)) != len(kinds):
        raise CycleError("give one template per setting type")
    row = session.get(CycleRow, cycle)
    if row is None:
        row = CycleRow(cycle=cycle, title=title or f"Safeguarding audit {cycle}")
        session.add(row)
        session.flush()
    row.first_deadline, row.final_deadline, row.is_open = first_deadline, final_deadline, True
    if title:
        row.title = title
    for template in rows:
        _use_template(session, cycle, template)
    detail = ", ".join(f"{t.template_id}@{t.version}" for t in rows)
    session.add(AuditLogEntry(actor=actor, action="cycle.open", target=cycle, detail=detail))
    session.flush()
    return cycle_info(session, cycle)


def _published(session: Session, template_id: str, version: str) -> TemplateRow:
    row = session.get(TemplateRow, (template_id, version))
    if row is None:
        raise CycleError(
            f"template {template_id}@{version} is not published: publish it first "
            "(school-audit-collector template publish FILE)"
        )
    return row


def _use_template(session: Session, cycle: str, template: TemplateRow) -> None:
    link = session.scalar(
        select(CycleTemplate).where(
            CycleTemplate.cycle == cycle, CycleTemplate.setting_type == template.setting_type
        )
    )
    if link is None:
        link = CycleTemplate(cycle=cycle, setting_type=template.setting_type)
        session.add(link)
    moved = (link.template_id, link.template_version) != (template.template_id, template.version)
    link.template_id, link.template_version = template.template_id, template.version
    if moved and link.id is not None:
        _recount(session)


def _recount(session: Session) -> None:
    """The cycle counts in its new template's ids from now on (aggregate.editions): the kept
    counts follow in the same transaction."""
    from school_audit.collector.aggregate import kept  # kept reads cycles: imported late

    session.flush()
    kept.rebuild(session.connection())


def cycle_info(session: Session, cycle: str) -> CycleInfo:
    # One round trip of plain columns: the dashboard asks this on every page.
    rows = (
        session.connection()
        .execute(
            select(
                CycleRow.cycle, CycleRow.title, CycleRow.first_deadline, CycleRow.final_deadline,
                CycleRow.is_open, CycleTemplate.setting_type, CycleTemplate.template_id,
                CycleTemplate.template_version,
            )
            .outerjoin(CycleTemplate, CycleTemplate.cycle == CycleRow.cycle)
            .where(CycleRow.cycle == cycle)
        )
        .all()
    )  # fmt: skip
    if not rows:
        raise CycleError(f"there is no cycle {cycle!r}")
    first = rows[0]
    return CycleInfo(
        cycle=first[0],
        title=first[1],
        first_deadline=first[2],
        final_deadline=first[3],
        is_open=bool(first[4]),
        templates={row[5]: (row[6], row[7]) for row in rows if row[5] is not None},
    )


def list_cycles(session: Session) -> list[CycleInfo]:
    names = session.scalars(select(CycleRow.cycle).order_by(CycleRow.cycle))
    return [cycle_info(session, name) for name in names]


def previous_cycle(cycle: str) -> str:
    start = int(cycle[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def set_deadlines(
    session: Session, cycle: str, first_deadline: date, final_deadline: date, actor: str
) -> None:
    """Move a cycle's two deadlines (reminders follow them); its templates stay as they are."""
    if final_deadline < first_deadline:
        raise CycleError("the final deadline cannot come before the first deadline")
    row = session.get(CycleRow, cycle)
    if row is None:
        raise CycleError(f"there is no cycle {cycle!r}")
    before = f"{row.first_deadline} / {row.final_deadline}"
    row.first_deadline, row.final_deadline = first_deadline, final_deadline
    session.add(AuditLogEntry(actor=actor, action="cycle.deadlines", target=cycle,
                              detail=f"{before} -> {first_deadline} / {final_deadline}"))  # fmt: skip


def exemptions(session: Session, cycle: str) -> list[tuple[Exemption, str]]:
    """The cycle's exemptions with each establishment's name, by name."""
    rows = session.execute(
        select(Exemption, Establishment.name)
        .join(Establishment, Establishment.urn == Exemption.urn)
        .where(Exemption.cycle == cycle)
        .order_by(Establishment.name)
    ).all()
    return [(row, name) for row, name in rows]


def close_cycle(session: Session, cycle: str, actor: str) -> None:
    """Mark a cycle closed (its returns and aggregates stay; it is no longer the default)."""
    row = session.get(CycleRow, cycle)
    if row is None:
        raise CycleError(f"there is no cycle {cycle!r}")
    row.is_open = False
    session.add(AuditLogEntry(actor=actor, action="cycle.close", target=cycle))


def exempt(session: Session, cycle: str, urn: str, reason: str, actor: str) -> None:
    """Excuse `urn` from returning in `cycle` (e.g. closing at Christmas); the reason is kept."""
    if not reason.strip():
        raise CycleError("an exemption needs a reason")
    cycle_info(session, cycle)
    if session.get(Establishment, urn) is None:
        raise CycleError(f"no establishment with URN {urn} in the register")
    row = session.scalar(select(Exemption).where(Exemption.cycle == cycle, Exemption.urn == urn))
    if row is None:
        row = Exemption(cycle=cycle, urn=urn)
        session.add(row)
    row.reason, row.exempted_by, row.exempted_at = reason.strip(), actor, utc_now()
    session.add(AuditLogEntry(actor=actor, action="cycle.exempt", target=f"{cycle}/{urn}",
                              detail=reason.strip()[:500]))  # fmt: skip


def lift_exemption(session: Session, cycle: str, urn: str, actor: str) -> bool:
    row = session.scalar(select(Exemption).where(Exemption.cycle == cycle, Exemption.urn == urn))
    if row is None:
        return False
    session.delete(row)
    session.add(AuditLogEntry(actor=actor, action="cycle.unexempt", target=f"{cycle}/{urn}"))
    return True


def expected_query(cycle: str, setting_types: list[str]) -> Select[Any]:
    """Establishments expected to return in `cycle`: open (or proposed to open by the cycle's
    final deadline), of a type with a template, not exempt."""
    exempted = select(Exemption.urn).where(Exemption.cycle == cycle)
    deadline = select(CycleRow.final_deadline).where(CycleRow.cycle == cycle).scalar_subquery()
    opening = (Establishment.status == "proposed") & (Establishment.opens_on <= deadline)
    return (
        select(Establishment)
        .where((Establishment.status == "open") | opening)
        .where(Establishment.setting_type.in_(setting_types))
        .where(Establishment.urn.not_in(exempted))
        .order_by(Establishment.name)
    )


def expected_establishments(session: Session, cycle: str) -> list[Establishment]:
    info = cycle_info(session, cycle)
    return list(session.scalars(expected_query(cycle, list(info.templates))))
