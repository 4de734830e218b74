"""Risk triage: the settings an LA officer should contact first, each with its reasons.

- any statutory standard not met;
- DSL training expired, or expiring within six months (the template's `dsl_training` date);
- no filtering and monitoring review in date (the `filtering_review` date), or not met;
- a late return (after the first deadline) or a missing one once the first deadline has passed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import cycle_template, end_of_day
from school_audit.collector.aggregate.overview import missing_returns
from school_audit.collector.cycles import cycle_info
from school_audit.collector.db.tables import Answer, Establishment, Submission
from school_audit.domain.template import Template

DSL_TRAINING = "dsl_training"
FILTERING_REVIEW = "filtering_review"
EXPIRY_WARNING_DAYS = 183  # "expiring within six months"


@dataclass(frozen=True)
class RiskFlag:
    kind: str  # statutory_not_met | dsl_training_expired | dsl_training_expiring |
    # dsl_training_missing | no_filtering_review | late_return | missing_return
    detail: str
    standard_ids: tuple[str, ...] = ()


@dataclass
class RiskEntry:
    urn: str
    name: str
    setting_type: str
    phase: str
    district: str
    flags: list[RiskFlag] = field(default_factory=list)

    @property
    def kinds(self) -> set[str]:
        return {flag.kind for flag in self.flags}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def risk_triage(session: Session, cycle: str, today: date | None = None) -> list[RiskEntry]:
    today = today or date.today()
    templates = [
        t for kind in ("school", "early_years") if (t := cycle_template(session, cycle, kind))
    ]
    flags: dict[str, list[RiskFlag]] = defaultdict(list)
    _statutory_not_met(session, cycle, templates, flags)
    _dated(session, cycle, templates, today, flags)
    _timeliness(session, cycle, today, flags)
    return _entries(session, flags)


def _statutory_not_met(
    session: Session, cycle: str, templates: list[Template], flags: dict[str, list[RiskFlag]]
) -> None:
    statutory = {s.id for t in templates for s in t.standards() if s.statutory}
    if not statutory:
        return
    answered = editions.cycle_editions(session.connection(), cycle)
    query = select(Answer.urn, Answer.standard_id, *_edition_columns(answered)).where(
        Answer.cycle == cycle, Answer.current.is_(True), Answer.rating == "not_met"
    )
    found: dict[str, set[str]] = defaultdict(set)
    for urn, standard_id, *ref in session.execute(answered.restrict(query, Answer, statutory)):
        found[urn].update(_in_cycle_ids(answered, ref, standard_id) & statutory)
    for urn, found_ids in sorted(found.items()):
        ids = sorted(found_ids)
        if not ids:
            continue
        flags[urn].append(
            RiskFlag("statutory_not_met", f"{len(ids)} statutory standard(s) not met", tuple(ids))
        )


def _dated(
    session: Session,
    cycle: str,
    templates: list[Template],
    today: date,
    flags: dict[str, list[RiskFlag]],
) -> None:
    holders = {
        standard.id: {d.key: d.max_age_months for d in standard.dates}
        for t in templates
        for standard in t.standards()
        if any(d.key in (DSL_TRAINING, FILTERING_REVIEW) for d in standard.dates)
    }
    if not holders:
        return
    answered = editions.cycle_editions(session.connection(), cycle)
    columns = (Answer.urn, Answer.standard_id, Answer.rating, Answer.dates)
    query = select(*columns, *_edition_columns(answered)).where(
        Answer.cycle == cycle, Answer.current.is_(True)
    )
    rows = session.execute(answered.restrict(query, Answer, holders))
    for urn, answered_id, rating, dates_text, *ref in rows:
        dates = _parse_dates(dates_text)
        # The cycle's standard asks for the date: an older edition's answer gave it under its id.
        for standard_id in sorted(_in_cycle_ids(answered, ref, answered_id) & holders.keys()):
            _date_flags(urn, standard_id, rating, dates, holders[standard_id], today, flags)


def _edition_columns(answered: editions.CycleEditions) -> tuple[Any, ...]:
    """The edition each answer's return is on, where some return is on another edition."""
    return () if answered.plain else (Submission.template_id, Submission.template_version)


