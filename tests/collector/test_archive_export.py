"""The portable archive from the collector: `export archive` writes one file that
`school-audit verify-archive` re-verifies offline; a flipped byte in any envelope, receipt,
attestation or key fails naming the item; old receipts verify after a key rotation."""

from __future__ import annotations

import io
import json
import zipfile
from contextlib import redirect_stderr, redirect_stdout

import pytest
from fastapi.testclient import TestClient

from school_audit.archive import read_archive, verify_archive
from school_audit.cli.main import main as school_cli
from school_audit.collector.archive_export import export_archive
from school_audit.collector.cli.main import main as collector_cli
from school_audit.collector.keys import history_path, load_key_file, load_key_history
from school_audit.domain.seal import content_sha256
from school_audit.signing import sign_attestation
from tests.collector.factories import sign

URL = "/api/v1/submissions"
VERIFIED_AT = "2026-03-02T09:30:00Z"


def send_attested(client, world, device, key=None):
    """A return whose chair signed remotely (email_code, attested by `key`); its receipt."""
    envelope = device.envelope(world.template)
    envelope["sign_off"].append({"role": "chair_of_governors", "name": "Sam Patel",
                                 "statement": "As chair, I confirm.", "signed_at": VERIFIED_AT})  # fmt: skip
    envelope["sign_off"][-1]["attestation"] = sign_attestation(
        key or client.app.state.collector_key, content_sha256=content_sha256(envelope),
        role="chair_of_governors", name="Sam Patel", verified_at=VERIFIED_AT,
    )  # fmt: skip
    response = client.post(URL, json=sign(envelope, device.key), headers=device.headers)
    assert response.status_code == 201, response.text
    receipt = response.json()["receipt"]
    assert receipt["status"] == "received", receipt.get("quarantine_reason")
    return envelope, receipt


def export(world, path, urn="123456"):
    with world.database.read() as session:
        return export_archive(
            session, path, urn=urn, collector_keys=load_key_history(world.settings.resolved_key_file)
        )


def rewrite(path, name, change):
    """The archive with one member changed by `change(bytes) -> bytes` (index left as it was)."""
    with zipfile.ZipFile(path) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    members[name] = change(members[name])
    target = path.with_name("tampered-" + path.name)
    with zipfile.ZipFile(target, "w") as new:
        for member, data in members.items():
            new.writestr(member, data)
    return target


def flip(text: str):
    """Flip one base64url character of `text` inside the bytes (a signature or key)."""

    def change(data: bytes) -> bytes:
        swapped = text[:-2] + ("A" if text[-2] != "A" else "B") + text[-1]
        assert text.encode() in data
        return data.replace(text.encode(), swapped.encode(), 1)

    return change


def verify_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = school_cli(["verify-archive", *map(str, args)])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sent(client, world, device, tmp_path):
    envelope, receipt = send_attested(client, world, device)
    path = tmp_path / "la-archive.zip"
    assert export(world, path) == 1
    return envelope, receipt, path


def test_a_good_archive_verifies_offline_with_nothing_but_itself(sent, world):
    envelope, receipt, path = sent
    report = verify_archive(read_archive(path), [receipt["collector_key_id"]])
    assert report.valid, [str(p) for r in report.returns for p in r.problems]
    [item] = report.returns
    assert item.submission_id == envelope["submission_id"] and item.urn == "123456"
    assert "device signature" in item.passed and "content hash" in item.passed
    assert "collector signature" in item.passed  # the chair's email_code attestation
    assert f"receipt ({receipt['collector_key_id']})" in item.passed
    code, out, _ = verify_cli(path, "--collector-key", receipt["collector_key_id"])
    assert code == 0 and out.startswith("Archive made by the collector") and "VALID    " in out
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        index = json.loads(archive.read("index.json"))
        stored = archive.read(f"returns/{envelope['submission_id']}/envelope.json")
    assert {"index.json", "keys/collector.json", "keys/devices.json"} <= names
    assert index["format"] == "school-audit/archive/v1" and index["scope"] == {"urn": "123456"}
    with world.database.read() as session:
        from school_audit.collector.db.tables import Submission

        assert stored == bytes(session.get(Submission, envelope["submission_id"]).envelope)
    assert "secret" not in json.dumps(index) and load_key_file(
        world.settings.resolved_key_file).secret().encode() not in path.read_bytes()  # fmt: skip


@pytest.mark.parametrize("where", ["envelope", "receipt", "attestation", "device key",
                                   "collector key"])  # fmt: skip
def test_a_flipped_byte_fails_naming_the_item(sent, where):
    envelope, receipt, path = sent
    folder = f"returns/{envelope['submission_id']}"
    attestation = envelope["sign_off"][-1]["attestation"]
    device_key = json.loads(zipfile.ZipFile(path).read("keys/devices.json"))["keys"][0]
    collector_key = json.loads(zipfile.ZipFile(path).read("keys/collector.json"))["keys"][0]
    name, change, item, check = {
        "envelope": (f"{folder}/envelope.json",
                     lambda d: d.replace(b'"revision":1', b'"revision":2', 1),
                     f"{folder}/device-signature.txt", "device signature"),
        "receipt": (f"{folder}/receipt.json", flip(receipt["signature"]),
                    f"{folder}/receipt.json", "receipt signature"),
        "attestation": (f"{folder}/envelope.json", flip(attestation["signature"]),
                        f"{folder}/envelope.json sign_off[{len(envelope['sign_off']) - 1}] "
                        "(chair_of_governors) attestation",
                        "collector signature"),
        "device key": ("keys/devices.json", flip(device_key["public_key"]),
                       f"keys/devices.json key {device_key['key_id']}", "key"),
        "collector key": ("keys/collector.json", flip(collector_key["public_key"]),
                          f"keys/collector.json key 1 ({collector_key['key_id']})", "key"),
    }[where]  # fmt: skip
    tampered = rewrite(path, name, change)
    report = verify_archive(read_archive(tampered), [receipt["collector_key_id"]])
    assert not report.valid
    problems = report.key_problems + report.returns[0].problems
    assert any(p.item == item and p.check == check for p in problems), [str(p) for p in problems]
    assert any(p.item == name and p.check == "file hash" for p in problems)  # the index noticed
    code, out, _ = verify_cli(tampered)
    assert code == 3 and f"{item}: {check}: " in out and "INVALID" in out


