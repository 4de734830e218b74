"""Starting this cycle's audit from last cycle's: answers for reference, open actions carried over.

The new template may rename, split, merge or retire standards (`Template.replaces`). Answers follow
renames; split, merged and new standards must be answered afresh and say why (saving an answer
clears that mark); open actions follow their
standard, and actions on a retired standard go to the template's `orphan_actions_to` standard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from school_audit.domain.audit import ActionStatus, Audit, Rating, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import ReplaceKind, Template

# Worst first: a merged standard is only as good as the weakest of its parts.
_RATING_ORDER = [Rating.NOT_MET, Rating.PARTIALLY_MET, Rating.MET, Rating.NOT_APPLICABLE]


Mapping = dict[str, tuple[list[str], ReplaceKind | None]]


def standard_mapping(
    previous: Template, current: Template, via: Sequence[Template] = ()
) -> Mapping:
    """For each previous standard id: the current ids it maps to and how (None: same id kept).

    `via` lists the editions between the two, oldest first (e.g. last year's audit on 2024-25.1
    carried onto 2025-26.2 goes via 2025-26.1): each step's `replaces` is followed in turn."""
    steps = [previous, *via, current]
    mapping = _one_step(steps[0], steps[1])
    for before, after in zip(steps[1:], steps[2:], strict=False):
        mapping = _compose(mapping, _one_step(before, after))
    return mapping


def editions_between(older: Template, newer: Template, known: Iterable[Template]) -> list[Template]:
    """The editions from `older` to `newer` (both left out), oldest first, found by following
    `previous` back from `newer` through `known`; empty if the chain cannot be followed."""
    by_ref = {(t.id, t.version): t for t in known}
    chain: list[Template] = []
    ref = newer.previous
    while ref is not None and len(chain) <= len(by_ref):
        if (ref.id, ref.version) == (older.id, older.version):
            return chain[::-1]
        step = by_ref.get((ref.id, ref.version))
        if step is None:
            break
        chain.append(step)
        ref = step.previous
    return []


def _compose(first: Mapping, second: Mapping) -> Mapping:
    composed: Mapping = {}
    for old_id, (middle_ids, kind) in first.items():
        new_ids: list[str] = []
        kinds = [kind]
        for middle_id in middle_ids:
            targets, step_kind = second.get(middle_id, ([], ReplaceKind.RETIRED))
            new_ids += [t for t in targets if t not in new_ids]
            kinds.append(step_kind)
        composed[old_id] = (new_ids, _strongest(kinds) if new_ids else ReplaceKind.RETIRED)
    return composed


def _strongest(kinds: list[ReplaceKind | None]) -> ReplaceKind | None:
    for kind in (ReplaceKind.SPLIT, ReplaceKind.MERGED, ReplaceKind.RENAMED):
        if kind in kinds:
            return kind
    return None


def _one_step(previous: Template, current: Template) -> Mapping:
    current_ids = {s.id for s in current.standards()}
    mapping: dict[str, tuple[list[str], ReplaceKind | None]] = {}
    if current.previous is None or current.previous.id == previous.id:
        for item in current.replaces:
            for old_id in item.old:
                mapping[old_id] = (list(item.new), item.kind)
    for standard in previous.standards():
        if standard.id not in mapping and standard.id in current_ids:
            mapping[standard.id] = ([standard.id], None)
    return mapping


def carry_forward(
    previous: Audit,
    previous_template: Template,
    template: Template,
    profile: EstablishmentProfile,
    prefill: bool = False,
    via: Sequence[Template] = (),
) -> Audit:
    """A new draft audit on `template`, seeded from `previous` (which is left untouched).
    `via`: the editions between `previous_template` and `template`, oldest first."""
    audit = Audit.start(template, profile)
    mapping = standard_mapping(previous_template, template, via)
    sources = _sources_by_new_id(mapping)
    for new_id, (old_ids, kind) in sources.items():
        old = [previous.responses[o] for o in old_ids if o in previous.responses]
        if not old:
            continue
        audit.previous_responses[new_id] = _combine(new_id, old)
        if kind in (ReplaceKind.SPLIT, ReplaceKind.MERGED):
            audit.answer_afresh[new_id] = _afresh_reason(kind, old_ids)
        elif prefill:
            _prefill(audit, template, new_id, audit.previous_responses[new_id])
    for standard in template.applicable(profile.phase, profile.flags):
        if standard.is_rated and standard.id not in sources:
            audit.answer_afresh[standard.id] = "new in this edition"
    _carry_actions(previous, template, mapping, audit)
    return audit


def _sources_by_new_id(
    mapping: dict[str, tuple[list[str], ReplaceKind | None]],
) -> dict[str, tuple[list[str], ReplaceKind | None]]:
    sources: dict[str, tuple[list[str], ReplaceKind | None]] = {}
    for old_id, (new_ids, kind) in sorted(mapping.items()):
        for new_id in new_ids:
            olds, _ = sources.get(new_id, ([], kind))
            sources[new_id] = ([*olds, old_id], kind)
    return sources


def _combine(new_id: str, old: list[Response]) -> Response:
    if len(old) == 1:
        return old[0].model_copy(update={"standard_id": new_id})
    ratings = [r.rating for r in old if r.rating is not None]
    worst = min(ratings, key=_RATING_ORDER.index) if ratings else None
    evidence = "\n".join(f"{r.standard_id}: {r.evidence}" for r in old if r.evidence.strip())
    return Response(standard_id=new_id, rating=worst, evidence=evidence)


def _afresh_reason(kind: ReplaceKind, old_ids: list[str]) -> str:
    if kind is ReplaceKind.SPLIT:
        return f"split from last year's {old_ids[0]}"
    return "merged from last year's " + " and ".join(old_ids)


def _prefill(audit: Audit, template: Template, new_id: str, old: Response) -> None:
    standard = template.standard(new_id)
    if old.rating is Rating.NOT_APPLICABLE and standard.statutory:
        return  # never carry an N/A onto a statutory standard
    audit.responses[new_id] = old.model_copy()


def _carry_actions(
    previous: Audit,
    template: Template,
    mapping: dict[str, tuple[list[str], ReplaceKind | None]],
    audit: Audit,
) -> None:
    for action in previous.actions:
        if action.status is ActionStatus.COMPLETE:
            continue
        new_ids, _ = mapping.get(action.standard_id, ([], ReplaceKind.RETIRED))
        target = new_ids[0] if new_ids else template.orphan_actions_to
        if target is None:
            continue
        audit.actions.append(
            action.model_copy(update={"standard_id": target, "carried_forward": True})
        )
