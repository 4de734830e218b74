"""The dashboard's routes, gathered into one router that `create_app` mounts."""

from __future__ import annotations

from fastapi import APIRouter

from school_audit.collector.web.pages import (
    admin,
    compliance,
    exports,
    login,
    mail,
    overview,
    returns,
    settings,
    static_files,
    steering,
    themes,
    triage,
)

PAGE_MODULES = (
    static_files,
    login,
    overview,
    compliance,
    exports,
    triage,
    themes,
    steering,
    returns,
    settings,
    admin,
    mail,
)

router = APIRouter(include_in_schema=False)
for module in PAGE_MODULES:
    router.include_router(module.router)
