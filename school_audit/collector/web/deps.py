"""How the dashboard reaches the collector's database and settings (set up by `create_app`)."""

from __future__ import annotations

from starlette.requests import Request

from school_audit.collector.aggregate import snapshots
from school_audit.collector.db.engine import Database
from school_audit.collector.settings import CollectorSettings


def database(request: Request) -> Database:
    found: Database = request.app.state.database
    return found


def settings(request: Request) -> CollectorSettings:
    found = getattr(request.app.state, "settings", None)
    return found if found is not None else CollectorSettings()


def client_address(request: Request) -> str:
    # The direct peer, or the address a proxy named in the `trusted_proxies` setting passed on
    # (uvicorn applies X-Forwarded-For from those only), so that one proxy does not share one
    # rate limit among everyone behind it.
    return (request.client.host if request.client else "unknown")[:64]


def steering_snapshot(request: Request, cycle: str, setting_type: str) -> snapshots.Snapshot | None:
    """What the steering group sees of a cycle: its latest snapshot, taken now if one is due."""
    if not cycle:
        return None
    found = settings(request)
    rule = snapshots.rule_from(found)
    return snapshots.current_view(database(request), cycle, setting_type, rule)
