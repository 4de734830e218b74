"""Codes become words wherever a person reads them: the audit log (events, and names rather than
ids), quarantine reasons, column names."""

from __future__ import annotations

from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.web import wording
from tests.collector_web.conftest import csrf_from


def test_the_audit_log_shows_events_and_names_not_codes_and_ids(as_role, seeded, app):
    officer = as_role("la_officer")
    token = csrf_from(officer.get("/returns").text)
    officer.post(
        f"/returns/{seeded['strong']}/review", data={"csrf_token": token, "decision": "accepted"}
    )
    with app.state.database.write() as session:
        session.add(AuditLogEntry(actor="ada", action="cycle.exempt", target="2025-26/100002"))
        session.add(AuditLogEntry(actor="ada", action="contact.set", target="100001"))
    page = as_role("admin").get("/admin").text
    assert "Return accepted" in page and "Logged in" in page
    assert (
        "Setting exempted from the cycle" in page
        and "cycle.exempt" not in page.split("<tbody>")[-1]
    )
    assert "Hollybank First School (URN 100001), 2025-26, revision 1" in page  # a review's target
    assert "Brookside Primary School (URN 100002), 2025-26" in page
    assert '<td class="small">Hollybank First School (URN 100001)</td>' in page  # a bare URN
    assert f">{seeded['strong']}<" not in page  # the id is in the link, not in the text


def test_quarantine_reasons_read_as_words():
    words = wording.quarantine_words("na_on_statutory: A1, C4; timestamp_not_utc: a time is not")
    assert words == [
        "Statutory standards answered “not applicable”: A1, C4",
        "A time is not given in UTC: a time is not",
    ]
    assert wording.quarantine_words(None) == []
    assert wording.quarantine_words("something_new: x") == ["something_new: x"]


def test_unlisted_codes_still_read_as_words():
    assert wording.event_words("register.import.new_source") == "Register import new source"
    assert wording.field_words("urn") == "URN"
    assert wording.field_words("setting_type") == "Kind of setting"
    assert wording.field_words("first_deadline") == "First deadline"


def test_an_audit_detail_of_codes_reads_as_words(as_role, app):
    with app.state.database.write() as session:
        session.add(AuditLogEntry(actor="ada", action="export.aggregates", target="2025-26",
                                  detail="format=xlsx pack=steering setting_type=school rows=40"))  # fmt: skip
    page = as_role("admin").get("/admin").text
    log = page.split("<tbody>")[-1]
    row = next(line for line in log.split("<tr>") if "Figures exported" in line)
    assert (
        "Format: xlsx · Pack: steering group&#39;s (suppressed) · Kind of setting: schools" in row
    )
    assert "setting_type" not in row and "export.aggregates" not in row


def test_details_not_written_as_pairs_are_kept():
    assert wording.detail_words("role la_officer") == "role LA officer"
    assert wording.detail_words("steering to admin") == "Steering group to Administrator"
    assert wording.detail_words("a=b c") == "a=b c"
    assert wording.detail_words("") == ""
    assert wording.detail_words("rows=3") == "Rows: 3"
