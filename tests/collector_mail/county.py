"""A small county for reminder and notice tests: one cycle, six schools in every state, contacts,
and returns sent through the real enrolment and ingest API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi.testclient import TestClient

from school_audit.collector.cycles import exempt, open_cycle
from school_audit.collector.mail.contacts import set_contact
from school_audit.collector.review.reviewing import ReviewInput, record_review
from tests.collector.factories import enrol_device

CYCLE = "2025-26"
FIRST, FINAL = date(2026, 2, 13), date(2026, 2, 27)
NOT_RETURNED, CHANGES, RECEIVED, EXEMPT, CLOSED, NO_ADDRESS = (
    "100001", "100002", "100003", "100004", "100005", "100006",
)  # fmt: skip
NAMES = {NOT_RETURNED: "Alder First School", CHANGES: "Birch First School",
         RECEIVED: "Cedar First School", EXEMPT: "Damson First School",
         CLOSED: "Elm First School", NO_ADDRESS: "Fir First School"}  # fmt: skip


def address(urn: str, role: str) -> str:
    return f"{role}@{urn}.example.sch.uk"


@dataclass
class County:
    world: object
    client: TestClient
    submissions: dict[str, str]


def build_county(world) -> County:
    for urn, name in NAMES.items():
        world.add_school(urn, name=name, status="closed" if urn == CLOSED else "open")
    with world.database.write() as session:
        open_cycle(session, CYCLE, [("mini-school", "2025-26.1")], FIRST, FINAL, "admin")
        exempt(session, CYCLE, EXEMPT, "Closing at Christmas", "admin")
        for urn in NAMES:
            if urn != NO_ADDRESS:
                for role in ("dsl", "head", "chair"):
                    set_contact(session, urn, role, address(urn, role), actor="admin",
                                name=f"{role.upper()} of {urn}")  # fmt: skip
    client = TestClient(world.app(), raise_server_exceptions=False)
    submissions = {}
    for urn in (CHANGES, RECEIVED):
        device = enrol_device(client, world, urn)
        body = device.body(world.template)
        response = client.post("/api/v1/submissions", json=body, headers=device.headers)
        assert response.status_code == 201, response.text
        submissions[urn] = body["envelope"]["submission_id"]
    comment = ReviewInput("returned", "Please add the date of the last training.", {})
    record_review(world.database, submissions[CHANGES], "olive", comment)
    return County(world, client, submissions)
