"""The LA's analysis pages: overview, compliance, risk triage, themes and trends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from school_audit.collector.web import roles
from school_audit.collector.web.auth import WebUser
from school_audit.collector.web.guard import WebRoute, page, signed_in
from school_audit.collector.web.rendering import render
from school_audit.i18n import tr

router = APIRouter(route_class=WebRoute)


@router.get("/")
def overview(request: Request, user: Annotated[WebUser, Depends(signed_in)]) -> Response:
    if not roles.may_open(user.role, "overview"):
        # The steering group's start page is its own suppressed view.
        return RedirectResponse(roles.home_for(user.role), status_code=303)
    return render(request, "pending.html", {"title": tr("Overview")})


@router.get("/compliance")
def compliance(request: Request, user: Annotated[WebUser, Depends(page("compliance"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Compliance")})


@router.get("/triage")
def triage(request: Request, user: Annotated[WebUser, Depends(page("triage"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Risk triage")})


@router.get("/themes")
def themes(request: Request, user: Annotated[WebUser, Depends(page("themes"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Themes")})


@router.get("/trends")
def trends(request: Request, user: Annotated[WebUser, Depends(page("trends"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Trends")})


@router.get("/steering")
def steering(request: Request, user: Annotated[WebUser, Depends(page("steering"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Steering group view")})


@router.get("/exports")
def exports(request: Request, user: Annotated[WebUser, Depends(page("exports"))]) -> Response:
    return render(request, "pending.html", {"title": tr("Exports")})
