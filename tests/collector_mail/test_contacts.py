"""Contacts: the DSL's address from the app at enrolment (optional field), officers' corrections
that the app never overwrites, and every change in the audit log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from school_audit.collector.db.tables import AuditLogEntry
from school_audit.collector.mail.contacts import ContactError, recipients, set_contact
from school_audit.signing import SigningKey


@pytest.fixture
def client(world):
    with TestClient(world.app(), raise_server_exceptions=False) as test_client:
        yield test_client


def enrol(client, world, **extra):
    body = {"code": world.issue("123456"), "public_key": SigningKey.generate().public_key_b64,
            "device_name": "Office PC", **extra}  # fmt: skip
    return client.post("/api/v1/enrolments", json=body)


def dsl(world):
    with world.database.read() as session:
        return [(r.email, r.name) for r in recipients(session, "123456", ("dsl",))]


def test_the_app_may_send_the_dsls_address_at_enrolment(client, world):
    assert (
        enrol(client, world, dsl_email=" alex.morgan@hollybank.example.sch.uk ").status_code == 201
    )
    assert dsl(world) == [("alex.morgan@hollybank.example.sch.uk", "")]
    assert enrol(client, world).status_code == 201  # the field is optional
    assert dsl(world) == [("alex.morgan@hollybank.example.sch.uk", "")]


@pytest.mark.parametrize("address", ["alex at hollybank", "@hollybank.example.sch.uk", "alex@"])
def test_a_malformed_address_is_refused_and_enrols_nothing(client, world, address):
    response = enrol(client, world, dsl_email=address)  # "@x" once raised a parse error: a 500
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "schema_invalid"
    assert dsl(world) == []


def test_an_officers_correction_is_not_overwritten_by_the_app(client, world):
    with world.database.write() as session:
        set_contact(session, "123456", "dsl", "dsl@hollybank.example.sch.uk", actor="olive",
                    name="Alex Morgan")  # fmt: skip
    assert enrol(client, world, dsl_email="old-dsl@hollybank.example.sch.uk").status_code == 201
    assert dsl(world) == [("dsl@hollybank.example.sch.uk", "Alex Morgan")]
    with world.database.read() as session:
        [entry] = session.scalars(
            select(AuditLogEntry).where(AuditLogEntry.action == "contact.set")
        )
        assert (
            entry.actor == "olive" and "-> dsl@hollybank.example.sch.uk (officer)" in entry.detail
        )


def test_the_head_falls_back_to_the_registers_name_and_bad_input_is_refused(world):
    with world.database.write() as session:
        set_contact(session, "123456", "head", "head@hollybank.example.sch.uk", actor="olive")
        with pytest.raises(ContactError, match="role"):
            set_contact(session, "123456", "bursar", "b@hollybank.example.sch.uk", actor="olive")
        with pytest.raises(ContactError, match="no establishment"):
            set_contact(session, "999999", "dsl", "b@hollybank.example.sch.uk", actor="olive")
    with world.database.read() as session:
        [head] = recipients(session, "123456", ("dsl", "head", "chair"))
    assert (head.role, head.name) == ("head", "Mrs Pat Head")
