"""Mail and reminders (LA staff): today's reminder plan with a button to send it, the reminder
history, failed mail with the address to correct, and the bulk feedback-letter send."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.cycles import list_cycles
from school_audit.collector.letters import queue_letters
from school_audit.collector.mail import contacts, reminders, status
from school_audit.collector.web import deps
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
FLASHES = {
    "reminded": "Reminders queued: {n} setting(s). They go out with the next mail round.",
    "letters": "Feedback letters queued: {n} message(s).",
    "contact": "Address saved.",
}


def _today() -> Any:
    return datetime.now(UTC).date()


def _open_cycle(request: Request) -> str | None:
    with deps.database(request).read() as session:
        return open_cycle_of(session)


def open_cycle_of(session: Session) -> str | None:
    """The cycle reminders go out for: the newest open one."""
    cycles = [c.cycle for c in list_cycles(session) if c.is_open]
    return cycles[-1] if cycles else None


def todays_plan(session: Session, cycle: str) -> reminders.ReminderPlan:
    """Who gets which reminder today and why: what the Mail page and the overview preview."""
    return reminders.plan_reminders(session, cycle, _today())


@router.get("/mail")
def mail_page(
    request: Request, user: Annotated[WebUser, Depends(page("mail"))], urn: str = ""
) -> Response:
    return _render(request, urn=urn.strip())


def _render(request: Request, *, urn: str = "", error: str = "", form: dict[str, str] | None = None,
            code: int = 200) -> Response:  # fmt: skip
    cycle = _open_cycle(request)
    with deps.database(request).read() as session:
        context: dict[str, Any] = {
            "title": tr("Mail and reminders"),
            "cycle": cycle,
            "summary": status.mail_summary(session),
            "plan": todays_plan(session, cycle) if cycle else None,
            "history": status.recent_reminders(session, cycle, urn or None) if cycle else [],
            "urn": urn,
            "error": error,
            "form": form or {},
            "roles": contacts.ROLES,
        }
    key = next((k for k in FLASHES if request.query_params.get(k)), None)
    if key:
        context.update(
            flash=tr(FLASHES[key], n=request.query_params.get(key)), flash_kind="success"
        )
    return render(request, "mail.html", context, status=code)


@router.post("/mail/remind")
def send_todays_reminders(
    request: Request, user: Annotated[WebUser, Depends(page("mail"))], back: str = ""
) -> Response:
    """Take today's reminder steps (each once: `reminders.send_reminders`); `back=overview`
    when the button was pressed on the overview's preview, which is shown again."""
    cycle = _open_cycle(request)
    if cycle is None:
        return _render(request, error=tr("No cycle is open."), code=422)
    sent = reminders.send_reminders(deps.database(request), cycle, _today())
    if back == "overview":
        query = urlencode({"cycle": cycle, "reminded": len(sent)})
        return RedirectResponse(f"/?{query}#reminders-h", status_code=303)
    return RedirectResponse(f"/mail?reminded={len(sent)}", status_code=303)


@router.post("/mail/letters")
def send_letters(request: Request, user: Annotated[WebUser, Depends(page("mail"))]) -> Response:
    cycle = _open_cycle(request)
    if cycle is None:
        return _render(request, error=tr("No cycle is open."), code=422)
    with deps.database(request).write() as session:
        queued = queue_letters(session, cycle, user.username)
    return RedirectResponse(f"/mail?letters={len(queued)}", status_code=303)


@router.post("/mail/contacts")
async def correct_contact(
    request: Request, user: Annotated[WebUser, Depends(page("mail"))]
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        await run_in_threadpool(_save_contact, request, form, user.username)
    except contacts.ContactError as problem:
        message = str(problem)
        return await run_in_threadpool(_render, request, error=message, form=form, code=422)
    return RedirectResponse("/mail?contact=1", status_code=303)


def _save_contact(request: Request, form: dict[str, str], actor: str) -> None:
    with deps.database(request).write() as session:
        contacts.set_contact(session, form.get("urn", "").strip(), form.get("role", ""),
                             form.get("email", ""), actor=actor)  # fmt: skip
