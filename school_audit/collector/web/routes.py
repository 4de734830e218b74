"""The dashboard's routes, gathered into one router that `create_app` mounts."""

from __future__ import annotations

from fastapi import APIRouter

from school_audit.collector.web.pages import (
    admin,
    admin_cycles,
    admin_enrolment,
    admin_register,
    admin_templates,
    admin_users,
    compliance,
    exports,
    login,
    mail,
    overview,
    password_reset,
    returns,
    settings,
    signing,
    signing_passkey,
    static_files,
    steering,
    themes,
    triage,
    verify,
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
    admin_users,
    admin_enrolment,
    admin_cycles,
    admin_templates,
    admin_register,
    mail,
    verify,
    signing,
    password_reset,
    signing_passkey,
)

router = APIRouter(include_in_schema=False)
for module in PAGE_MODULES:
    router.include_router(module.router)
