"""The return page says how each role signed and flags what a reviewer should check: one person
in two roles, and every signature made on the setting's computer within minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from school_audit.domain.envelope import rfc3339
from school_audit.domain.seal import content_sha256
from school_audit.signing import sign_attestation
from tests.collector_web import seeding


def signatures_section(html: str) -> str:
    return html.split('id="signatures-heading"')[1].split("</table>")[0]


def test_signatures_made_together_on_one_computer_are_flagged(as_role, seeded):
    # The seeded returns: DSL and head both "signed" on the setting's computer in one minute.
    section = signatures_section(as_role("la_officer").get(f"/returns/{seeded['strong']}").text)
    assert "Dana Lead" in section and "Harry Head" in section
    assert "on the setting&#39;s computer within 10 minutes" in section
    assert "On the setting&#39;s computer (no attestation)" in section


def test_how_each_role_signed_and_one_person_in_two_roles(as_role, app, seeded,
                                                          mini_template_loaded):  # fmt: skip
    database, key = app.state.database, app.state.collector_key
    school = seeding.add_school(database, "100003", "Cherry Tree Infants", "infant", "Redditch")
    envelope = seeding.envelope_for(school, mini_template_loaded, seeding.ALL_MET)
    now = datetime.now(UTC)
    envelope["content_sha256"] = content_sha256(envelope)
    dsl, head = envelope["sign_off"]
    dsl["attestation"] = {"method": "in_person", "at": rfc3339(now - timedelta(days=2))}
    dsl["signed_at"] = rfc3339(now - timedelta(days=2))
    head["name"] = "D. Lead"  # the DSL again, spelt differently
    head["attestation"] = sign_attestation(key, content_sha256=envelope["content_sha256"],
                                           role="head_teacher", name="D. Lead",
                                           verified_at=rfc3339(now))  # fmt: skip
    dsl["name"] = "d lead"
    submission_id = seeding.submit(database, key, school, envelope)
    section = signatures_section(as_role("la_officer").get(f"/returns/{submission_id}").text)
    assert "In person, on the setting&#39;s computer" in section
    assert "Remotely, by a code sent to their email" in section
    assert "The designated safeguarding lead and the head teacher are the same person." in section
    assert "within 10 minutes" not in section  # one signed remotely, days apart
