"""Moving a draft audit to a corrected edition of its template within the same cycle.

A DSL halfway through an audit on 2025-26.1 is offered 2025-26.2. Nothing they wrote may be lost:
every answer, evidence note, date and action moves with its standard through the new edition's
`replaces` mappings. An answer lands on each standard it maps to (a split standard gets the answer
on both parts, whichever the setting is asked), so no answer disappears because a standard changed
audience. Answers the DSL must look at again are kept, not cleared, and marked to re-check, with
the reason: the statutory flag changed, the standard was split or merged, its statement changed,
or it is new.
Unlike `carry_forward` (next year's audit), the answers stay answers, not last year's reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from school_audit.domain.audit import Action, Audit, AuditState, Response
from school_audit.domain.carry_forward import standard_mapping
from school_audit.domain.template import ReplaceKind, Standard, Template


class EditionMoveError(ValueError):
    """The audit cannot move to that template (signed, another template or another cycle)."""


@dataclass(frozen=True)
class StandardChange:
    """One line of the "what changed" list shown to the DSL and in the governors' PDF."""

    standard_id: str
    changes: list[str]
    statutory_changed: bool = False


@dataclass
class EditionMove:
    audit: Audit  # the same audit (same id), now on the new edition
    recheck: dict[str, str] = field(default_factory=dict)  # standard id -> why


def can_move(audit: Audit, template: Template) -> bool:
    """Whether `template` is a later edition this draft may move to."""
    return (
        audit.state is AuditState.DRAFT
        and template.id == audit.template.id
        and template.cycle == audit.cycle
        and template.previous is not None
        and template.previous.version == audit.template.version
    )


def move_to_edition(audit: Audit, current: Template, new: Template) -> EditionMove:
    """A copy of the draft `audit` on `new`, with everything carried over (`audit` is untouched)."""
    if not can_move(audit, new) or current.ref != audit.template:
        raise EditionMoveError(
            f"this audit is on {audit.template.id} {audit.template.version}; "
            f"{new.id} {new.version} does not follow it in the same cycle"
        )
    mapping = standard_mapping(current, new)
    moved = audit.model_copy(
        update={
            "template": new.ref,
            "template_sha256": new.sha256,
            "responses": _move_responses(audit.responses, mapping),
            "actions": _move_actions(audit, new, mapping),
            "previous_responses": _move_responses(audit.previous_responses, mapping),
            "answer_afresh": _move_marks(audit.answer_afresh, mapping),
        },
        deep=True,
    )
    recheck = _recheck_reasons(audit, current, new, mapping)
    for standard_id, reason in recheck.items():
        moved.answer_afresh.setdefault(standard_id, reason)
    sources = {new_id for new_ids, _ in mapping.values() for new_id in new_ids}
    for standard in new.applicable(audit.profile.phase, audit.profile.flags):
        if standard.is_rated and standard.id not in sources:
            moved.answer_afresh.setdefault(standard.id, f"new in edition {new.version}")
    return EditionMove(audit=moved, recheck=recheck)


def what_changed(current: Template | None, new: Template) -> list[StandardChange]:
    """Each standard of `new` that says what changed, with whether its statutory flag changed."""
    before = {s.id: s.statutory for s in current.standards()} if current else {}
    return [
        StandardChange(s.id, list(s.changes), s.id in before and before[s.id] != s.statutory)
        for s in new.standards()
        if s.changes
    ]


Mapping = dict[str, tuple[list[str], ReplaceKind | None]]


def _targets(mapping: Mapping, old_id: str) -> list[str]:
    new_ids, _ = mapping.get(old_id, ([], ReplaceKind.RETIRED))
    return new_ids


def _move_responses(responses: dict[str, Response], mapping: Mapping) -> dict[str, Response]:
    moved: dict[str, Response] = {}
    for old_id, response in responses.items():
        for new_id in _targets(mapping, old_id) or [old_id]:  # retired: kept under its own id
            if new_id in moved:  # merged: keep every part's words and dates
                moved[new_id] = _merge(moved[new_id], response, new_id)
            else:
                moved[new_id] = response.model_copy(update={"standard_id": new_id}, deep=True)
    return moved


def _merge(kept: Response, other: Response, new_id: str) -> Response:
    evidence = "\n".join(e for e in (kept.evidence.strip(), other.evidence.strip()) if e)
    return kept.model_copy(
        update={
            "standard_id": new_id,
            "evidence": evidence,
            "dates": {**other.dates, **kept.dates},
            "rating": kept.rating if kept.rating is not None else other.rating,
        }
    )


def _move_marks(marks: dict[str, str], mapping: Mapping) -> dict[str, str]:
    return {
        new_id: why
        for old_id, why in marks.items()
        for new_id in _targets(mapping, old_id) or [old_id]
    }


def _move_actions(audit: Audit, new: Template, mapping: Mapping) -> list[Action]:
    actions = []
    for action in audit.actions:
        targets = _targets(mapping, action.standard_id)
        target = targets[0] if targets else (new.orphan_actions_to or action.standard_id)
        actions.append(action.model_copy(update={"standard_id": target}, deep=True))
    return actions


def _recheck_reasons(
    audit: Audit, current: Template, new: Template, mapping: Mapping
) -> dict[str, str]:
    old_by_id = {s.id: s for s in current.standards()}
    new_by_id = {s.id: s for s in new.standards()}
    reasons: dict[str, str] = {}
    for old_id in audit.responses:
        old = old_by_id.get(old_id)
        new_ids, kind = mapping.get(old_id, ([], ReplaceKind.RETIRED))
        for new_id in new_ids:
            reason = _reason(old, new_by_id[new_id], kind, new.version)
            if reason:
                reasons[new_id] = reason
    return reasons


def _reason(old: Standard | None, new: Standard, kind: ReplaceKind | None, version: str) -> str:
    if old is not None and old.statutory != new.statutory:
        now = "now statutory" if new.statutory else "no longer statutory"
        return f"{now} in edition {version}: check the answer still holds"
    if kind in (ReplaceKind.SPLIT, ReplaceKind.MERGED):
        return f"changed in edition {version} ({kind.value}): check the answer still holds"
    if old is not None and old.text != new.text:
        return f"the statement changed in edition {version}: check the answer still holds"
    return ""
