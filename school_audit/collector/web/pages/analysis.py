"""The LA's analysis pages: overview, compliance, risk triage, themes and trends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)


@router.get("/exports")
def exports(request: Request, user: Annotated[WebUser, Depends(page("exports"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Exports")})
