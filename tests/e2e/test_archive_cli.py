"""`school-audit archive export` writes the school's own history as one portable file, and
`verify-archive` re-checks it offline: the device signature, the receipt against the collector key
pinned at enrolment, and the governors' copy kept beside them."""

from __future__ import annotations

import json
import subprocess
import zipfile

import pytest

from school_audit import paths
from school_audit.cli.main import main
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


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_the_school_archives_its_history_and_anyone_can_check_it(
    make_running_collector, data_dir, tmp_path, capsys
):
    collector = make_running_collector(["123456"])
    school = School(data_dir, "123456")
    audit_id = school.complete_audit()
    school.close()
    code, out, err = run(capsys, data_dir, "archive", "export", "-o", str(tmp_path / "none.zip"))
    assert code == 1 and "no signed return" in err

    assert run(capsys, data_dir, "enrol", collector.url, collector.issue_code("123456"))[0] == 0
    assert run(capsys, data_dir, "seal", str(audit_id))[0] == 0
    code, _, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                       "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 0, err
    assert run(capsys, data_dir, "send")[0] == 0

    archive = tmp_path / "our-returns.zip"
    code, out, err = run(capsys, data_dir, "archive", "export", "-o", str(archive))
    assert code == 0, err
    assert "Wrote 1 return(s)" in out and "Warning" not in out
    with zipfile.ZipFile(archive) as opened:
        index = json.loads(opened.read("index.json"))
        [entry] = index["returns"]
        pdf = opened.read(entry["files"]["governors_report"])
    assert index["made_by"] == "school" and entry["urn"] == "123456"
    assert set(entry["files"]) == {"envelope", "device_signature", "receipt", "governors_report"}
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout
    assert "Zoë Łukasiewicz".encode() in text  # the governors' copy, read back

    collector_key_id = json.loads(zipfile.ZipFile(archive).read("keys/collector.json"))["keys"][0]
    code, out, err = run(capsys, data_dir, "verify-archive", str(archive),
                         "--collector-key", collector_key_id["key_id"])  # fmt: skip
    assert code == 0, out + err
    assert "VALID    " in out and "device signature" in out and "receipt (ed25519:" in out
    assert "Everything verifies." in out

    # The LA's own archive of the same school says the same about the same bytes.
    la_archive = tmp_path / "la.zip"
    collector.cli("export", "archive", "--urn", "123456", "-o", str(la_archive))
    code, out, err = run(capsys, data_dir, "verify-archive", str(la_archive), "--json")
    report = json.loads(out)
    assert code == 0 and report["valid"] and report["made_by"] == "collector"
    la_index = json.loads(zipfile.ZipFile(la_archive).read("index.json"))
    assert la_index["sha256"][f"returns/{entry['submission_id']}/envelope.json"] == (
        index["sha256"][entry["files"]["envelope"]]
    )

    code, out, err = run(capsys, data_dir, "verify-archive", str(tmp_path / "missing.zip"))
    assert code == 2 and "There is no file" in err
    (tmp_path / "not.zip").write_bytes(b"PK not really")
    code, out, err = run(capsys, data_dir, "verify-archive", str(tmp_path / "not.zip"))
    assert code == 2 and "is not a school-audit archive" in err and "Traceback" not in err
