"""Published local packs: what devices download and merge under the national templates, and what
a return's `template.local_pack` is checked against (docs/templates.md, "Local packs").

As for templates, a published (id, version) never changes: publishing it again with other content
is refused. A pack is published for its cycle after the national templates it applies to, and is
checked against every edition of them published for that cycle.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.catalog import PublishError
from school_audit.collector.db import Database
from school_audit.collector.db.tables import LocalPackRow, TemplateRow
from school_audit.domain.canonical import canonical_bytes
from school_audit.domain.envelope import Envelope
from school_audit.domain.local_pack import LocalPack, check_pack_against, load_local_pack
from school_audit.domain.template import Template
from school_audit.domain.template_loading import TemplateProblem, load_template


class PackPublishError(PublishError):
    """The pack cannot be published; `problems` lists what is wrong with it, if anything."""

    def __init__(self, message: str, problems: list[TemplateProblem] | None = None) -> None:
        self.problems = problems or []
        super().__init__(message)


def publish_pack(session: Session, pack: LocalPack) -> bool:
    """Publish `pack` for its cycle. Returns False when this exact pack was already published."""
    existing = session.get(LocalPackRow, (pack.id, pack.version))
    if existing is not None:
        if existing.sha256 != pack.sha256:
            raise PackPublishError(
                f"{pack.id} {pack.version} is already published with other content: "
                "give the new text a new version"
            )
        return False
    problems = check_pack_against(pack, _national_templates(session, pack))
    if problems:
        raise PackPublishError(
            f"{pack.id} {pack.version} does not fit the national templates", problems
        )
    session.add(
        LocalPackRow(
            pack_id=pack.id,
            version=pack.version,
            sha256=pack.sha256,
            cycle=pack.cycle,
            title=pack.title,
            la_name=pack.la.name,
            applies_to=",".join(pack.applies_to),
            json=canonical_bytes(pack.to_json()),
        )
    )
    return True


def _national_templates(session: Session, pack: LocalPack) -> list[Template]:
    query = select(TemplateRow).where(
        TemplateRow.cycle == pack.cycle, TemplateRow.template_id.in_(pack.applies_to)
    )
    return [load_template(row.json) for row in session.scalars(query)]


def list_packs(session: Session, setting_type: str | None = None) -> list[LocalPackRow]:
    """Published packs, oldest cycle first; with `setting_type`, only packs that apply to a
    template published for that kind of setting."""
    rows = list(
        session.scalars(
            select(LocalPackRow).order_by(
                LocalPackRow.cycle, LocalPackRow.pack_id, LocalPackRow.version
            )
        )
    )
    if setting_type is None:
        return rows
    ids = set(
        session.scalars(
            select(TemplateRow.template_id).where(TemplateRow.setting_type == setting_type)
        )
    )
    return [row for row in rows if ids & set(row.applies_to.split(","))]


def applies_to(row: LocalPackRow) -> list[str]:
    return row.applies_to.split(",")


@dataclass(frozen=True)
class _Known:
    sha256: str
    applies_to: frozenset[str]
    question_ids: frozenset[str]


class PackCheck:
    """Whether a return's `template.local_pack` names a published pack for its template. Packs
    never change under their id and version, so what was found once is remembered."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str], _Known] = {}
        self._lock = threading.Lock()

    def check(self, database: Database, envelope: Envelope) -> tuple[list[str], frozenset[str]]:
        """The problems with the named pack, and the ids of its questions when it is good."""
        named = envelope.template.local_pack
        if named is None:
            return [], frozenset()
        found = self._find(database, named.id, named.version)
        where = f"{named.id} {named.version}"
        if found is None or found.sha256 != named.sha256:
            problem = (
                f"local_pack_unknown: the collector has no local pack {where} with that sha256"
            )
            return [problem], frozenset()
        if envelope.template.id not in found.applies_to:
            problem = (
                f"local_pack_unknown: the local pack {where} is not for {envelope.template.id}"
            )
            return [problem], frozenset()
        return [], found.question_ids

    def _find(self, database: Database, pack_id: str, version: str) -> _Known | None:
        with self._lock:
            known = self._known.get((pack_id, version))
        if known is not None:
            return known
        with database.read() as session:
            row = session.get(LocalPackRow, (pack_id, version))
            if row is None:
                return None
            pack = load_local_pack(row.json)
        ids = frozenset(q.id for section in pack.sections for q in section.questions)
        known = _Known(pack.sha256, frozenset(pack.applies_to), ids)
        with self._lock:
            self._known[(pack_id, version)] = known
        return known
