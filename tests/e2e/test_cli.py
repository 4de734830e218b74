"""`school-audit enrol|sign|send|status` against a real collector."""

from __future__ import annotations

import pytest

from school_audit import paths
from school_audit.cli.main import main
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


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_the_command_line_signs_and_sends(make_running_collector, data_dir, capsys):
    collector = make_running_collector(["123456"])
    school = School(data_dir, "123456")  # the same database file the commands open
    audit_id = school.complete_audit()
    school.close()

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 1 and "not enrolled" in err and "Traceback" not in err

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

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz")  # fmt: skip
    assert code == 1 and "--yes" in err  # no terminal to ask: nothing signed

    code, out, err = run(capsys, data_dir, "sign", str(audit_id), "--dsl", "Amira Okafor",
                         "--head", "Gareth Lloyd", "--chair", "Zoë Łukasiewicz", "--yes")  # fmt: skip
    assert code == 0, err
    assert "identifies a child" in out and "in the outbox" in out

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
