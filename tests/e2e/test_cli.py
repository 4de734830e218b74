"""`school-audit enrol|seal|unseal|sign|send|status` against a real collector."""

from __future__ import annotations

import json

import pytest

from school_audit import paths
from school_audit.cli.main import main
from school_audit.domain.seal import content_sha256
from school_audit.store import Store
from tests.e2e.school import School


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "school-data"
    yield folder
    paths.set_data_dir(None)


def run(capsys, data_dir, *args):
    code = main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def _sealed_hash(data_dir, audit_id) -> str:
    store = Store.open(data_dir / "audit.sqlite3")
    try:
        sealed = store.seal_of(audit_id)
        assert sealed is not None
        return sealed.content_sha256
    finally:
        store.close()


def _signatures(data_dir, audit_id) -> list[tuple[str, str]]:
    store = Store.open(data_dir / "audit.sqlite3")
    try:
        return [(row.role, row.state) for row in store.signatures_of(audit_id)]
    finally:
        store.close()


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_the_command_line_signs_and_sends(make_running_collector, data_dir, capsys):
    collector = make_running_collector(["123456"])
    school = School(data_dir, "123456")  # the same database file the commands open
    audit_id = school.complete_audit()
    school.close()

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 1 and "not sealed" in err and "seal it first" in err  # as in the app
    code, out, err = run(capsys, data_dir, "seal", str(audit_id))  # sealing needs no collector
    assert code == 0, err
    assert "Sealed" in out and _sealed_hash(data_dir, audit_id) in out
    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 1 and "not enrolled" in err and "Traceback" not in err
    assert _signatures(data_dir, audit_id) == []

    enrolment_code = collector.issue_code("123456")
    code, out, err = run(capsys, data_dir, "enrol", collector.url, enrolment_code,
                         "--device-name", "Office PC", "--dsl-email", "amira@school")  # fmt: skip
    assert code == 1 and "email" in err.lower() and "Traceback" not in err  # caught before the code is spent
    code, out, err = run(capsys, data_dir, "enrol", collector.url, enrolment_code,
                         "--device-name", "Office PC", "--dsl-email", "amira.okafor@school.example")  # fmt: skip
    assert code == 0, err
    assert "URN 123456" in out
    from sqlalchemy import create_engine, text

    engine = create_engine(collector.database_url)
    with engine.connect() as connection:  # the DSL's address went with the enrolment
        contacts = connection.execute(text("SELECT role, email FROM establishment_contacts")).all()
    engine.dispose()
    assert [tuple(row) for row in contacts] == [("dsl", "amira.okafor@school.example")]

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor")
    assert code == 1 and "must sign" in err  # no --yes needed to learn what is missing
    assert _signatures(data_dir, audit_id) == []  # and nobody signed

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz")  # fmt: skip
    assert code == 1 and "--yes" in err  # no terminal to ask: nothing signed
    assert _signatures(data_dir, audit_id) == []
    sealed = _sealed_hash(data_dir, audit_id)

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 0, err
    assert "identifies a child" in out and "in the outbox" in out
    store = Store.open(data_dir / "audit.sqlite3")
    try:  # each person signed the sealed content in person, as on the app's sign-off page
        (item,) = store.outbox_items()
        envelope = json.loads(item.envelope)
    finally:
        store.close()
    assert envelope["content_sha256"] == sealed == content_sha256(envelope)
    assert [(e["name"], e["attestation"]["method"]) for e in envelope["sign_off"]] == [
        ("Amira Okafor", "in_person"),
        ("Gareth Lloyd", "in_person"),
        ("Zoë Łukasiewicz", "in_person"),
    ]

    code, out, err = run(capsys, data_dir, "send")
    assert code == 0, err
    assert "Sent 1; refused 0; waiting 0." in out
    assert len(collector.submissions()) == 1

    code, out, err = run(capsys, data_dir, "status")
    assert code == 0 and "sent" in out and "review: received" in out

    store = Store.open(data_dir / "audit.sqlite3")
    try:
        assert [item.state for item in store.outbox_items()] == ["sent"]
    finally:
        store.close()


