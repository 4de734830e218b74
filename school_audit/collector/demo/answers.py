"""Plausible, varied demo audits: mostly met, some partially or not met with actions, some
support requested, a few DSL training dates out of date. Deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from school_audit.domain.audit import (
    Action,
    ActionStatus,
    Audit,
    Rating,
    Response,
    SignOff,
    SignOffRole,
)
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import AnswerKind, Standard, Template

ACTION_TEXT = [
    "Refresh whole-staff training and keep a dated log of who attended.",
    "Add online searches on shortlisted candidates to the recruitment checklist.",
    "Name the child-protection policy in every job advert.",
    "Schedule the annual filtering and monitoring review with the IT provider.",
    "Brief staff on the local threshold document and the referral route.",
    "Ask the safeguarding governor to check the single central record each term.",
    "Update the policy to reflect this year's statutory guidance and publish it.",
]
EVIDENCE = [
    "Seen in governors' minutes, autumn term.",
    "Policy on the website, dated September.",
    "Training log kept by the office.",
    "Checked by the safeguarding governor at the termly visit.",
    "Records audit completed by the DSL.",
]
SIGN_OFF_ROLES = {
    "school": [(SignOffRole.DSL, "Designated safeguarding lead"), (SignOffRole.HEAD_TEACHER, "Head teacher"),
               (SignOffRole.CHAIR_OF_GOVERNORS, "Chair of governors")],
    "early_years": [(SignOffRole.DSL, "Designated safeguarding lead"), (SignOffRole.MANAGER, "Manager")],
    "childminder": [(SignOffRole.CHILDMINDER, "Childminder")],
}  # fmt: skip
NAMES = ["Sam Patel", "Alex Morgan", "Jo Davies", "Chris O'Neill", "Ruth Adebayo", "Zoë Clarke"]


def fill_audit(
    template: Template,
    profile: EstablishmentProfile,
    rng: random.Random,
    quality: float,
    signed_at: datetime,
) -> Audit:
    """A complete, signed-off audit whose answers follow `quality` (0..1, share met)."""
    audit = Audit.start(template, profile)
    today = signed_at.date()
    for standard in template.applicable(profile.phase, profile.flags):
        if not standard.is_rated:
            value = _local_value(standard, rng)
            if value is not None:
                audit.responses[standard.id] = Response(standard_id=standard.id, value=value)
            continue
        rating = _rating(standard, rng, quality)
        audit.responses[standard.id] = Response(
            standard_id=standard.id,
            rating=rating,
            evidence=rng.choice(EVIDENCE) if rating is not Rating.NOT_APPLICABLE else "",
            na_reason="Does not arise in this setting." if rating is Rating.NOT_APPLICABLE else "",
            dates=_dates(standard, rng, today, quality),
        )
        if rating in (Rating.PARTIALLY_MET, Rating.NOT_MET):
            audit.actions.append(_action(standard, rng, today))
    audit.sign_off.extend(_sign_offs(profile, rng, signed_at))
    return audit


def _rating(standard: Standard, rng: random.Random, quality: float) -> Rating:
    if not standard.statutory and rng.random() < 0.03:
        return Rating.NOT_APPLICABLE
    roll = rng.random()
    if roll < quality:
        return Rating.MET
    return Rating.PARTIALLY_MET if roll < quality + (1 - quality) * 0.7 else Rating.NOT_MET


def _dates(standard: Standard, rng: random.Random, today: date, quality: float) -> dict[str, date]:
    dates = {}
    for field in standard.dates:
        months = field.max_age_months or 24
        # Mostly in date; a weaker setting more often lets a date lapse or nearly lapse.
        stale = rng.random() > quality + 0.05
        age_days = (
            rng.randint(months * 30 - 100, months * 30 + 200)
            if stale
            else rng.randint(20, months * 20)
        )
        dates[field.key] = today - timedelta(days=age_days)
    return dates


def _action(standard: Standard, rng: random.Random, today: date) -> Action:
    return Action(
        standard_id=standard.id,
        description=rng.choice(ACTION_TEXT),
        owner_role=rng.choice(["DSL", "Head teacher", "Safeguarding governor", "Manager"]),
        target_date=today + timedelta(days=rng.randint(30, 150)),
        status=rng.choice([ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]),
        support_requested=rng.random() < 0.3,
    )


def _local_value(standard: Standard, rng: random.Random) -> str | int | bool | None:
    if standard.answer is AnswerKind.YES_NO:
        return rng.random() < 0.8
    if standard.answer is AnswerKind.NUMBER:
        return rng.randint(0, 6)
    if standard.answer is AnswerKind.CHOICE and standard.choices:
        return rng.choice(standard.choices)
    return None


def _sign_offs(profile: EstablishmentProfile, rng: random.Random, at: datetime) -> list[SignOff]:
    kind = "childminder" if profile.is_childminder else profile.setting_type.value
    roles = SIGN_OFF_ROLES[kind]
    names = rng.sample(NAMES, len(roles))  # one person per role: the ingest flags one in two
    return [
        SignOff(role=role, name=name, statement=f"As {label}, I confirm this audit.",
                signed_at=at - timedelta(minutes=10 * (n + 1)))
        for n, ((role, label), name) in enumerate(zip(roles, names, strict=True))
    ]  # fmt: skip


def moment(day: date, rng: random.Random) -> datetime:
    """A plausible working-hours moment on `day`, in UTC, to the second."""
    return datetime.combine(
        day, time(rng.randint(8, 16), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=UTC
    )
