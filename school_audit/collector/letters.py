"""Feedback letters: the figures for one reviewed return, and sending them in bulk.

Comparisons are of current returns of the same cycle and kind of setting: "similar settings" are
those of the same phase, and the LA is all of them. The steering group's suppression rule is
applied to the phase breakdown (`aggregate.suppression.groups_to_hide`): a phase with fewer than
five settings, or one hidden so that a small phase cannot be worked out from the LA total, is
suppressed, and so is the LA figure when the LA has fewer than five. The letter carries ratings,
the template's wording and the reviewer's comments, never a setting's answer or evidence text.

Figures are in the ids of the return's own edition: other settings' answers on another edition
are translated as the compliance counts are (`aggregate.editions`), and last year's return is
read through every edition between the two (`replaces`: a renamed standard compares with its old
id, a merged one with the standards it came from, a split one with the standard it was).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.suppression import THRESHOLD, groups_to_hide
from school_audit.collector.catalog import TemplateCache
from school_audit.collector.cycles import previous_cycle
from school_audit.collector.db.tables import (
    ActionRow,
    Answer,
    AuditLogEntry,
    Establishment,
    Review,
    Submission,
)  # fmt: skip
from school_audit.collector.mail.compose import Attachment
from school_audit.collector.mail.contacts import recipients
from school_audit.collector.mail.notices import place_facts
from school_audit.collector.mail.queue import enqueue
from school_audit.collector.settings import CollectorSettings
from school_audit.domain.carry_forward import standard_mapping
from school_audit.domain.template import Section, Template
from school_audit.reports.feedback_letter import (
    ExpectedAction,
    FeedbackLetter,
    SectionFigures,
    build_feedback_letter,
)  # fmt: skip

RATED = ("met", "partially_met", "not_met")
_templates = TemplateCache()
Counts = dict[str, dict[str, int]]  # standard id -> rating -> answers


class LetterError(ValueError):
    """No letter can be made for this return; the message says why."""


@dataclass(frozen=True)
class Comparison:
    similar: Counts | None  # None: suppressed
    la: Counts | None
    similar_settings: int | None
    la_settings: int | None


def letter_for(session: Session, submission_id: str, la_name: str) -> FeedbackLetter:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise LetterError(f"there is no return {submission_id}")
    review = session.scalar(select(Review).where(Review.submission_id == submission_id)
                            .order_by(Review.reviewed_at.desc(), Review.id.desc()).limit(1))  # fmt: skip
    if review is None:
        raise LetterError("this return has not been reviewed yet")
    published = _templates.get(session, sub.template_id, sub.template_version)
    if published is None:
        raise LetterError(f"the template {sub.template_id} {sub.template_version} is not published")
    template, place = published.template, session.get(Establishment, sub.urn)
    own = _own_counts(session, [submission_id])
    comparison = _comparison(session, sub)
    last = _last_year(session, sub)
    sections = [_figures(s, own, comparison, last) for s in template.sections if not s.local]
    comments: dict[str, str] = json.loads(review.comments or "{}")
    actions = _expected(session, sub, template, own, comments)
    in_actions = {a.standard_id for a in actions}
    texts = {s.id: s.text for s in template.standards()}
    return FeedbackLetter(
        la_name=la_name, establishment_name=place.name if place else f"URN {sub.urn}",
        urn=sub.urn, cycle=sub.cycle, phase_label=_phase_label(sub.phase), decision=review.decision,
        reviewed_on=review.reviewed_at.date(), reviewer=review.reviewer,
        similar_settings=comparison.similar_settings, la_settings=comparison.la_settings,
        sections=sections, general_comment=review.general_comment,
        comments=[(k, texts.get(k, ""), v) for k, v in sorted(comments.items()) if k not in in_actions],
        actions=actions, strengths=_strengths(sections), changes=_changes(sections), threshold=THRESHOLD,
    )  # fmt: skip


def _phase_label(phase: str) -> str:
    return phase.replace("_", " ").capitalize()


def _own_counts(session: Session, submission_ids: list[str]) -> Counts:
    counts: Counts = defaultdict(dict)
    rows = session.execute(select(Answer.standard_id, Answer.rating, func.count())
                           .where(Answer.submission_id.in_(submission_ids))
                           .group_by(Answer.standard_id, Answer.rating))  # fmt: skip
    for standard_id, rating, n in rows:
        counts[standard_id][rating] = n
    return counts


def _comparison(session: Session, sub: Submission) -> Comparison:
    scope = (
        Answer.cycle == sub.cycle,
        Answer.current.is_(True),
        Answer.setting_type == sub.setting_type,
    )
    sizes = dict(session.execute(select(Answer.phase, func.count(func.distinct(Answer.urn)))
                                 .where(*scope).group_by(Answer.phase)).all())  # fmt: skip
    hidden = groups_to_hide(sizes)
    by_phase: dict[str, Counts] = defaultdict(lambda: defaultdict(dict))
    la: Counts = defaultdict(dict)
    # Other settings' answers in this return's ids, whichever edition each answered (`editions`).
    ref = (Submission.template_id, Submission.template_version)
    rows = session.execute(select(Answer.phase, Answer.standard_id, Answer.rating, *ref, func.count())
                           .join(Submission, Submission.submission_id == Answer.submission_id)
                           .where(*scope).group_by(Answer.phase, Answer.standard_id, Answer.rating, *ref))  # fmt: skip
    mine, maps = (sub.template_id, sub.template_version), {}
    for phase, answered_id, rating, template_id, version, n in rows:
        if (template_id, version) not in maps:
            maps[(template_id, version)] = editions.id_map(
                session.connection(), (template_id, version), mine
            )
        ids = maps[(template_id, version)]
        for standard_id in (answered_id,) if ids is None else ids.get(answered_id, ()):
            by_phase[phase][standard_id][rating] = by_phase[phase][standard_id].get(rating, 0) + n
            la[standard_id][rating] = la[standard_id].get(rating, 0) + n
    total = sum(sizes.values())
    similar_shown = sub.phase in sizes and sub.phase not in hidden
    la_shown = total >= THRESHOLD
    return Comparison(
        by_phase[sub.phase] if similar_shown else None,
        la if la_shown else None,
        sizes[sub.phase] if similar_shown else None,
        total if la_shown else None,
    )


@dataclass(frozen=True)
class LastYear:
    """Last year's return: its answers in its own edition's ids, and for each id of this
    return's edition the ids of last year's that became it (kept, renamed, split, merged)."""

    counts: Counts
    came_from: dict[str, tuple[str, ...]] | None  # None: the same ids

    def old_ids(self, ids: list[str]) -> list[str]:
        if self.came_from is None:
            return ids
        return list(dict.fromkeys(old for i in ids for old in self.came_from.get(i, ())))


def _last_year(session: Session, sub: Submission) -> LastYear | None:
    earlier = session.execute(
        select(Submission.submission_id, Submission.template_id, Submission.template_version)
        .where(Submission.urn == sub.urn, Submission.cycle == previous_cycle(sub.cycle))
        .where(Submission.status != "superseded")
        .order_by(Submission.received_at.desc()).limit(1)
    ).first()  # fmt: skip
    if earlier is None:
        return None
    counts = _own_counts(session, [earlier[0]])
    steps = editions.chain(session.connection(), (earlier[1], earlier[2]),
                           (sub.template_id, sub.template_version))  # fmt: skip
    if steps is None or steps[0] is steps[1]:  # the same edition, or none to follow: by id
        return LastYear(counts, None)
    came_from: dict[str, list[str]] = defaultdict(list)
    for old_id, (new_ids, _) in standard_mapping(*steps).items():
        for new_id in new_ids:
            came_from[new_id].append(old_id)
    return LastYear(counts, {new: tuple(old) for new, old in came_from.items()})


def _share(counts: Counts | None, ids: list[str]) -> float | None:
    if counts is None:
        return None
    met = sum(counts.get(i, {}).get("met", 0) for i in ids)
    rated = sum(counts.get(i, {}).get(r, 0) for i in ids for r in RATED)
    return met / rated if rated else None


def _figures(
    section: Section, own: Counts, comparison: Comparison, last: LastYear | None
) -> SectionFigures:
    ids = [s.id for s in section.standards if s.is_rated]
    # Last year: the answers to the standards that became this section's, each counted once.
    last_year = _share(last.counts, last.old_ids(ids)) if last is not None else None
    tally = {r: sum(own.get(i, {}).get(r, 0) for i in ids) for r in RATED}
    return SectionFigures(
        section.id, section.title, tally["met"], tally["partially_met"], tally["not_met"],
        similar=_share(comparison.similar, ids), la=_share(comparison.la, ids), last_year=last_year,
    )  # fmt: skip


def _expected(
    session: Session, sub: Submission, template: Template, own: Counts, comments: dict[str, str]
) -> list[ExpectedAction]:
    by_date = dict(session.execute(select(ActionRow.standard_id, func.min(ActionRow.target_date))
                                   .where(ActionRow.submission_id == sub.submission_id)
                                   .group_by(ActionRow.standard_id)).all())  # fmt: skip
    found = []
    for standard in sorted(template.standards(), key=lambda s: not s.statutory):
        rating = next(
            (r for r in ("not_met", "partially_met") if own.get(standard.id, {}).get(r)), None
        )
        if rating is not None:
            found.append(ExpectedAction(standard.id, standard.text, rating, by_date.get(standard.id),
                                        comments.get(standard.id, "")))  # fmt: skip
    return found


def _strengths(sections: list[SectionFigures]) -> list[str]:
    lines = []
    for s in sections:
        share = s.share
        if share == 1.0:
            lines.append(f"Every rated standard in \u201c{s.title}\u201d is met.")
        elif share is not None and s.similar is not None and share - s.similar >= 0.15:
            lines.append(f"{s.title}: {round(share * 100)}% met, above similar settings "
                         f"({round(s.similar * 100)}%).")  # fmt: skip
    return lines


def _changes(sections: list[SectionFigures]) -> list[str]:
    lines = []
    for s in sections:
        if s.share is not None and s.last_year is not None and abs(s.share - s.last_year) >= 0.1:
            way = "up" if s.share > s.last_year else "down"
            lines.append(f"{s.title}: {way} from {round(s.last_year * 100)}% to "
                         f"{round(s.share * 100)}% of standards met.")  # fmt: skip
    return lines


def letter_attachment(
    session: Session, settings: CollectorSettings, submission_id: str
) -> Attachment:
    letter = letter_for(session, submission_id, settings.la_name)
    name = f"feedback-letter-{letter.urn}-{letter.cycle}.pdf"
    return Attachment(name, build_feedback_letter(letter))


def queue_letters(
    session: Session, cycle: str, actor: str, urn: str | None = None
) -> list[tuple[str, str]]:
    """Queue a letter for every accepted current return of `cycle` that has none yet, to its DSL,
    head and chair; returns (urn, address) for each message queued."""
    done = set(
        session.scalars(select(AuditLogEntry.target).where(AuditLogEntry.action == "letter.queued"))
    )
    query = select(Submission).where(Submission.cycle == cycle, Submission.status == "accepted")
    if urn:
        query = query.where(Submission.urn == urn)
    queued = []
    for sub in session.scalars(query.order_by(Submission.urn)):
        if sub.submission_id in done:
            continue
        people = recipients(session, sub.urn, ("dsl", "head", "chair"))
        facts = {**place_facts(session, sub.urn, cycle), "submission_id": sub.submission_id}
        for person in people:
            enqueue(session, "feedback_letter", person, facts, urn=sub.urn, cycle=cycle)
            queued.append((sub.urn, person.email))
        if people:
            session.add(AuditLogEntry(actor=actor[:100], action="letter.queued", target=sub.submission_id,
                                      detail=f"{sub.urn}: {len(people)} recipient(s)"))  # fmt: skip
    return queued
