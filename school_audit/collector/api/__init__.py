"""The devices' HTTP API (ARCHITECTURE §4.2), mounted under /api/v1."""

from fastapi import APIRouter

from school_audit.collector.api import health
from school_audit.collector.api.body import StrictJSONRoute

api_router = APIRouter(route_class=StrictJSONRoute)
api_router.include_router(health.router)

__all__ = ["api_router"]
