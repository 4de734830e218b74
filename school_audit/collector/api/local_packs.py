"""GET /local-packs and GET /local-packs/{id}/{version}: the LA's local packs a device merges
under the national templates (an optional extension of ARCHITECTURE §4.2; a collector without
packs answers an empty list)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.deps import Device, get_database
from school_audit.collector.api.errors import ApiError
from school_audit.collector.db.tables import LocalPackRow
from school_audit.collector.local_packs import applies_to, list_packs

router = APIRouter(tags=["local packs"], route_class=StrictJSONRoute)


class LocalPackSummary(BaseModel):
    id: str
    version: str
    sha256: str
    cycle: str
    title: str
    la_name: str
    applies_to: list[str]  # the national template ids it goes under


@router.get("/local-packs", response_model=list[LocalPackSummary])
async def get_local_packs(request: Request, device: Device) -> list[LocalPackSummary]:
    def load() -> list[LocalPackSummary]:
        with get_database(request).read() as session:
            return [
                LocalPackSummary(
                    id=row.pack_id,
                    version=row.version,
                    sha256=row.sha256,
                    cycle=row.cycle,
                    title=row.title,
                    la_name=row.la_name,
                    applies_to=applies_to(row),
                )
                for row in list_packs(session, device.setting_type)
            ]

    return await run_in_threadpool(load)


@router.get(
    "/local-packs/{pack_id}/{version}",
    responses={200: {"content": {"application/json": {}}, "description": "the local pack JSON"}},
)
async def get_local_pack(pack_id: str, version: str, request: Request, device: Device) -> Response:
    def load() -> bytes | None:
        with get_database(request).read() as session:
            row = session.get(LocalPackRow, (pack_id, version))
            return row.json if row else None

    data = await run_in_threadpool(load)
    if data is None:
        raise ApiError(404, "not_found", f"No published local pack {pack_id} {version}.")
    return Response(data, media_type="application/json")
