"""The demo LA publishes the Worcestershire pack, and this year's demo returns are made on it."""

from __future__ import annotations

from school_audit.collector.db.tables import LocalPackRow
from school_audit.content.local_packs import builtin_local_pack


def test_the_demo_publishes_the_worcestershire_pack_and_returns_name_it(demo_world):
    pack = builtin_local_pack("worcestershire")
    with demo_world.database.read() as session:
        row = session.get(LocalPackRow, (pack.id, pack.version))
        assert row is not None and row.sha256 == pack.sha256
    current = demo_world.envelopes("2025-26")
    assert current
    for submission, envelope in current:
        assert envelope["template"]["local_pack"] == {
            "id": "worcestershire",
            "version": pack.version,
            "sha256": pack.sha256,
        }
        assert "local_pack_unknown" not in (submission.quarantine_reason or "")
        local = {a["question_id"] for a in envelope.get("local_answers", [])}
        assert local & {"WOR1", "WOR2", "WEY1", "WEY2"}  # the pack's questions were answered
    for _, envelope in demo_world.envelopes("2024-25"):
        assert "local_pack" not in envelope["template"]  # last year's returns: no pack
