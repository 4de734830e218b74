"""The collector's FastAPI application factory."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from school_audit import __version__
from school_audit.collector.api import api_router
from school_audit.collector.api.errors import install_error_handlers
from school_audit.collector.db import Database, init_database
from school_audit.collector.keys import load_key_file, load_key_history
from school_audit.collector.settings import CollectorSettings

log = logging.getLogger(__name__)


def create_app(
    settings: CollectorSettings | None = None, *, database: Database | None = None
) -> FastAPI:
    """The app: API under /api/v1 and the dashboard. The database is upgraded to head."""
    settings = settings or CollectorSettings.from_env()
    app = FastAPI(
        title="school-audit collector",
        version=__version__,
        description="Receives signed safeguarding audit returns from schools and early-years settings.",
        # The interactive pages load their scripts from a CDN: not on an LA server. The
        # description itself stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database or init_database(settings.resolved_database_url)
    app.state.collector_key = load_key_file(settings.resolved_key_file)
    # Every key it ever signed with: attestations made before a rotation still verify, and
    # devices follow a rotation from the key they pinned (GET /api/v1/collector-keys).
    app.state.collector_key_history = load_key_history(
        settings.resolved_key_file, app.state.collector_key
    )
    app.state.collector_public_keys = {
        entry["key_id"]: entry["public_key"] for entry in app.state.collector_key_history
    }
    install_error_handlers(app)
    app.add_middleware(ApiHeaders)
    app.include_router(api_router, prefix="/api/v1")
    from school_audit.collector.web.routes import router as web_router

    app.include_router(web_router)
    return app


class ApiHeaders:
    """Plain ASGI (no BaseHTTPMiddleware overhead): API answers are never cached or sniffed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
