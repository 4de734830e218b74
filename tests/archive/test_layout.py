"""Reading an archive: a file that is not one gets a clear reason, never a traceback, and what
the index lists but the zip lacks is named by the checks."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from school_audit.archive import ArchiveUnreadable, read_archive, verify_archive, write_archive
from school_audit.archive.layout import ArchivedReturn
from school_audit.domain.canonical import canonical_bytes
from school_audit.signing import SigningKey, sign_receipt
from school_audit.signing.key_history import first_entry

SUBMISSION = "0b3f7a52-7d3c-4a47-9a53-2f1d6a0c9e11"


def small_archive(path, *, with_receipt=True, with_device_key=True):
    device, collector = SigningKey.generate(), SigningKey.generate()
    envelope = canonical_bytes({"submission_id": SUBMISSION, "device_key_id": device.key_id,
                                "cycle": "2025-26", "revision": 1,
                                "establishment": {"urn": "123456"}, "sign_off": []})  # fmt: skip
    receipt = sign_receipt({"submission_id": SUBMISSION, "received_at": "2026-03-02T10:00:00Z",
                            "envelope_sha256": hashlib.sha256(envelope).hexdigest(),
                            "status": "received", "collector_key_id": collector.key_id},
                           collector)  # fmt: skip
    write_archive(path, made_by="school", scope={}, created_at="2026-03-03T00:00:00Z",
                  returns=[ArchivedReturn(SUBMISSION, envelope, device.sign(envelope),
                                          receipt if with_receipt else None)],
                  device_keys={device.key_id: device.public_key_b64} if with_device_key else {},
                  collector_keys=[first_entry(collector, "2025-09-01T00:00:00Z")])  # fmt: skip
    return collector


def test_a_minimal_archive_round_trips_and_verifies(tmp_path):
    path = tmp_path / "a.zip"
    collector = small_archive(path)
    report = verify_archive(read_archive(path), [collector.key_id])
    assert report.valid and report.returns[0].passed == [
        "device signature", f"receipt ({collector.key_id})"
    ]
    small_archive(path, with_receipt=False)  # replaced whole, never half-written
    [item] = verify_archive(read_archive(path)).returns
    assert item.valid and item.notes == ["no receipt: the LA had not acknowledged it"]
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not a zip", "not a zip file"),
        (None, "no index.json"),
        ({"format": "something/else"}, "does not say format"),
        ({"format": "school-audit/archive/v1"}, "no list of returns"),
    ],
)
def test_what_is_not_an_archive_is_refused_with_a_reason(tmp_path, content, words):
    path = tmp_path / "x.zip"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("other.txt", "hello")
            if content is not None:
                archive.writestr("index.json", json.dumps(content))
    with pytest.raises(ArchiveUnreadable, match=words):
        read_archive(path)


def test_a_member_missing_from_the_zip_is_named(tmp_path):
    path = tmp_path / "a.zip"
    small_archive(path)
    with zipfile.ZipFile(path) as old:
        kept = {i.filename: old.read(i.filename) for i in old.infolist()}
    receipt = f"returns/{SUBMISSION}/receipt.json"
    del kept[receipt]
    with zipfile.ZipFile(path, "w") as new:
        for name, data in kept.items():
            new.writestr(name, data)
    [item] = verify_archive(read_archive(path)).returns
    assert {(p.item, p.check) for p in item.problems} >= {(receipt, "file"), (receipt, "receipt")}


def test_a_device_key_the_school_no_longer_has_is_a_note_when_a_receipt_vouches(tmp_path):
    path = tmp_path / "a.zip"
    collector = small_archive(path, with_device_key=False)
    [item] = verify_archive(read_archive(path), [collector.key_id]).returns
    assert item.valid and item.passed == [f"receipt ({collector.key_id})"]
    assert "device signature not checked" in item.notes[0]
    small_archive(path, with_receipt=False, with_device_key=False)  # then nothing vouches
    [item] = verify_archive(read_archive(path)).returns
    assert not item.valid and item.problems[0].check == "device signature"
