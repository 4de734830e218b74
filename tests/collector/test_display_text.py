"""A return's display copies (answer, action and sign-off rows) hold no control characters; the
signed envelope is kept exactly as signed."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from school_audit.collector.db.tables import ActionRow, Answer, SignOffRow, Submission


def test_control_characters_stay_in_the_signed_bytes_only(client, world, device):
    envelope = device.envelope(world.template)
    envelope["responses"][0]["evidence"] = "Seen\x01 in the\x0bminutes.\r\nSigned."  # NUL: refused
    envelope["sign_off"][0]["name"] = "Alex\x01 Morgan"
    envelope["actions"] = [
        {
            "action_id": "0b7f3c1e-3f0a-4d7e-9a59-2f1a3c4d5e6f",
            "standard_id": envelope["responses"][0]["standard_id"],
            "description": "Book\x02 the training.",
            "owner_role": "DSL\x7f",
            "target_date": "2026-03-31",
            "status": "not_started",
        }
    ]
    body = device.resign(envelope)
    response = client.post("/api/v1/submissions", json=body, headers=device.headers)
    assert response.status_code == 201, response.text
    sid = envelope["submission_id"]
    with world.database.read() as session:
        evidence = session.scalars(
            select(Answer.evidence).where(
                Answer.submission_id == sid,
                Answer.standard_id == envelope["responses"][0]["standard_id"],
            )
        ).one()
        action = session.scalars(select(ActionRow).where(ActionRow.submission_id == sid)).one()
        signer = session.scalars(select(SignOffRow).where(SignOffRow.submission_id == sid)).one()
        stored = session.get(Submission, sid)
    assert evidence == "Seen in the\nminutes.\nSigned."
    assert (action.description, action.owner_role) == ("Book the training.", "DSL")
    assert signer.name == "Alex Morgan"
    # The signed envelope is untouched: its hash still matches and it still holds them.
    assert hashlib.sha256(stored.envelope).hexdigest() == stored.envelope_sha256
    kept = json.loads(stored.envelope)
    assert kept["responses"][0]["evidence"] == envelope["responses"][0]["evidence"]
