"""`school-audit profile …` and `school-audit audit …` on a real data folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from school_audit.cli.main import main
from school_audit.services.audit_service import AuditService
from school_audit.store import Store

PROFILE = ["profile", "set", "--urn", "123456", "--name", "Oak Tree First School",
           "--setting-type", "school", "--phase", "first", "--la-code", "885",
           "--flag", "has_eyfs"]  # fmt: skip


def _audits():
    with Store.open_default() as store:
        return AuditService(store).audits()


def test_profile_set_then_show(capsys):
    assert main(PROFILE) == 0
    assert main(["profile", "set", "--district", "Redditch", "--dsl-name", "R. Lead"]) == 0
    assert main(["profile", "show"]) == 0
    out = capsys.readouterr().out
    assert "Oak Tree First School" in out and "Redditch" in out and "has_eyfs" in out
    assert "R. Lead" in out


def test_a_bad_profile_is_refused_and_nothing_saved(capsys):
    assert main([*PROFILE[:3], "12", *PROFILE[4:]]) == 1
    assert main([*PROFILE, "--phase", "sixth_form_college"]) == 1
    assert main([*PROFILE, "--flag", "has_pool"]) == 1
    err = capsys.readouterr().err
    assert "urn" in err and "sixth_form_college" in err and "has_pool" in err
    assert main(["profile", "show"]) == 1


def test_start_needs_a_profile(capsys):
    assert main(["audit", "start"]) == 1
    assert "profile" in capsys.readouterr().err


def test_start_and_carry_forward(capsys):
    main(PROFILE)
    assert main(["audit", "start", "--template", "school-s175", "--version", "2024-25.1"]) == 0
    assert main(["audit", "start", "--from-previous", "--prefill"]) == 0
    assert "afresh" in capsys.readouterr().out
    cycles = sorted(summary.cycle for summary in _audits())
    assert cycles == ["2024-25", "2025-26"]
    assert main(["audit", "start", "--template", "no-such-template"]) == 1


def test_demo_list_show_and_readiness(capsys):
    assert main(["audit", "demo"]) == 0
    [summary] = _audits()
    assert 0 < summary.answered < summary.total
    capsys.readouterr()
    assert main(["audit", "list"]) == 0
    assert str(summary.audit_id) in capsys.readouterr().out
    assert main(["audit", "show", str(summary.audit_id)[:8]]) == 0
    shown = capsys.readouterr().out
    assert "SECTION" in shown and "Larkfield First School" in shown
    assert main(["audit", "readiness", str(summary.audit_id)]) == 1  # half done: blocking
    assert "blocking" in capsys.readouterr().out


def test_demo_leaves_a_real_profile_alone(capsys):
    main(PROFILE)
    assert main(["audit", "demo"]) == 1
    assert "will not touch" in capsys.readouterr().err
    assert _audits() == []


def test_unknown_audit_id(capsys):
    main(PROFILE)
    assert main(["audit", "show", "0000"]) == 1
    assert "audit list" in capsys.readouterr().err


def test_a_damaged_database_gives_a_message_not_a_traceback(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "audit.sqlite3").write_bytes(os.urandom(8192))
    result = subprocess.run(
        [sys.executable, "-m", "school_audit.cli.main", "--data-dir", str(data), "audit", "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "damaged" in result.stderr and "last good copy" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(autouse=True)
def _default_data_dir():
    yield
    from school_audit import paths

    paths.set_data_dir(None)


def test_restore_a_copy_after_damage(capsys, isolated_home):
    from school_audit import paths
    from school_audit.store.backups import take_backup

    main(PROFILE)
    assert main(["data", "backups"]) == 0
    assert "No copies" in capsys.readouterr().out
    copy = take_backup(paths.database_path(), "manual")
    paths.database_path().write_bytes(os.urandom(8192))  # the disk ate it
    assert main(["profile", "show"]) == 2
    assert main(["data", "backups"]) == 0
    assert str(copy) in capsys.readouterr().out
    assert main(["data", "restore", str(copy)]) == 0
    assert "kept as" in capsys.readouterr().out
    assert main(["profile", "show"]) == 0
    assert "Oak Tree First School" in capsys.readouterr().out
    assert len(list(isolated_home.glob("damaged-*audit.sqlite3"))) == 1


def test_changes_wait_for_the_desktop_window_to_close(capsys, isolated_home):
    """A change the open window would not see (and could save over) is refused; reading is not."""
    from school_audit import paths
    from school_audit.store.backups import take_backup
    from school_audit.ui.single_instance import claim

    assert main(PROFILE) == 0
    copy = take_backup(paths.database_path(), "manual")
    window = claim(paths.data_dir())  # the desktop app's lock, as an open window holds it
    before = paths.database_path().read_bytes()
    capsys.readouterr()
    for command in (["data", "restore", str(copy)], PROFILE, ["audit", "start"],
                    ["sign", "00000000", "--yes"]):  # fmt: skip
        assert main(command) == 1, command
        assert "desktop app is open" in capsys.readouterr().err
    assert paths.database_path().read_bytes() == before  # not restored over
    assert _audits() == []  # and no audit started
    assert main(["profile", "show"]) == 0 and main(["audit", "list"]) == 0  # reading is fine
    window.unlock()  # the window is closed
    assert main(["audit", "start"]) == 0


def test_the_command_line_cannot_start_a_second_draft_for_a_year(capsys):
    main(PROFILE)
    assert main(["audit", "start"]) == 0
    assert main(["audit", "start"]) == 1  # the window refused this; the command line did not
    assert "already have a draft audit for 2025-26" in capsys.readouterr().err
    assert len(_audits()) == 1