def test_a_receipt_checked_against_a_key_nobody_vouches_for_fails(sent):
    _, _, path = sent
    report = verify_archive(read_archive(path), ["ed25519:0000000000000000"])
    assert not report.valid
    assert any(p.check == "trusted key" for p in report.key_problems)
    assert any("no trusted key vouches for" in p.detail for p in report.returns[0].problems)


def test_old_receipts_and_attestations_verify_after_a_key_rotation(
    client, world, device, other_device, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("SCHOOL_AUDIT_COLLECTOR_HOME", str(world.settings.home))
    old_key = client.app.state.collector_key
    first, first_receipt = send_attested(client, world, device)
    code = collector_cli(["--database-url", world.settings.resolved_database_url,
                          "keys", "rotate", "--yes"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert history_path(world.settings.resolved_key_file).exists()
    new_key = load_key_file(world.settings.resolved_key_file)
    assert new_key.key_id != old_key.key_id
    with TestClient(world.app(), raise_server_exceptions=False) as restarted:
        # an attestation the old key made just before the rotation is still accepted
        second, second_receipt = send_attested(restarted, world, other_device, key=old_key)
    assert first_receipt["collector_key_id"] == old_key.key_id
    assert second_receipt["collector_key_id"] == new_key.key_id
    path = tmp_path / "after-rotation.zip"
    assert export(world, path, urn=None) == 2  # the whole LA
    report = verify_archive(read_archive(path), [new_key.key_id])  # only today's key is known
    assert report.valid, [str(p) for r in report.returns for p in r.problems]
    assert report.trusted_keys == sorted([old_key.key_id, new_key.key_id])
    passed = {r.submission_id: r.passed for r in report.returns}
    assert f"receipt ({old_key.key_id})" in passed[first["submission_id"]]
    assert f"receipt ({new_key.key_id})" in passed[second["submission_id"]]


def test_an_accepted_return_carries_its_acceptance_record_which_verifies(client, world, device, tmp_path):
    from school_audit.collector.review.reviewing import ReviewInput, record_review

    envelope, receipt = send_attested(client, world, device)
    record_review(world.database, envelope["submission_id"], "officer",
                  ReviewInput(decision="accepted", per_standard={}, general=""))  # fmt: skip
    given = client.get(f"{URL}/{envelope['submission_id']}", headers=device.headers).json()["acceptance"]
    path = tmp_path / "accepted.zip"
    with world.database.read() as session:
        export_archive(session, path, urn="123456", signing_key=load_key_file(world.settings.resolved_key_file),
                       collector_keys=load_key_history(world.settings.resolved_key_file))  # fmt: skip
    name = f"returns/{envelope['submission_id']}/acceptance.json"
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read(name)) == given  # the same record the school's app is given
    report = verify_archive(read_archive(path), [receipt["collector_key_id"]])
    assert report.valid and f"acceptance record ({receipt['collector_key_id']})" in report.returns[0].passed
    tampered = rewrite(path, name, flip(given["signature"]))
    [item] = verify_archive(read_archive(tampered), [receipt["collector_key_id"]]).returns
    assert any(p.item == name and "acceptance record" in p.check for p in item.problems)


def test_the_las_archive_carries_each_returns_governors_copy_printed_from_its_envelope(sent, world, tmp_path):
    import hashlib
    import subprocess

    from school_audit.reports.governors_report import verification_code

    envelope, receipt, _ = sent
    path = tmp_path / "with-pdfs.zip"
    with world.database.read() as session:
        export_archive(session, path, urn="123456", public_url="https://audit.county.example.gov.uk",
                       collector_keys=load_key_history(world.settings.resolved_key_file))  # fmt: skip
    name = f"returns/{envelope['submission_id']}/governors-report.pdf"
    with zipfile.ZipFile(path) as archive:
        pdf = archive.read(name)
        stored = archive.read(f"returns/{envelope['submission_id']}/envelope.json")
    assert pdf.startswith(b"%PDF-")
    pdf_path = tmp_path / "copy.pdf"
    pdf_path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert envelope["establishment"]["name"] in text and "Sam Patel" in text  # the chair who signed
    assert verification_code(hashlib.sha256(stored).hexdigest()) in text
    assert "DRAFT" not in text
    report = verify_archive(read_archive(path), [receipt["collector_key_id"]])
    assert report.valid
    tampered = rewrite(path, name, lambda data: data.replace(b"%PDF-", b"%PDF_", 1))
    [item] = verify_archive(read_archive(tampered), [receipt["collector_key_id"]]).returns
    assert any(p.item == name for p in item.problems)
