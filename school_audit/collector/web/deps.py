"""How the dashboard reaches the collector's database and settings (set up by `create_app`)."""

from __future__ import annotations

from starlette.requests import Request

from school_audit.collector.db.engine import Database
from school_audit.collector.settings import CollectorSettings


def database(request: Request) -> Database:
    found: Database = request.app.state.database
    return found


def settings(request: Request) -> CollectorSettings:
    found = getattr(request.app.state, "settings", None)
    return found if found is not None else CollectorSettings()


def client_address(request: Request) -> str:
    # The direct peer: a reverse proxy must pass the real address through uvicorn's
    # --forwarded-allow-ips so that one busy proxy does not share one rate limit.
    return (request.client.host if request.client else "unknown")[:64]
