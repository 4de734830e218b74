"""Overview: expected, received, accepted and overdue returns against both deadlines, by group,
and the list of settings still to return with their contact details (LA staff only)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.aggregate.overview import Completeness, missing_returns, overview
from school_audit.collector.mail import status
from school_audit.collector.web import deps, filters, roles
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, signed_in
from school_audit.collector.web.pages import mail
from school_audit.collector.web.pages.mail import FLASHES
from school_audit.collector.web.rendering import render
from school_audit.collector.web.svg import StackedRow, stacked_bar_chart
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
BREAKDOWN_TITLES = {
    "phase": "By phase",
    "type": "By type",
    "district": "By district",
    "trust": "By trust",
    "size": "By size band",
    "setting_type": "By kind of setting",
}
COMPLETENESS = ("accepted", "awaiting", "missing")


@router.get("/")
def overview_page(
    request: Request,
    user: Annotated[WebUser, Depends(signed_in)],
    cycle: str = "",
    remind: str = "",
) -> Response:
    if not roles.may_open(user.role, "overview"):
        # The steering group starts on its own suppressed view.
        return RedirectResponse(roles.home_for(user.role), status_code=303)
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle)
        if not choice.cycle:
            return render(
                request, "overview.html", {"title": tr("Overview"), "choice": choice, "data": None}
            )
        data = overview(session, choice.cycle)
        missing = missing_returns(session, choice.cycle)
        # Who was reminded when, beside each setting still to return (the Mail page's record).
        last_reminded = status.last_reminders(session, choice.cycle)
        reminding = _reminding(session, user, choice.cycle, remind == "preview")
    breakdowns = [
        (name, tr(BREAKDOWN_TITLES[name]), groups, completeness_chart(name, groups))
        for name, groups in data.by.items()
        if name in BREAKDOWN_TITLES and groups
    ]
    context = {
        "title": tr("Overview"),
        "choice": choice,
        "data": data,
        "breakdowns": breakdowns,
        "missing": missing,
        "last_reminded": last_reminded,
        "hide_setting": True,
        **reminding,
    }
    reminded = request.query_params.get("reminded")
    if reminded is not None and reminded.isdigit():
        context.update(flash=tr(FLASHES["reminded"], n=reminded), flash_kind="success")
    return render(request, "overview.html", context)


def _reminding(session: Session, user: WebUser, cycle: str, preview: bool) -> dict[str, Any]:
    """The overview's reminder button: for the LA staff who may send reminders (the Mail page's
    roles), on the cycle reminders go out for; the plan only once "Preview" is asked for."""
    if not roles.may_open(user.role, "mail"):
        return {"can_remind": False}
    open_cycle = mail.open_cycle_of(session)
    found: dict[str, Any] = {"can_remind": True, "reminder_cycle": open_cycle}
    if preview and open_cycle == cycle:
        found["plan"] = mail.todays_plan(session, cycle)
    return found


def completeness_chart(dimension: str, groups: dict[str, Completeness]) -> Markup:
    title = tr(BREAKDOWN_TITLES[dimension])
    rows = []
    for group, counts in groups.items():
        label = filters.group_label(dimension, group)
        if not counts.expected:
            rows.append(StackedRow(label, None, tr("None expected")))
            continue
        awaiting = max(counts.received - counts.accepted, 0)
        missing = max(counts.expected - counts.received, 0)
        values = {"accepted": counts.accepted, "awaiting": awaiting, "missing": missing}
        rows.append(StackedRow(label, {k: v / counts.expected for k, v in values.items()}))
    return stacked_bar_chart(
        tr("{title}: share of expected returns accepted, received and not received", title=title),
        rows,
        segments=COMPLETENESS,
    )
