"""Audits, their answers and their actions: every change one committed transaction (autosave)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from school_audit.domain.audit import Action, Audit, AuditState, Response, clear_afresh_on_answer
from school_audit.store import rows
from school_audit.store.database import Database
from school_audit.store.errors import AuditNotFound, AuditReadOnlyError, AuditSealedError
from school_audit.store.tables import actions, audits, responses, seals, sign_offs


class AuditRecords(Database):
    def create_audit(self, audit: Audit) -> None:
        """Store a new audit with whatever answers, actions and sign-offs it already holds."""
        now = rows.utc_text()
        with self.write() as connection:
            connection.execute(insert(audits).values(_audit_row(audit, now)))
            if audit.responses:
                connection.execute(
                    insert(responses),
                    [rows.response_row(audit.audit_id, r, now) for r in audit.responses.values()],
                )
            if audit.actions:
                connection.execute(
                    insert(actions),
                    [rows.action_row(audit.audit_id, a, i) for i, a in enumerate(audit.actions)],
                )

    def audit_ids(self) -> list[uuid.UUID]:
        """Every audit, most recently changed first."""
        with self.read() as connection:
            found = connection.execute(
                select(audits.c.audit_id).order_by(audits.c.updated_at.desc())
            )
            return [uuid.UUID(value) for value in found.scalars()]

    def load_audit(self, audit_id: uuid.UUID | str) -> Audit:
        """The audit exactly as last saved, with the sign-offs of its current revision."""
        with self.read() as connection:
            row = connection.execute(select(audits).where(audits.c.audit_id == str(audit_id)))
            found = row.mappings().first()
            if found is None:
                raise AuditNotFound(str(audit_id))
            return _audit_from_rows(connection, found)

    def save_response(self, audit_id: uuid.UUID | str, response: Response) -> None:
        """Insert or replace one answer. An answer clears the standard's answer-afresh mark.

        Raises AuditReadOnlyError unless the audit is a draft, AuditNotFound, or a StoreError.
        """
        now = rows.utc_text()
        row = rows.response_row(audit_id, response, now)
        with self.write() as connection:
            afresh = _touch_draft(connection, audit_id, now)
            connection.execute(_UPSERT_RESPONSE, row)
            if clear_afresh_on_answer(afresh, response):
                _touch(connection, audit_id, now, afresh)

    def save_action(self, audit_id: uuid.UUID | str, action: Action) -> None:
        """Add an action (at the end of the plan) or change one in place."""
        now = rows.utc_text()
        with self.write() as connection:
            _draft_afresh(connection, audit_id)
            key = str(action.action_id)
            position = connection.execute(
                select(actions.c.position).where(
                    actions.c.audit_id == str(audit_id), actions.c.action_id == key
                )
            ).scalar()
            if position is None:
                position = _next_position(connection, audit_id)
                connection.execute(
                    insert(actions).values(rows.action_row(audit_id, action, position))
                )
            else:
                changes = rows.action_row(audit_id, action, position)
                connection.execute(
                    update(actions)
                    .where(actions.c.action_id == key, actions.c.audit_id == str(audit_id))
                    .values(changes)
                )
            _touch(connection, audit_id, now)

    def delete_action(self, audit_id: uuid.UUID | str, action_id: uuid.UUID) -> None:
        """Remove an action from a draft's plan (no error if it is already gone)."""
        now = rows.utc_text()
        with self.write() as connection:
            _draft_afresh(connection, audit_id)
            connection.execute(
                delete(actions).where(
                    actions.c.action_id == str(action_id), actions.c.audit_id == str(audit_id)
                )
            )
            _touch(connection, audit_id, now)

    def confirm_afresh(self, audit_id: uuid.UUID | str, standard_id: str) -> None:
        """The DSL has checked a standard marked "answer afresh": clear the mark."""
        now = rows.utc_text()
        with self.write() as connection:
            afresh = _draft_afresh(connection, audit_id)
            afresh.pop(standard_id, None)
            _touch(connection, audit_id, now, afresh)

    def replace_draft(self, audit: Audit) -> None:
        """Put a draft's moved content (another edition of its template) in place of the old, in
        one transaction: its answers, actions and marks change together or not at all."""
        key = str(audit.audit_id)
        now = rows.utc_text()
        with self.write() as connection:
            _draft_afresh(connection, audit.audit_id)
            changes = _audit_row(audit, now)
            for kept in ("audit_id", "created_at", "state", "revision", "supersedes"):
                changes.pop(kept)
            connection.execute(update(audits).where(audits.c.audit_id == key).values(changes))
            connection.execute(delete(responses).where(responses.c.audit_id == key))
            connection.execute(delete(actions).where(actions.c.audit_id == key))
            if audit.responses:
                connection.execute(
                    insert(responses),
                    [rows.response_row(key, r, now) for r in audit.responses.values()],
                )
            if audit.actions:
                connection.execute(
                    insert(actions),
                    [rows.action_row(key, a, i) for i, a in enumerate(audit.actions)],
                )

    def delete_draft(self, audit_id: uuid.UUID | str) -> None:
        """Throw away a draft that was never signed (its answers and actions go with it)."""
        with self.write() as connection:
            _draft_afresh(connection, audit_id)
            connection.execute(delete(audits).where(audits.c.audit_id == str(audit_id)))


