"""Admin: upload a register (the GIAS CSV or the early-years CSV), see what it would add, change
and close, then apply it. The preview is the import itself, rolled back (register_import.py).

Between the two steps the file waits in the collector's folder under a random name that only
this admin's preview form knows, and is deleted when applied, replaced or after an hour.

A file that would close more settings than one import may close unasked (register.store's
guard) is previewed with the list of what it closes; the admin may then import it by ticking a
box that says they really have closed (the CLI's `--allow-closing N`), and the audit log says so.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.register import TooManyClosures
from school_audit.collector.register_import import (
    KINDS,
    import_register,
    parse_register,
    preview_register,
)
from school_audit.collector.web import deps
from school_audit.collector.web.guard import WebRoute
from school_audit.collector.web.pages.admin_common import SECTIONS, Admin
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)
Field = Annotated[str, Form()]
MAX_UPLOAD = 100 * 1024 * 1024  # the national GIAS file is about 60 MB; an LA's is far smaller
KEEP_SECONDS = 3600
MAX_LISTED = 50


def _folder(request: Request) -> Path:
    folder = deps.settings(request).home / "register-uploads"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in folder.glob("*"):
        if old.stat().st_mtime < time.time() - KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


@router.get("/admin/register")
def register_page(request: Request, user: Admin) -> Response:
    return _render(request, {})


def _render(request: Request, extra: dict[str, Any], code: int = 200) -> Response:
    context = {"title": tr("Register upload"), "admin_sections": SECTIONS, "form": {}}
    context.update(extra)
    return render(request, "admin_register.html", context, status=code)


def _refuse(request: Request, why: str, problems: list[object], form: dict[str, str]) -> Response:
    listed = [str(p) for p in problems[:MAX_LISTED]]
    if len(problems) > MAX_LISTED:
        listed.append(tr("… and {n} more", n=len(problems) - MAX_LISTED))
    error = tr("Nothing was imported: {why}.", why=why)
    return _render(request, {"error": error, "problems": listed, "form": form}, code=422)


def _parse(data: bytes, kind: str, la_code: str, local_authority: str = "") -> Any:
    return parse_register(data, kind, la_code.strip() or None, local_authority)


@router.post("/admin/register/preview")
def preview(request: Request, user: Admin, file: Annotated[UploadFile, File()],
            kind: Field = "gias", la_code: Field = "",
            local_authority: Field = "") -> Response:  # fmt: skip
    form = {"kind": kind, "la_code": la_code, "local_authority": local_authority[:100]}
    if kind not in KINDS:
        return _refuse(request, tr("choose which register the file is"), [], form)
    data = file.file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _refuse(
            request, tr("the file is larger than {n} MB", n=MAX_UPLOAD // 2**20), [], form
        )
    closing: TooManyClosures | None = None
    try:
        parsed = _parse(data, kind, la_code, form["local_authority"])
        summary = preview_register(deps.database(request), parsed, kind, user.username,
                                   la_code.strip() or None)  # fmt: skip
    except TooManyClosures as guard:  # shown with the override: the admin may confirm it
        closing, summary = guard, guard.summary
    except ValueError as error:  # RegisterImportError, NothingToImport
        return _refused_import(request, error, form)
    token = secrets.token_urlsafe(24)
    held = _folder(request) / token
    held.write_bytes(data)
    held.chmod(0o600)
    closes = len(summary.closed) if closing else 0
    about = {**form, "user": user.username, "closing": closes}
    (held.with_suffix(".json")).write_text(json.dumps(about))
    context = {
        "preview": summary,
        "parsed": parsed,
        "token": token,
        "sha256": hashlib.sha256(data).hexdigest(),
        "form": form,
        "limit": MAX_LISTED,
        "closing": closing,
        "closing_lines": summary.closing_lines(MAX_LISTED) if closing else [],
    }
    return _render(request, context)


@router.post("/admin/register/apply")
def apply(
    request: Request,
    user: Admin,
    token: Field = "",
    allow_closing: Field = "",
    confirm_closing: Field = "",
) -> Response:
    folder = _folder(request)
    held, about = folder / token, folder / f"{token}.json"
    if (
        not token.replace("-", "").replace("_", "").isalnum()
        or not held.is_file()
        or not about.is_file()
    ):
        return _refuse(
            request,
            tr("the preview has expired or was already applied: upload the file again"),
            [],
            {},
        )
    form = json.loads(about.read_text())
    if form.get("user") != user.username:
        return _refuse(request, tr("this preview belongs to another user"), [], {})
    closes = int(form.get("closing") or 0)
    if closes and (confirm_closing != "yes" or allow_closing != str(closes)):
        # The file stays held: going back to the preview and ticking the box still works.
        return _refuse(request, tr(
            "this file closes {n} settings, more than one import may close unasked: tick the box "
            "that says they really have closed, then import", n=closes), [], {})  # fmt: skip
    try:
        parsed = _parse(held.read_bytes(), form["kind"], form["la_code"],
                        form.get("local_authority", ""))  # fmt: skip
        summary = import_register(deps.database(request), parsed, form["kind"], user.username,
                                  form["la_code"].strip() or None,
                                  allow_closing=closes or None)  # fmt: skip
    except ValueError as error:  # the register's own refusals, including its guard on closures
        return _refused_import(request, error, {})
    finally:
        held.unlink(missing_ok=True)
        about.unlink(missing_ok=True)
    # Shown in this response (not a redirect carrying text): a reload finds the preview used up.
    return _render(
        request, {"result": summary, "flash": tr("Register imported."), "flash_kind": "success"}
    )


def _refused_import(request: Request, error: ValueError, form: dict[str, str]) -> Response:
    problems = list(getattr(error, "problems", []) or [])
    if problems:
        return _refuse(
            request, tr("fix these problems in the file and upload it again"), problems, form
        )
    return _refuse(request, str(error), [], form)
