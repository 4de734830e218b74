"""GET /templates and GET /templates/{id}/{version}: what a device may download."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from school_audit.collector.api.body import StrictJSONRoute
from school_audit.collector.api.deps import Device, get_database
from school_audit.collector.api.errors import ApiError
from school_audit.collector.api.schemas import TemplateSummary
from school_audit.collector.catalog import list_templates
from school_audit.collector.db.tables import TemplateRow

router = APIRouter(tags=["templates"], route_class=StrictJSONRoute)


@router.get("/templates", response_model=list[TemplateSummary])
async def get_templates(request: Request, device: Device) -> list[TemplateSummary]:
    def load() -> list[TemplateSummary]:
        with get_database(request).read() as session:
            return [
                TemplateSummary(
                    id=row.template_id,
                    version=row.version,
                    sha256=row.sha256,
                    setting_type=row.setting_type,
                    cycle=row.cycle,
                    title=row.title,
                )
                for row in list_templates(session, device.setting_type)
            ]

    return await run_in_threadpool(load)


@router.get(
    "/templates/{template_id}/{version}",
    responses={200: {"content": {"application/json": {}}, "description": "the template JSON"}},
)
async def get_template(
    template_id: str, version: str, request: Request, device: Device
) -> Response:
    def load() -> bytes | None:
        with get_database(request).read() as session:
            row = session.get(TemplateRow, (template_id, version))
            return row.json if row else None

    data = await run_in_threadpool(load)
    if data is None:
        raise ApiError(404, "not_found", f"No published template {template_id} {version}.")
    return Response(data, media_type="application/json")
