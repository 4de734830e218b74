"""The demo behind `school-audit audit demo`: a fictional first school and a partly done audit.

Everything here is invented (names, URN, evidence); nothing identifies a child or a real person.
"""

from __future__ import annotations

from datetime import date, timedelta

from school_audit.domain.audit import Action, ActionStatus, Audit, Rating, Response
from school_audit.domain.profile import EstablishmentProfile, Person
from school_audit.domain.setting import SettingType
from school_audit.domain.template import Standard, Template

DEMO_PROFILE = EstablishmentProfile(
    urn="999101",
    name="Larkfield First School (demo)",
    setting_type=SettingType.SCHOOL,
    phase="first",
    la_code="999",
    district="Demo district",
    flags={"has_eyfs": True, "is_maintained": True, "lets_premises": True},
    dsl=Person(name="Sam Example", role="Designated safeguarding lead"),
    head=Person(name="Alex Sample", role="Head teacher"),
    chair_of_governors=Person(name="Jo Placeholder", role="Chair of governors"),
)
SHARE_ANSWERED = 0.6  # answer the first 60 % of the applicable standards
EVIDENCE = [
    "Policy reviewed by the full governing board; minutes of the autumn meeting.",
    "Training log for all staff, including new starters' induction records.",
    "Single central record checked by the link governor this term.",
    "Termly DSL report to governors; actions tracked in the safeguarding plan.",
]


def demo_template(templates: list[Template]) -> Template | None:
    """The newest built-in school template, or None if there is none."""
    schools = [t for t in templates if t.setting_type is SettingType.SCHOOL]
    return max(schools, key=lambda t: (t.cycle, t.version)) if schools else None


def fill_demo_answers(audit: Audit, template: Template, today: date) -> Audit:
    """Answers for the first part of the audit: mostly met, some partly met with an action."""
    rated = [s for s in template.applicable(audit.profile.phase, audit.profile.flags) if s.is_rated]
    for n, standard in enumerate(rated[: int(len(rated) * SHARE_ANSWERED)]):
        rating = (
            Rating.PARTIALLY_MET if n % 7 == 3 else Rating.NOT_MET if n % 19 == 11 else Rating.MET
        )
        audit.responses[standard.id] = _response(standard, rating, n, today)
        if rating is not Rating.MET:
            audit.actions.append(_action(standard, n, today))
    return audit


def _response(standard: Standard, rating: Rating, n: int, today: date) -> Response:
    recent = today - timedelta(days=120 + 17 * (n % 9))
    return Response(
        standard_id=standard.id,
        rating=rating,
        evidence=EVIDENCE[n % len(EVIDENCE)],
        dates={field.key: recent for field in standard.dates},
    )


def _action(standard: Standard, n: int, today: date) -> Action:
    return Action(
        standard_id=standard.id,
        description=f"Close the gap found in {standard.id} and report back to governors.",
        owner_role="Designated safeguarding lead" if n % 2 else "Head teacher",
        target_date=today + timedelta(days=60 + n),
        status=ActionStatus.IN_PROGRESS if n % 3 else ActionStatus.NOT_STARTED,
    )
