"""Themes: the standards most often not fully met, and support requested (training needs)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from school_audit.collector.aggregate import editions
from school_audit.collector.aggregate.common import cycle_template
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.db.tables import ActionRow, CurrentReturn, Submission


@dataclass(frozen=True)
class Theme:
    standard_id: str
    section_id: str
    text: str
    statutory: bool
    not_fully_met: int  # settings that rated it partially met or not met
    rated: int
    share: float  # not_fully_met / rated


@dataclass(frozen=True)
class SupportNeed:
    standard_id: str
    section_id: str
    section_title: str
    text: str
    settings: int  # settings asking for support on it
    actions: int


def themes(
    session: Session, cycle: str, setting_type: str = "school", limit: int = 10
) -> list[Theme]:
    """The standards most often not fully met, most frequent first."""
    report = compliance(session, cycle, setting_type)
    if report is None:
        return []
    found = [
        Theme(s.standard_id, s.section_id, s.text, s.statutory, s.counts.not_fully_met, s.counts.rated,
              s.counts.not_fully_met / s.counts.rated)
        for s in report.standards
        if s.counts.rated and s.counts.not_fully_met
    ]  # fmt: skip
    return sorted(found, key=lambda t: (-t.not_fully_met, -t.share, t.standard_id))[:limit]


def support_requests(
    session: Session, cycle: str, setting_type: str = "school"
) -> list[SupportNeed]:
    """Standards on which settings asked the LA for support: the training-needs list."""
    template = cycle_template(session, cycle, setting_type)
    if template is None:
        return []
    # Counted in the cycle template's ids, whichever edition each return answered (`editions`).
    answered = editions.cycle_editions(session.connection(), cycle)
    ref = (Submission.template_id, Submission.template_version)
    query = (
        select(ActionRow.standard_id, *ref, func.count(func.distinct(ActionRow.urn)), func.count())
        .join(Submission, Submission.submission_id == ActionRow.submission_id)
        .join(CurrentReturn, CurrentReturn.submission_id == Submission.submission_id)
        .where(ActionRow.cycle == cycle, ActionRow.support_requested.is_(True))
        .where(Submission.setting_type == setting_type)
        .group_by(ActionRow.standard_id, *ref)
    )
    counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for answered_id, template_id, version, settings, actions in session.execute(query):
        # One current return per setting, on one edition: the distinct counts add up.
        for standard_id in answered.cycle_ids((template_id, version), answered_id):
            counted[standard_id][0] += int(settings)
            counted[standard_id][1] += int(actions)
    needs = []
    for standard_id, (settings, actions) in counted.items():
        try:
            standard, section = template.standard(standard_id), template.section_of(standard_id)
        except KeyError:
            continue
        needs.append(
            SupportNeed(standard_id, section.id, section.title, standard.text, settings, actions)
        )
    return sorted(needs, key=lambda n: (-n.settings, -n.actions, n.standard_id))
