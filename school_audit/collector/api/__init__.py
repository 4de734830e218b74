"""The devices' HTTP API (ARCHITECTURE §4.2), mounted under /api/v1."""

from fastapi import APIRouter

from school_audit.collector.api import (
    collector_keys,
    enrolments,
    health,
    letters,
    local_packs,
    sign_off_requests,
    submissions,
    templates,
)
from school_audit.collector.api.body import StrictJSONRoute

# Each module's router uses StrictJSONRoute itself: include_router keeps the route class.
api_router = APIRouter(route_class=StrictJSONRoute)
_MODULES = (health, collector_keys, enrolments, templates, local_packs, submissions, letters,
            sign_off_requests)  # fmt: skip
for module in _MODULES:
    api_router.include_router(module.router)

__all__ = ["api_router"]
