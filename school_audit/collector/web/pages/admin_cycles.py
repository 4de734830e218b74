"""Admin: open a cycle with its templates and deadlines, move the deadlines, exempt a setting
with a reason and undo it. Each change goes through collector/cycles.py, which logs it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector import cycles
from school_audit.collector.catalog import list_templates
from school_audit.collector.web import deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.pages.admin_common import SECTIONS, Admin, flash
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
Field = Annotated[str, Form()]
DONE = {
    "opened": "Cycle opened.",
    "deadlines": "Deadlines changed.",
    "exempted": "Exemption recorded.",
    "lifted": "Exemption lifted: the setting is expected to return again.",
}


@router.get("/admin/cycles")
def cycles_page(request: Request, user: Admin) -> Response:
    return _render(request, flash(request, DONE))


def _render(request: Request, extra: dict[str, Any], code: int = 200) -> Response:
    with deps.database(request).read() as session:
        known = cycles.list_cycles(session)
        context = {
            "title": tr("Cycles and exemptions"),
            "admin_sections": SECTIONS,
            "cycles": known,
            "exemptions": {c.cycle: cycles.exemptions(session, c.cycle) for c in known},
            "templates": list_templates(session),
            "form": {},
        }
    context.update(extra)
    return render(request, "admin_cycles.html", context, status=code)


def _change(request: Request, done: str, change: Callable[[Session], object],
            form: dict[str, str]) -> Response:  # fmt: skip
    try:
        with deps.database(request).write() as session:
            change(session)
    except cycles.CycleError as problem:
        error = tr("Nothing was changed: {why}.", why=str(problem))
        return _render(request, {"error": error, "form": form}, code=422)
    return RedirectResponse(f"/admin/cycles?done={done}", status_code=303)


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise cycles.CycleError(f"the {what} should be a date like 2026-03-31") from None


@router.post("/admin/cycles")
async def open_cycle_form(request: Request, user: Admin) -> Response:
    # Async only to read the repeated `template` field; the database work goes to the pool.
    from starlette.concurrency import run_in_threadpool

    form = await request.form()
    chosen = [str(v) for v in form.getlist("template") if str(v)]
    fields = {k: str(form.get(k) or "") for k in ("cycle", "first", "final", "title")}

    def opening(session: Session) -> None:
        refs = [cycles.parse_template_ref(ref) for ref in chosen]
        if not refs:
            raise cycles.CycleError("choose at least one published template")
        cycles.open_cycle(session, fields["cycle"].strip(), refs, _day(fields["first"], "first deadline"),
                          _day(fields["final"], "final deadline"), user.username,
                          fields["title"].strip() or None)  # fmt: skip

    return await run_in_threadpool(_change, request, "opened", opening, fields)


@router.post("/admin/cycles/{cycle}/deadlines")
def move_deadlines(
    request: Request, user: Admin, cycle: str, first: Field = "", final: Field = ""
) -> Response:
    def moving(session: Session) -> None:
        cycles.set_deadlines(session, cycle, _day(first, "first deadline"),
                             _day(final, "final deadline"), user.username)  # fmt: skip

    return _change(request, "deadlines", moving, {})


@router.post("/admin/cycles/{cycle}/exemptions")
def exempt(
    request: Request, user: Admin, cycle: str, urn: Field = "", reason: Field = ""
) -> Response:
    return _change(request, "exempted",
                   lambda s: cycles.exempt(s, cycle, urn.strip(), reason, user.username),
                   {"urn": urn, "reason": reason, "exempt_cycle": cycle})  # fmt: skip


@router.post("/admin/cycles/{cycle}/exemptions/{urn}/lift")
def lift(request: Request, user: Admin, cycle: str, urn: str) -> Response:
    def lifting(session: Session) -> None:
        if not cycles.lift_exemption(session, cycle, urn, user.username):
            raise cycles.CycleError(f"{urn} is not exempt from {cycle}")

    return _change(request, "lifted", lifting, {})