def _in_cycle_ids(answered: editions.CycleEditions, ref: list[Any], standard_id: str) -> set[str]:
    if not ref:
        return {standard_id}
    return set(answered.cycle_ids((ref[0], ref[1]), standard_id))


def _date_flags(
    urn: str,
    standard_id: str,
    rating: str,
    dates: dict[str, date],
    ages: dict[str, int | None],
    today: date,
    flags: dict[str, list[RiskFlag]],
) -> None:
    if DSL_TRAINING in ages:
        _dsl_flag(urn, standard_id, dates.get(DSL_TRAINING), ages[DSL_TRAINING] or 24, today, flags)
    if FILTERING_REVIEW in ages:
        _filtering_flag(
            urn,
            standard_id,
            rating,
            dates.get(FILTERING_REVIEW),
            ages[FILTERING_REVIEW] or 12,
            today,
            flags,
        )


def _parse_dates(text: str | None) -> dict[str, date]:
    try:
        raw = json.loads(text or "{}")
        return {key: date.fromisoformat(value) for key, value in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def _dsl_flag(
    urn: str,
    sid: str,
    trained: date | None,
    months: int,
    today: date,
    flags: dict[str, list[RiskFlag]],
) -> None:
    if trained is None:
        flags[urn].append(RiskFlag("dsl_training_missing", "no DSL training date given", (sid,)))
        return
    expires = add_months(trained, months)
    if expires < today:
        flags[urn].append(
            RiskFlag(
                "dsl_training_expired", f"DSL training expired on {expires.isoformat()}", (sid,)
            )
        )
    elif expires <= today + timedelta(days=EXPIRY_WARNING_DAYS):
        flags[urn].append(
            RiskFlag(
                "dsl_training_expiring", f"DSL training expires on {expires.isoformat()}", (sid,)
            )
        )


def _filtering_flag(
    urn: str,
    sid: str,
    rating: str,
    reviewed: date | None,
    months: int,
    today: date,
    flags: dict[str, list[RiskFlag]],
) -> None:
    if rating == "not_met":
        detail = "filtering and monitoring review not met"
    elif reviewed is None:
        detail = "no filtering and monitoring review date"
    elif add_months(reviewed, months) < today:
        detail = f"filtering and monitoring last reviewed {reviewed.isoformat()}"
    else:
        return
    flags[urn].append(RiskFlag("no_filtering_review", detail, (sid,)))


def _timeliness(
    session: Session, cycle: str, today: date, flags: dict[str, list[RiskFlag]]
) -> None:
    info = cycle_info(session, cycle)
    first = end_of_day(info.first_deadline)
    if first is None:
        return
    query = (
        select(Submission.urn, func.min(Submission.received_at))
        .where(Submission.cycle == cycle)
        .group_by(Submission.urn)
    )
    for urn, received in session.execute(query):
        if received is not None and received.replace(tzinfo=first.tzinfo) >= first:
            flags[urn].append(
                RiskFlag(
                    "late_return",
                    f"received {received.date().isoformat()}, after the first deadline",
                )
            )
    if info.first_deadline and today > info.first_deadline:
        for missing in missing_returns(session, cycle, today):
            flags[missing.urn].append(RiskFlag("missing_return", f"no return ({missing.overdue})"))


def _entries(session: Session, flags: dict[str, list[RiskFlag]]) -> list[RiskEntry]:
    if not flags:
        return []
    rows = {
        e.urn: e
        for e in session.scalars(select(Establishment).where(Establishment.urn.in_(list(flags))))
    }
    entries = []
    for urn, items in flags.items():
        row = rows.get(urn)
        entries.append(RiskEntry(
            urn, row.name if row else urn, row.setting_type if row else "", row.phase if row else "",
            (row.district or "") if row else "", items,
        ))  # fmt: skip
    return sorted(entries, key=lambda e: (-len(e.flags), e.district, e.name))
