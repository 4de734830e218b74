"""Who a steering snapshot counts, kept with it so that the next one knows who changed.

For each establishment of the cycle and kind of setting: its group in every breakdown (from the
register, and phase and district as its answers give them), the returns it has sent with their
status and whether the first came by each deadline, and which returns its counted answers come
from. No answer is copied: a changed setting's old answers are read back from its old return,
which the collector keeps unchanged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import DIMENSIONS, end_of_day, group_name
from school_audit.collector.aggregate.snapshot_rule import Changed, FamilyChange
from school_audit.collector.cycles import cycle_info, expected_query
from school_audit.collector.db.tables import Answer, Establishment, Submission
from school_audit.collector.register.sizes import size_band

Members = dict[str, dict[str, Any]]  # urn -> what the snapshot knew of it (JSON-ready)
ANSWER_GROUPS = ("phase", "district")  # the rest of the breakdowns come from the register


def members(session: Session, cycle: str, setting_type: str) -> Members:
    info = cycle_info(session, cycle)
    limits = [end_of_day(info.first_deadline), end_of_day(info.final_deadline)]
    found: Members = {}
    for establishment in session.scalars(expected_query(cycle, [setting_type])):
        found[establishment.urn] = {"expected": True, "groups": register_groups(establishment)}
    returns: dict[str, list[Any]] = defaultdict(list)
    first_at: dict[str, Any] = {}
    query = select(Submission.urn, Submission.submission_id, Submission.status,
                   Submission.received_at).where(
        Submission.cycle == cycle, Submission.setting_type == setting_type
    )  # fmt: skip
    for urn, submission_id, status, received_at in session.execute(query):
        returns[urn].append([submission_id, status])
        first_at[urn] = min(first_at.get(urn, received_at), received_at)
    answered = _answer_groups(session, cycle, setting_type)
    for urn in set(returns) | set(answered):
        entry = found.setdefault(urn, {"expected": False, "groups": _groups_of(session, urn)})
        entry["returns"] = sorted(returns.get(urn, []))
        entry["on_time"] = [bool(limit is None or first_at[urn] < limit) for limit in limits]
        entry["counted"] = sorted(answered.get(urn, {}).get("counted", []))
        entry["answer_groups"] = answered.get(urn, {}).get("groups", {})
    return found


def returns_by_urn(session: Session, cycle: str, setting_type: str) -> dict[str, list[Any]]:
    """Each establishment's returns of the cycle with their status: what `due` compares."""
    query = select(Submission.urn, Submission.submission_id, Submission.status).where(
        Submission.cycle == cycle, Submission.setting_type == setting_type
    )
    found: dict[str, list[Any]] = defaultdict(list)
    for urn, submission_id, status in session.execute(query):
        found[urn].append([submission_id, status])
    return {urn: sorted(returns) for urn, returns in found.items()}


def register_groups(establishment: Establishment) -> dict[str, str]:
    values = {
        "phase": establishment.phase,
        "district": establishment.district,
        "type": establishment.type_group,
        "trust": establishment.trust_name,
    }
    groups = {d: group_name(v, d) for d, v in values.items()}
    groups["size"] = size_band(establishment.pupils, establishment.setting_type)
    return groups


def _groups_of(session: Session, urn: str) -> dict[str, str]:
    establishment = session.get(Establishment, urn)
    return register_groups(establishment) if establishment is not None else {}


def _answer_groups(session: Session, cycle: str, setting_type: str) -> dict[str, dict[str, Any]]:
    query = (
        select(Answer.urn, Answer.submission_id, Answer.phase, Answer.district)
        .where(Answer.cycle == cycle, Answer.current.is_(True), Answer.setting_type == setting_type)
        .distinct()
    )
    found: dict[str, dict[str, Any]] = {}
    for urn, submission_id, phase, district in session.execute(query):
        entry = found.setdefault(urn, {"counted": set(), "groups": {}})
        entry["counted"].add(submission_id)
        for dimension, value in (("phase", phase), ("district", district)):
            entry["groups"].setdefault(dimension, set()).add(group_name(value, dimension))
    for entry in found.values():
        entry["counted"] = sorted(entry["counted"])
        entry["groups"] = {d: sorted(v) for d, v in entry["groups"].items()}
    return found


