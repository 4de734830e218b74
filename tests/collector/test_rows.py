"""insert_values stores exactly what Core's executemany stores (booleans, dates, times, NULLs)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import insert, text

from school_audit.collector.db.tables import ActionRow, Answer, SignOffRow
from school_audit.collector.ingest.rows import insert_values
from school_audit.collector.ingest.service import Ingestor
from school_audit.collector.keys import ensure_key_file


def _stored_submission(world, device) -> str:
    from school_audit.collector.devices import authenticate

    ingestor = Ingestor(world.database, ensure_key_file(world.settings.resolved_key_file)[0])
    with world.database.read() as session:
        identity = authenticate(session, device.token)
    body = device.body(world.template)
    ingestor.ingest(body["envelope"], body["signature"], identity)
    return str(body["envelope"]["submission_id"])


def _rows(sid: str, marker: str) -> dict[type, list[dict[str, object]]]:
    common = {"submission_id": sid, "urn": "123456", "cycle": "2025-26"}
    answers = [
        {
            **common,
            "phase": "first",
            "district": district,
            "setting_type": "school",
            "current": current,
            "standard_id": f"{marker}-{n}",
            "rating": "met",
            "evidence": "Evidence with 'quotes', %s and ? marks, é",
            "na_reason": None,
            "dates": '{"reviewed":"2025-09-01"}' if n else None,
        }
        for n, (district, current) in enumerate([("Redditch", True), (None, False)])
    ]
    actions = [
        {
            **common,
            "action_id": "7f0c7a52-8a0e-4a43-9b0e-5b2d3f7f1c11",
            "standard_id": marker,
            "description": "Brief staff.",
            "owner_role": "DSL",
            "target_date": date(2026, 7, 1),
            "status": "open",
            "support_requested": flag,
        }
        for flag in (True, False)
    ]
    sign_offs = [
        {
            "submission_id": sid,
            "role": "dsl",
            "name": marker,
            "statement": "Confirmed.",
            "signed_at": datetime(2026, 3, 1, 12, 30, tzinfo=UTC),
        }
    ]
    return {Answer: answers, ActionRow: actions, SignOffRow: sign_offs}


def _read(session, model, key, marker: str) -> list[tuple[object, ...]]:
    """Raw values, as the database keeps them (no result processing that could hide a change)."""
    table = model.__table__
    names = ", ".join(c.name for c in table.columns if c.name not in {"id", key})
    query = text(f"SELECT {names} FROM {table.name} WHERE {key} LIKE :marker ORDER BY id")
    return [tuple(row) for row in session.execute(query, {"marker": f"{marker}%"})]


def test_the_quick_insert_stores_what_core_stores(world, device) -> None:
    sid = _stored_submission(world, device)
    keys = {Answer: "standard_id", ActionRow: "standard_id", SignOffRow: "name"}
    with world.database.write() as session:
        connection = session.connection()
        for model, rows in _rows(sid, "quick").items():
            values = [tuple(row.values()) for row in rows]
            insert_values(connection, model.__table__, {}, tuple(rows[0]), values)
        for model, rows in _rows(sid, "core").items():
            connection.execute(insert(model.__table__), rows)
    with world.database.read() as session:
        for model, key in keys.items():
            quick, core = _read(session, model, key, "quick"), _read(session, model, key, "core")
            assert quick == core and len(quick) == len(_rows(sid, "x")[model])


def test_shared_values_are_stored_in_every_row_as_core_stores_them(world, device) -> None:
    """insert_values: what every row shares (a boolean, a time) is converted once, not per row."""
    sid = _stored_submission(world, device)
    keys = {Answer: "standard_id", ActionRow: "standard_id", SignOffRow: "name"}
    shared_keys = {Answer: ("current", "cycle"), ActionRow: ("urn",), SignOffRow: ("signed_at",)}
    with world.database.write() as session:
        connection = session.connection()
        for model, rows in _rows(sid, "split").items():
            shared = {key: rows[0][key] for key in shared_keys[model]}
            own = tuple(key for key in rows[0] if key not in shared)
            values = [tuple(row[key] for key in own) for row in rows]
            insert_values(connection, model.__table__, shared, own, values)
        for model, rows in _rows(sid, "core").items():
            shared = {key: rows[0][key] for key in shared_keys[model]}
            connection.execute(insert(model.__table__), [{**row, **shared} for row in rows])
    with world.database.read() as session:
        for model, key in keys.items():
            split, core = _read(session, model, key, "split"), _read(session, model, key, "core")
            assert split == core and len(split) == len(_rows(sid, "x")[model])
