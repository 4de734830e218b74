"""The dashboard's own CSS (no CDN). Served by name from the package; nothing else is reachable."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from school_audit.collector.web.guard import WebRoute, not_found

router = APIRouter(route_class=WebRoute)
STATIC = Path(__file__).resolve().parent.parent / "static"
TYPES = {
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".js": "text/javascript; charset=utf-8",  # passkey.js: the signing page's passkey button
}


@router.get("/static/{name}")
def static_file(request: Request, name: str) -> Response:
    path = STATIC / name
    if "/" in name or name.startswith(".") or path.suffix not in TYPES or not path.is_file():
        raise not_found(name)
    response = Response(path.read_bytes(), media_type=TYPES[path.suffix])
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
