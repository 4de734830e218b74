"""Enrolment codes in the browser: issued once on a printable letter, listed by state, revoked."""

from __future__ import annotations

import re

import pytest

from school_audit.collector.db.tables import AuditLogEntry, EnrolmentCode, Establishment
from school_audit.collector.enrolment import CodeRefused, enrol
from school_audit.signing import SigningKey
from tests.collector_web.conftest import csrf_from

CODE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}\b")


def _school(app, urn: str = "123456") -> None:
    with app.state.database.write() as session:
        session.add(Establishment(urn=urn, name="Larkspur Primary School", setting_type="school",
                                  phase="primary", source="manual"))  # fmt: skip


def _issue(client, urn: str = "123456", days: str = "7"):
    token = csrf_from(client.get("/admin/enrolment").text)
    return client.post("/admin/enrolment", data={"csrf_token": token, "urn": urn, "days": days})


def test_a_code_is_shown_once_on_a_letter_and_works_for_the_school(as_role, app):
    _school(app)
    admin = as_role("admin")
    letter = _issue(admin)
    assert letter.status_code == 200
    codes = CODE.findall(letter.text)
    assert len(set(codes)) == 1
    assert "Larkspur Primary School" in letter.text and "http://testserver" in letter.text
    assert letter.headers["cache-control"] == "no-store"
    listing = admin.get("/admin/enrolment").text
    assert codes[0] not in listing and "Not yet used" in listing
    with app.state.database.write() as session:
        enrolled = enrol(session, codes[0], SigningKey.generate().public_key_b64, "Office PC")
        assert enrolled.establishment.urn == "123456"
    assert "Used" in admin.get("/admin/enrolment").text
    with app.state.database.read() as session:
        logged = session.query(AuditLogEntry).filter_by(action="enrolment_code_issued").one()
        assert (logged.actor, logged.target, logged.detail) == ("ada", "123456", "valid 7 days")
        assert codes[0] not in logged.detail


def test_the_letter_names_the_configured_public_address(as_role, app):
    app.state.settings = app.state.settings.model_copy(
        update={"public_url": "https://audit.county.example.gov.uk"}
    )
    _school(app)
    letter = _issue(as_role("admin"))
    assert "https://audit.county.example.gov.uk" in letter.text
    assert "testserver" not in letter.text


def test_a_revoked_code_no_longer_enrols(as_role, app):
    _school(app)
    admin = as_role("admin")
    code = CODE.search(_issue(admin).text).group(0)
    with app.state.database.read() as session:
        code_id = session.query(EnrolmentCode).one().id
    token = csrf_from(admin.get("/admin/enrolment").text)
    revoked = admin.post(f"/admin/enrolment/{code_id}/revoke", data={"csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert revoked.status_code == 303
    assert "Revoked" in admin.get("/admin/enrolment").text
    with app.state.database.write() as session, pytest.raises(CodeRefused):
        enrol(session, code, SigningKey.generate().public_key_b64, "Office PC")
    again = admin.post(f"/admin/enrolment/{code_id}/revoke", data={"csrf_token": token})
    assert again.status_code == 422 and "not an unused one" in again.text
    with app.state.database.read() as session:
        assert session.query(AuditLogEntry).filter_by(action="enrolment_code_revoked").count() == 1


def test_unknown_urn_and_bad_days_are_refused_in_words(as_role, app):
    _school(app)
    admin = as_role("admin")
    unknown = _issue(admin, urn="999999")
    assert unknown.status_code == 422 and "no establishment has URN 999999" in unknown.text
    for days in ("0", "400", "soon"):
        bad = _issue(admin, days=days)
        assert bad.status_code == 422 and "whole number from 1 to 365" in bad.text
    with app.state.database.read() as session:
        assert session.query(EnrolmentCode).count() == 0
