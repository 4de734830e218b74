"""Admin: publish a template or a local pack from an uploaded JSON or XLSX file, with every
problem found in the file listed in words. Reading goes through collector/authoring.py and
publishing through the catalog, as on the command line."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.authoring import AuthoredFileError, read_upload
from school_audit.collector.catalog import PublishError, list_templates, publish_template
from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.local_packs import PackPublishError, list_packs, publish_pack
from school_audit.collector.web import deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.pages.admin_common import SECTIONS, Admin, flash
from school_audit.collector.web.rendering import render
from school_audit.domain.local_pack import LocalPack
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
MAX_UPLOAD = 5 * 1024 * 1024  # the largest authored workbook we ship is far below this
MAX_LISTED = 50
DONE = {
    "published": "Published: devices are offered it from now on.",
    "same": "Already published with exactly this content: nothing changed.",
}


@router.get("/admin/templates")
def templates_page(request: Request, user: Admin) -> Response:
    return _render(request, flash(request, DONE))


def _render(request: Request, extra: dict[str, Any], code: int = 200) -> Response:
    with deps.database(request).read() as session:
        context = {
            "title": tr("Templates and local packs"),
            "admin_sections": SECTIONS,
            "templates": list_templates(session),
            "packs": list_packs(session),
        }
    context.update(extra)
    return render(request, "admin_templates.html", context, status=code)


def _refuse(request: Request, why: str, problems: list[object] | None = None) -> Response:
    listed = [str(p) for p in (problems or [])]
    if len(listed) > MAX_LISTED:
        listed = listed[:MAX_LISTED] + [tr("… and {n} more", n=len(listed) - MAX_LISTED)]
    error = tr("Nothing was published: {why}.", why=why)
    return _render(request, {"error": error, "problems": listed}, code=422)


@router.post("/admin/templates")
def publish(
    request: Request,
    user: Admin,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form()] = "template",
) -> Response:
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _refuse(request, tr("the file is larger than {n} MB", n=MAX_UPLOAD // 2**20))
    if not data:
        return _refuse(request, tr("the file is empty"))
    try:
        authored = read_upload(data, "pack" if kind == "pack" else "template")
    except AuthoredFileError as error:
        return _refuse(request, str(error), list(error.problems))
    try:
        with deps.database(request).write() as session:
            if isinstance(authored, LocalPack):
                created = publish_pack(session, authored)
                action, target = "local_pack_published", f"{authored.id} {authored.version}"
            else:
                created = publish_template(session, authored)
                action, target = "template_published", f"{authored.id} {authored.version}"
            if created:
                session.add(AuditLogEntry(actor=user.username, action=action, target=target,
                                          detail=f"cycle {authored.cycle}"))  # fmt: skip
    except PackPublishError as error:
        return _refuse(request, str(error), list(error.problems))
    except PublishError as error:
        return _refuse(request, str(error))
    return RedirectResponse(f"/admin/templates?done={'published' if created else 'same'}",
                            status_code=303)  # fmt: skip
