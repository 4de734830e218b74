"""Devices follow the collector's key rotation over real HTTP: a receipt signed by the new key
verifies, a history that does not chain is refused and loses nothing, and the school's archive
made after both kinds of rotation verifies offline."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from school_audit import paths
from school_audit.cli.main import main
from school_audit.collector.keys import history_path, load_key_file
from school_audit.sync.collector_keys import accepted_entries, device_public_keys
from school_audit.sync.http import HttpSettings
from tests.e2e.school import School

HTTP = HttpSettings(connect_timeout=2, read_timeout=10)


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "school-data"
    yield folder
    paths.set_data_dir(None)


def rotate(collector) -> str:
    collector.stop()
    collector.cli("keys", "rotate", "--yes")
    collector.start(port=int(collector.url.rsplit(":", 1)[1]))
    return load_key_file(collector.home / "collector-signing-key").key_id


def cli(capsys, data_dir, *args):
    code = main(["--data-dir", str(data_dir), *map(str, args)])
    out, err = capsys.readouterr()
    return code, out + err


def retouch(path, name, change, target):
    """The archive with one member changed and the index's hash of it made to match, so the
    check that fails is the key's own, not only the file hash."""
    with zipfile.ZipFile(path) as old:
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    members[name] = change(members[name])
    index = json.loads(members["index.json"])
    index["sha256"][name] = hashlib.sha256(members[name]).hexdigest()
    members["index.json"] = json.dumps(index).encode()
    with zipfile.ZipFile(target, "w") as new:
        for member, data in members.items():
            new.writestr(member, data)
    return target


def flip_key(public_key: str):
    swapped = public_key[:-2] + ("A" if public_key[-2] != "A" else "B") + public_key[-1]
    return lambda data: data.replace(public_key.encode(), swapped.encode())


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_the_device_follows_a_rotation_and_its_archive_verifies_after_both(
    make_running_collector, data_dir, tmp_path, capsys
):
    collector = make_running_collector(["123456"])
    old_collector_key = load_key_file(collector.home / "collector-signing-key")
    school = School(data_dir, "123456", http=HTTP)
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    first = school.sign(school.complete_audit())
    assert school.service.send_now().sent == [str(first.submission_id)]

    new_collector_key = rotate(collector)  # the collector now signs with another key
    second = school.sign(school.complete_audit())
    report = school.service.send_now()
    assert report.sent == [str(second.submission_id)], report.waiting
    items = {i.submission_id: i for i in school.store.outbox_items()}
    assert items[str(second.submission_id)].receipt["collector_key_id"] == new_collector_key
    assert items[str(first.submission_id)].receipt["collector_key_id"] == old_collector_key.key_id
    assert [e["key_id"] for e in accepted_entries(school.store)] == [
        old_collector_key.key_id, new_collector_key,
    ]  # fmt: skip

    # The device enrols again (a new device key); its next return is signed with it.
    old_device_key = school.store.get_setting("device_key_id")
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    assert school.store.get_setting("device_key_id") != old_device_key
    third = school.sign(school.complete_audit())
    assert school.service.send_now().sent == [str(third.submission_id)]
    assert set(device_public_keys(school.store)) == {
        old_device_key, school.store.get_setting("device_key_id")
    }
    old_device_public = device_public_keys(school.store)[old_device_key]
    school.close()

    archive = tmp_path / "ours.zip"
    code, out = cli(capsys, data_dir, "archive", "export", "-o", archive)
    assert code == 0 and "Wrote 3 return(s)" in out, out
    code, out = cli(capsys, data_dir, "verify-archive", archive, "--collector-key", new_collector_key)
    assert code == 0 and "Everything verifies." in out, out
    assert f"receipt ({old_collector_key.key_id})" in out and f"receipt ({new_collector_key})" in out
    assert out.count("device signature") >= 3 and "not checked" not in out

    # A flipped byte in an old key: the report names the key and the item it no longer backs.
    bad_device = retouch(archive, "keys/devices.json", flip_key(old_device_public),
                         tmp_path / "bad-device.zip")  # fmt: skip
    code, out = cli(capsys, data_dir, "verify-archive", bad_device, "--collector-key", new_collector_key)
    assert code == 3, out
    assert f"keys/devices.json key {old_device_key}: key:" in out
    assert "INVALID" in out and "device signature" in out
    bad_collector = retouch(archive, "keys/collector.json",
                            flip_key(old_collector_key.public_key_b64), tmp_path / "bad-la.zip")  # fmt: skip
    code, out = cli(capsys, data_dir, "verify-archive", bad_collector, "--collector-key",
                    new_collector_key)  # fmt: skip
    assert code == 3, out
    assert f"keys/collector.json key 1 ({old_collector_key.key_id})" in out
    assert f"returns/{first.submission_id}/receipt.json" in out


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_a_history_that_does_not_chain_is_refused_and_the_receipt_is_kept(
    make_running_collector, tmp_path
):
    collector = make_running_collector(["123456"])
    school = School(tmp_path / "school", "123456", http=HTTP)
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    new_key = rotate(collector)
    # Someone replaces the hand-over: the old key's endorsement no longer verifies.
    published = history_path(collector.home / "collector-signing-key")
    genuine = published.read_text()
    forged = json.loads(genuine)
    endorsement = forged["keys"][1]["endorsement"]
    endorsement["by_previous"] = endorsement["by_new"]
    published.write_text(json.dumps(forged))
    collector.restart()

    signed = school.sign(school.complete_audit())
    report = school.service.send_now(max_attempts_per_run=1)
    sid = str(signed.submission_id)
    assert report.sent == [] and sid in report.waiting
    [item] = school.store.outbox_items()
    assert item.state == "failed"  # still in the outbox, to be tried again
    assert "not verified" in item.last_error and new_key in item.last_error
    assert "endorsement by the previous key does not verify" in item.last_error
    assert item.receipt is not None and item.receipt["collector_key_id"] == new_key  # kept
    assert item.receipt["envelope_sha256"] == hashlib.sha256(item.envelope).hexdigest()
    assert new_key not in {e["key_id"] for e in accepted_entries(school.store)}

    # The LA puts the genuine history back: the next try verifies the same receipt.
    published.write_text(genuine)
    collector.restart()
    assert school.service.send_now().sent == [sid]
    [item] = school.store.outbox_items()
    assert item.state == "sent" and item.receipt["collector_key_id"] == new_key
    school.close()
