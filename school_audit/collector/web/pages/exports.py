"""Exports: the returns (one row per return) and the aggregate tables, as XLSX or CSV, and the
steering group's PDF pack.

The files come from `collector.exports`, which also writes the audit-log line. The steering group
only ever gets the suppressed aggregate pack, whatever the address asks for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.exports.steering_pack import export_steering_pack
from school_audit.collector.exports.tables import ExportResult, export_aggregates, export_returns
from school_audit.collector.web import deps, filters, roles
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, not_found, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
FORMATS = ("xlsx", "csv")


@router.get("/exports")
def exports_page(
    request: Request,
    user: Annotated[WebUser, Depends(page("exports"))],
    cycle: str = "",
    setting_type: str = "",
) -> Response:
    with deps.database(request).read() as session:
        choice = filters.choose(session, cycle, setting_type)
    context = {
        "title": tr("Exports"),
        "choice": choice,
        "action": "/exports",
        "full_access": roles.may_open(user.role, "export_returns"),
        "query": f"cycle={choice.cycle}&setting_type={choice.setting_type}",
    }
    return render(request, "exports.html", context)


def _export(request: Request, make: Callable[[Session], ExportResult]) -> ExportResult:
    """Build the file in a read session, then write its audit-log line in a short transaction.

    On SQLite a write transaction holds the only writer's lock: building a large file inside one
    kept every school's upload waiting until the file was done. The export functions add their
    audit-log line to the session they are given (and change nothing else); it is carried over to
    the write, and the file goes out only once that line is committed.
    """
    database = deps.database(request)
    with database.read() as session, session.no_autoflush:
        result = make(session)
        if session.dirty or session.deleted:  # not for this path: the change would be lost
            raise RuntimeError("an export changed stored rows; build it in a write transaction")
        added = list(session.new)  # the audit-log line
        session.expunge_all()
    with database.write() as session:
        session.add_all(added)
    return result


def _download(result: ExportResult) -> Response:
    response = Response(result.content, media_type=result.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response


def _chosen(session: Any, cycle: str, setting_type: str) -> filters.Choice:
    """The cycle and kind of setting to export; a plain 404 while there is no cycle at all."""
    choice = filters.choose(session, cycle, setting_type)
    if not choice.cycle:
        raise not_found(tr("An audit cycle"))
    return choice


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise not_found(tr("That kind of file"))
    return fmt


@router.get("/exports/returns.{fmt}")
def download_returns(
    request: Request,
    fmt: str,
    user: Annotated[WebUser, Depends(page("export_returns"))],
    cycle: str = "",
    setting_type: str = "",
) -> Response:
    fmt = _format(fmt)

    def make(session: Session) -> ExportResult:
        choice = _chosen(session, cycle, setting_type)
        return export_returns(session, choice.cycle, fmt, user.username, choice.setting_type)

    return _download(_export(request, make))


@router.get("/exports/aggregates.{fmt}")
def download_aggregates(
    request: Request,
    fmt: str,
    user: Annotated[WebUser, Depends(page("export_aggregates"))],
    cycle: str = "",
    setting_type: str = "",
    pack: str = "",
) -> Response:
    fmt = _format(fmt)
    # Full counts only for LA staff who ask for them; the steering group always gets suppression,
    # from the latest snapshot.
    steering = pack == "steering" or not roles.may_open(user.role, "export_returns")
    with deps.database(request).read() as session:
        choice = _chosen(session, cycle, setting_type)
    snapshot = (
        deps.steering_snapshot(request, choice.cycle, choice.setting_type) if steering else None
    )
    view = snapshot.view if snapshot is not None else None

    def make(session: Session) -> ExportResult:
        return export_aggregates(session, choice.cycle, fmt, user.username, steering=steering,
                                 setting_type=choice.setting_type, view=view)  # fmt: skip

    return _download(_export(request, make))


@router.get("/exports/steering-pack.pdf")
def download_steering_pack(
    request: Request,
    user: Annotated[WebUser, Depends(page("export_aggregates"))],
    cycle: str = "",
    setting_type: str = "",
) -> Response:
    # Always the suppressed view of the latest snapshot, whoever asks: the PDF is for the
    # steering group.
    with deps.database(request).read() as session:
        choice = _chosen(session, cycle, setting_type)
    snapshot = deps.steering_snapshot(request, choice.cycle, choice.setting_type)
    with deps.database(request).write() as session:
        result = export_steering_pack(
            session,
            choice.cycle,
            user.username,
            setting_type=choice.setting_type,
            la_name=deps.settings(request).la_name,
            view=snapshot.view if snapshot is not None else None,
        )
    return _download(result)
