"""verify-store finds a tampered row; the admin CLI sets up a working collector without tracebacks."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import select, update

from school_audit.collector.cli.main import main
from school_audit.collector.db.tables import (
    AuditLogEntry,
    Device,
    EnrolmentCode,
    Establishment,
    Submission,
    TemplateRow,
    User,
)
from school_audit.collector.integrity import verify_store
from tests.collector.factories import FIXTURES


def post(client, device, body):
    response = client.post("/api/v1/submissions", json=body, headers=device.headers)
    assert response.status_code == 201
    return body["envelope"]["submission_id"]


def test_verify_store_finds_a_row_changed_behind_its_back(client, world, device):
    good = post(client, device, device.body(world.template))
    bad = post(client, device, device.body(world.template))
    assert verify_store(world.database).ok
    with world.database.write() as session:
        row = session.get(Submission, bad)
        row.envelope = row.envelope.replace(b"Seen in the minutes.", b"Seen in the minutes!")
    report = verify_store(world.database)
    assert report.checked == 2
    assert [(p.submission_id, p.problem) for p in report.problems] == [(bad, "hash_mismatch")]
    assert good not in {p.submission_id for p in report.problems}


def test_verify_store_finds_a_rehashed_forgery_by_its_signature(client, world, device):
    import hashlib

    sid = post(client, device, device.body(world.template))
    with world.database.write() as session:
        row = session.get(Submission, sid)
        row.envelope = row.envelope.replace(b'"met"', b'"not_met"', 1)
        row.envelope_sha256 = hashlib.sha256(row.envelope).hexdigest()
    assert [p.problem for p in verify_store(world.database).problems] == ["signature_invalid"]


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    home = tmp_path / "collector-home"
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(home))
    monkeypatch.delenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", raising=False)
    return home


def test_init_creates_the_database_and_a_private_key_file(cli_env, capsys):
    assert main(["init"]) == 0
    key_file = cli_env / "collector-signing-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_text().strip()
    out = capsys.readouterr().out
    assert secret not in out
    assert (cli_env / "collector.sqlite3").exists()
    assert main(["init"]) == 0  # again: keeps the key
    assert key_file.read_text().strip() == secret
    assert secret.encode() not in (cli_env / "collector.sqlite3").read_bytes()


def test_admin_commands_set_up_a_school(cli_env, capsys, monkeypatch):
    import io

    from school_audit.collector.db import Database

    assert main(["init"]) == 0
    add = [
        "establishment",
        "add",
        "--urn",
        "123456",
        "--name",
        "Hollybank",
        "--setting-type",
        "school",
        "--phase",
        "first",
    ]
    assert main(add) == 0
    assert main(add) == 1  # duplicate: a clear error
    assert main(["template", "publish", str(FIXTURES / "mini_school_template.json")]) == 0
    capsys.readouterr()
    assert main(["enrol", "issue", "--urn", "123456", "--days", "3"]) == 0
    code = capsys.readouterr().out.strip()
    assert len(code.replace("-", "")) == 16
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["user", "add", "ann", "--role", "la_officer", "--password-stdin"]) == 0
    database = Database(f"sqlite:///{cli_env / 'collector.sqlite3'}")
    with database.read() as session:
        codes = session.scalars(select(EnrolmentCode)).all()
        user = session.get(User, "ann")
        template = session.scalars(select(TemplateRow)).one()
        actions = session.scalars(select(AuditLogEntry.action)).all()
    assert code not in {c.code_hash for c in codes}
    assert user.password_hash.startswith("$argon2id$")
    assert template.template_id == "mini-school"
    assert "enrolment_code_issued" in actions
    assert code not in " ".join(e for e in actions)


def test_device_revoke_and_list(client, world, device, capsys, monkeypatch):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", world.settings.resolved_database_url)
    assert main(["device", "list"]) == 0
    assert device.device_id in capsys.readouterr().out
    assert main(["device", "revoke", device.device_id]) == 0
    with world.database.read() as session:
        assert session.get(Device, device.device_id).revoked_at is not None
    assert main(["device", "revoke", "no-such-device"]) == 1
    assert client.get("/api/v1/templates", headers=device.headers).status_code == 401


def test_verify_store_command_exit_code(client, world, device, capsys, monkeypatch):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_DATABASE_URL", world.settings.resolved_database_url)
    sid = post(client, device, device.body(world.template))
    assert main(["verify-store"]) == 0
    with world.database.write() as session:
        session.execute(update(Submission).values(envelope_sha256="0" * 64))
    assert main(["verify-store"]) == 3
    assert f"MISMATCH {sid}: hash_mismatch" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        [
            "establishment",
            "add",
            "--urn",
            "1",
            "--name",
            "x",
            "--setting-type",
            "school",
            "--phase",
            "nope",
        ],
        ["enrol", "issue", "--urn", "999999"],
        [
            "establishment",
            "add",
            "--urn",
            "\uff19\uff10\uff10\uff10\uff10\uff11",
            "--name",
            "x",
            "--setting-type",
            "school",
            "--phase",
            "primary",
        ],  # fullwidth digits: a look-alike URN
        ["template", "publish", "/nonexistent/template.json"],
        ["template", "publish", "--builtin", "no-such-template"],
        ["--database-url", "postgresql://nobody@127.0.0.1:1/none", "device", "list"],
    ],
)
def test_mistakes_give_one_line_and_exit_1(cli_env, capsys, argv):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: ")
    assert "Traceback" not in err


def test_a_template_with_other_content_cannot_reuse_a_version(cli_env, tmp_path, capsys):
    import json

    data = json.loads((FIXTURES / "mini_school_template.json").read_text())
    assert main(["template", "publish", str(FIXTURES / "mini_school_template.json")]) == 0
    data["title"] = "Changed title"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data))
    assert main(["template", "publish", str(changed)]) == 1
    assert "new version" in capsys.readouterr().err


def test_an_establishment_added_by_hand_carries_its_trust_and_size(cli_env, capsys):
    from school_audit.collector.db import Database

    assert main(["init"]) == 0
    base = ["establishment", "add", "--setting-type", "school", "--phase", "primary"]
    assert main([*base, "--urn", "123457", "--name", "Oak", "--trust", " Avon Trust ",
                 "--trust-ref", "TR1", "--pupils", "240"]) == 0  # fmt: skip
    assert main([*base, "--urn", "123458", "--name", "Ash", "--pupils", "20001"]) == 1
    assert "--pupils must be a whole number from 0 to 20,000" in capsys.readouterr().err
    database = Database(f"sqlite:///{cli_env / 'collector.sqlite3'}")
    with database.read() as session:
        oak = session.get(Establishment, "123457")
        assert session.get(Establishment, "123458") is None  # refused: nothing written
    assert (oak.trust_name, oak.trust_ref, oak.pupils) == ("Avon Trust", "TR1", 240)