def _audit_row(audit: Audit, now: str) -> dict[str, Any]:
    return {
        "audit_id": str(audit.audit_id),
        "cycle": audit.cycle,
        "template_id": audit.template.id,
        "template_version": audit.template.version,
        "template_sha256": audit.template_sha256,
        "state": audit.state.value,
        "revision": audit.revision,
        "supersedes": str(audit.supersedes) if audit.supersedes else None,
        "profile_json": audit.profile.model_dump_json(),
        "previous_responses_json": rows.previous_json(audit.previous_responses),
        "answer_afresh_json": rows.dumps(audit.answer_afresh),
        "created_at": now,
        "updated_at": now,
    }


def _audit_from_rows(connection: Connection, row: Mapping[Any, Any]) -> Audit:
    key = row["audit_id"]
    answers = connection.execute(select(responses).where(responses.c.audit_id == key))
    plan = connection.execute(
        select(actions).where(actions.c.audit_id == key).order_by(actions.c.position)
    )
    signed = connection.execute(
        select(sign_offs)
        .where(sign_offs.c.audit_id == key, sign_offs.c.revision == row["revision"])
        .order_by(sign_offs.c.position)
    )
    audit = rows.audit_from_rows(row, answers.mappings(), plan.mappings(), signed.mappings())
    audit.sealed = connection.execute(_SEALED, {"key": key}).first() is not None
    return audit


# Built once: these run on every keystroke-driven save, and building a statement costs more
# than executing it.
_UPSERT_RESPONSE = sqlite_insert(responses)
_UPSERT_RESPONSE = _UPSERT_RESPONSE.on_conflict_do_update(
    index_elements=[responses.c.audit_id, responses.c.standard_id],
    set_={
        name: _UPSERT_RESPONSE.excluded[name]
        for name in ("rating", "evidence", "na_reason", "dates_json", "value_json", "updated_at")
    },
)
_AUDIT_STATE = select(audits.c.state, audits.c.answer_afresh_json).where(
    audits.c.audit_id == bindparam("key")
)
_SEALED = select(seals.c.audit_id).where(seals.c.audit_id == bindparam("key"))
_TOUCH = update(audits).where(audits.c.audit_id == bindparam("key"))
_TOUCH_TIME = _TOUCH.values(updated_at=bindparam("now"))
_TOUCH_MARKS = _TOUCH.values(updated_at=bindparam("now"), answer_afresh_json=bindparam("marks"))


# A sealed draft is frozen: not sealed is part of being editable.
NOT_SEALED = ~exists().where(seals.c.audit_id == audits.c.audit_id)
_TOUCH_DRAFT = (
    update(audits)
    .where(
        audits.c.audit_id == bindparam("key"),
        audits.c.state == AuditState.DRAFT.value,
        NOT_SEALED,
    )
    .values(updated_at=bindparam("now"))
    .returning(audits.c.answer_afresh_json)
)


def _touch_draft(connection: Connection, audit_id: uuid.UUID | str, now: str) -> dict[str, str]:
    """Record the change time of a draft and return its answer-afresh marks, in one statement
    (the save path's hot spot); AuditNotFound / AuditReadOnlyError if it is not a draft."""
    marks = connection.execute(_TOUCH_DRAFT, {"key": str(audit_id), "now": now}).scalar()
    if marks is None:
        return _draft_afresh(connection, audit_id)  # raises the precise error
    found: dict[str, str] = json.loads(marks)
    return found


def _draft_afresh(
    connection: Connection, audit_id: uuid.UUID | str, *, sealed_ok: bool = False
) -> dict[str, str]:
    """The audit's answer-afresh marks, after checking it exists and is still a draft (and, to
    change it, not sealed: AuditSealedError until the DSL unseals it)."""
    found = connection.execute(_AUDIT_STATE, {"key": str(audit_id)}).first()
    if found is None:
        raise AuditNotFound(str(audit_id))
    if found.state != AuditState.DRAFT.value:
        raise AuditReadOnlyError()
    if not sealed_ok and connection.execute(_SEALED, {"key": str(audit_id)}).first():
        raise AuditSealedError()
    marks: dict[str, str] = json.loads(found.answer_afresh_json)
    return marks


def _touch(
    connection: Connection,
    audit_id: uuid.UUID | str,
    now: str,
    afresh: dict[str, str] | None = None,
) -> None:
    """Record the change time (and the answer-afresh marks, when they changed)."""
    if afresh is None:
        connection.execute(_TOUCH_TIME, {"key": str(audit_id), "now": now})
    else:
        connection.execute(
            _TOUCH_MARKS, {"key": str(audit_id), "now": now, "marks": rows.dumps(afresh)}
        )


def _next_position(connection: Connection, audit_id: uuid.UUID | str) -> int:
    last = connection.execute(
        select(func.max(actions.c.position)).where(actions.c.audit_id == str(audit_id))
    ).scalar()
    return 0 if last is None else int(last) + 1
