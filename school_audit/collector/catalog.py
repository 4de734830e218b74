"""Published templates: what devices download and what each return is checked against.

A published (id, version) never changes: publishing it again with other content is refused, so a
template's sha256 names exactly one text for as long as the collector lives.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import CycleRow, CycleTemplate, TemplateRow
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.template import Template
from school_audit.domain.template_loading import load_template


class PublishError(ValueError):
    """The template cannot be published (e.g. the same id and version with other content)."""


@dataclass(frozen=True)
class PublishedTemplate:
    template: Template
    cycle: str  # the cycle it is published for (normally the template's own)


def publish_template(session: Session, template: Template, cycle: str | None = None) -> bool:
    """Publish for `cycle` and make it the cycle's template for its setting type.

    Returns False when this exact template was already published (nothing changes).
    """
    cycle = cycle or template.cycle
    existing = session.get(TemplateRow, (template.id, template.version))
    if existing is not None:
        if existing.sha256 != template.sha256:
            raise PublishError(
                f"{template.id} {template.version} is already published with other content: "
                "give the new text a new version"
            )
        return False
    session.add(
        TemplateRow(
            template_id=template.id,
            version=template.version,
            sha256=template.sha256,
            setting_type=template.setting_type.value,
            cycle=cycle,
            title=template.title,
            json=canonical_bytes(template.to_json()),
        )
    )
    _use_for_cycle(session, template, cycle)
    return True


def _use_for_cycle(session: Session, template: Template, cycle: str) -> None:
    if session.get(CycleRow, cycle) is None:
        session.add(CycleRow(cycle=cycle, title=f"Safeguarding audit {cycle}", is_open=True))
        session.flush()
    setting = template.setting_type.value
    row = session.scalar(
        select(CycleTemplate).where(
            CycleTemplate.cycle == cycle, CycleTemplate.setting_type == setting
        )
    )
    if row is None:
        row = CycleTemplate(cycle=cycle, setting_type=setting)
        session.add(row)
    moved = (row.template_id, row.template_version) != (template.id, template.version)
    row.template_id, row.template_version = template.id, template.version
    if moved and row.id is not None:  # counts follow the cycle's new template (aggregate.editions)
        from school_audit.collector.aggregate import kept  # kept reads the catalog: imported late

        session.flush()
        kept.rebuild(session.connection())


def list_templates(session: Session, setting_type: str | None = None) -> list[TemplateRow]:
    query = select(TemplateRow).order_by(
        TemplateRow.cycle, TemplateRow.template_id, TemplateRow.version
    )
    if setting_type is not None:
        query = query.where(TemplateRow.setting_type == setting_type)
    return list(session.scalars(query))


class TemplateCache:
    """Parsed published templates by (id, version): parsing 150 standards per return is waste."""

    def __init__(self) -> None:
        self._items: dict[tuple[str, str], PublishedTemplate] = {}
        self._lock = threading.Lock()

    def cached(self, template_id: str, version: str) -> PublishedTemplate | None:
        """The parsed template if it was looked up before (a published text never changes)."""
        with self._lock:
            return self._items.get((template_id, version))

    def get(self, session: Session, template_id: str, version: str) -> PublishedTemplate | None:
        key = (template_id, version)
        found = self.cached(template_id, version)
        if found is not None:
            return found
        row = session.get(TemplateRow, key)
        if row is None:
            return None
        found = PublishedTemplate(load_template(row.json), row.cycle)
        with self._lock:
            self._items[key] = found
        return found
