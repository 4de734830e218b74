"""The dashboard's routes, gathered into one router that `create_app` mounts."""

from __future__ import annotations

from fastapi import APIRouter

from school_audit.collector.web.pages import admin, analysis, login, returns, static_files

router = APIRouter(include_in_schema=False)
for module in (static_files, login, analysis, returns, admin):
    router.include_router(module.router)