def test_bad_audit_id_and_unreachable_collector_give_plain_messages(data_dir, capsys):
    code, out, err = run(capsys, data_dir, "sign", "not-an-id", "--dsl", "A", "--yes")
    assert code == 1 and "not an audit id" in err
    code, out, err = run(capsys, data_dir, "enrol", "http://127.0.0.1:9", "CODE")
    assert code == 1 and "could not reach" in err and "Traceback" not in err
    code, out, err = run(capsys, data_dir, "enrol", "http://la.example", "CODE")
    assert code == 1 and "https" in err


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_unsealing_or_a_change_voids_the_signatures_the_command_line_would_use(
    make_running_collector, data_dir, capsys
):
    import sqlite3

    from school_audit.domain.audit import SignOffRole
    from school_audit.services.sign_off_service import SignOffService

    collector = make_running_collector(["123456"])
    school = School(data_dir, "123456")
    audit_id = school.complete_audit()
    school.close()
    assert run(capsys, data_dir, "enrol", collector.url, collector.issue_code("123456"))[0] == 0
    everyone = ("--dsl", "Amira Okafor", "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz")

    assert run(capsys, data_dir, "seal", str(audit_id))[0] == 0
    code, out, err = run(capsys, data_dir, "seal", str(audit_id))
    assert code == 1 and "already sealed" in err and "Traceback" not in err
    school = School(data_dir, "123456")  # the DSL signs on the app's sign-off page
    SignOffService(school.service).sign_here(audit_id, SignOffRole.DSL, "Amira Okafor")
    school.close()
    code, out, err = run(capsys, data_dir, "unseal", str(audit_id))
    assert code == 0, err
    assert "void and must be made again: Amira Okafor" in out
    assert _signatures(data_dir, audit_id) == []

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), *everyone, "--yes")
    assert code == 1 and "not sealed" in err and "void" in err and "Traceback" not in err
    assert _signatures(data_dir, audit_id) == []

    # Sealed again, then the content changes under the seal (a copy of the database restored
    # from before, an edit made outside the app): the seal no longer holds, nobody signs.
    assert run(capsys, data_dir, "seal", str(audit_id))[0] == 0
    with sqlite3.connect(data_dir / "audit.sqlite3") as connection:
        changed = connection.execute(
            "UPDATE responses SET evidence = 'Changed after sealing' WHERE audit_id = ?",
            (str(audit_id),),
        ).rowcount
    assert changed > 0
    code, out, err = run(capsys, data_dir, "sign", str(audit_id), *everyone, "--yes")
    assert code == 1 and "no longer matches what was sealed" in err and "Unseal" in err
    assert _signatures(data_dir, audit_id) == []

    assert run(capsys, data_dir, "unseal", str(audit_id))[0] == 0
    assert run(capsys, data_dir, "seal", str(audit_id))[0] == 0
    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--head", "Gareth Lloyd",
                         "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 1 and "must sign" in err  # the DSL's earlier signature went with the seal
    school = School(data_dir, "123456")  # the DSL signs again in the app; the others here
    SignOffService(school.service).sign_here(audit_id, SignOffRole.DSL, "Amira Okafor")
    school.close()
    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--head", "Gareth Lloyd",
                         "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 0, err
    assert "Amira Okafor (Designated safeguarding lead) has signed already." in out
    store = Store.open(data_dir / "audit.sqlite3")
    try:
        (item,) = store.outbox_items()
        envelope = json.loads(item.envelope)
    finally:
        store.close()
    assert [e["name"] for e in envelope["sign_off"]] == ["Amira Okafor", "Gareth Lloyd",
                                                          "Zoë Łukasiewicz"]  # fmt: skip
    # what was signed is what was sealed the second time
    assert {r["evidence"] for r in envelope["responses"]} == {"Changed after sealing"}