def completeness_change(before: Members, now: Members) -> FamilyChange:
    """Settings whose completeness counts may differ: new or gone, another return or status,
    another deadline result, another group."""
    keys = ("expected", "returns", "on_time", "groups")
    changed = [
        urn
        for urn in sorted(set(before) | set(now))
        if (before.get(urn, {}).get("expected") or now.get(urn, {}).get("expected"))
        and [before.get(urn, {}).get(k) for k in keys] != [now.get(urn, {}).get(k) for k in keys]
    ]
    return FamilyChange([_changed(before.get(u), now.get(u), answers=False) for u in changed])


def standard_changes(
    session: Session, before: Members, now: Members, standard_ids: Iterable[str]
) -> dict[str, FamilyChange]:
    """For each standard, the settings whose answer to it differs between the two snapshots."""
    candidates = [
        urn
        for urn in sorted(set(before) | set(now))
        if _answer_key(before.get(urn)) != _answer_key(now.get(urn))
    ]
    old = _ratings(session, [s for u in candidates for s in before.get(u, {}).get("counted", [])])
    new = _ratings(session, [s for u in candidates for s in now.get(u, {}).get("counted", [])])
    result = {}
    for standard_id in standard_ids:
        settings = []
        for urn in candidates:
            then = sorted(old.get((sid, standard_id), "") for sid in _counted(before, urn))
            later = sorted(new.get((sid, standard_id), "") for sid in _counted(now, urn))
            if [r for r in then if r] != [r for r in later if r]:
                settings.append(_changed(before.get(urn), now.get(urn), answers=True))
        result[standard_id] = FamilyChange(settings)
    return result


def _counted(members: Members, urn: str) -> list[str]:
    return list(members.get(urn, {}).get("counted", []))


def _answer_key(entry: Mapping[str, Any] | None) -> Any:
    if entry is None:
        return None
    groups = {d: v for d, v in entry["groups"].items() if d not in ANSWER_GROUPS}
    return [entry.get("counted", []), entry.get("answer_groups", {}), groups]


def _ratings(session: Session, submission_ids: list[str]) -> dict[tuple[str, str], str]:
    """(submission, standard id in its cycle template's ids) -> rating: a return on another
    edition is read through the mapping, as the counts it is compared with (`editions`)."""
    if not submission_ids:
        return {}
    query = (
        select(Answer.submission_id, Answer.standard_id, Answer.rating, Submission.cycle,
               Submission.template_id, Submission.template_version)
        .join(Submission, Submission.submission_id == Answer.submission_id)
        .where(Answer.submission_id.in_(sorted(set(submission_ids))))
    )  # fmt: skip
    found: dict[tuple[str, str], str] = {}
    cycles: dict[str, editions.CycleEditions] = {}
    for sid, standard, rating, cycle, template_id, version in session.execute(query):
        if cycle not in cycles:
            cycles[cycle] = editions.cycle_editions(session.connection(), cycle)
        for target in cycles[cycle].cycle_ids((template_id, version), standard):
            found[(sid, target)] = rating
    return found


def _changed(
    then: Mapping[str, Any] | None, now: Mapping[str, Any] | None, answers: bool
) -> Changed:
    """A changed setting's groups in each breakdown, then and now (two where it moved)."""
    groups: dict[str, frozenset[str]] = {}
    for dimension in DIMENSIONS:
        values: set[str] = set()
        for entry in (then, now):
            if entry is None:
                continue
            if answers and dimension in ANSWER_GROUPS:
                values |= set(entry.get("answer_groups", {}).get(dimension, []))
            elif dimension in entry["groups"]:
                values.add(entry["groups"][dimension])
        groups[dimension] = frozenset(values)
    return Changed(groups)
