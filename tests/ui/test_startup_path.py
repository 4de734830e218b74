"""The real start-up path (`school-audit` with no command) shows the last audit before any heavy
package (SQLAlchemy, pydantic, the crypto and network libraries) is imported, and a click right
after start is saved (it waits for the store to warm up).

Not timed: bench/bench_startup.py measures the speed. This checks what makes it fast stays so.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from school_audit.domain.audit import Rating

HEAVY = ["sqlalchemy", "alembic", "pydantic", "rfc8785", "reportlab", "requests", "httpx", "cryptography", "keyring",
         "fastapi", "school_audit.collector", "school_audit.cli.audit_commands"]  # fmt: skip

START_AND_CLICK = """
import gc, json, sys
import school_audit.ui.app as app_module
from school_audit.cli.main import main
from school_audit.domain.audit import Rating, Response

HEAVY = json.loads(sys.argv[1])
CORE = ("school_audit.domain", "school_audit.services", "school_audit.store")
real_create_app = app_module.create_app

def create_and_watch(*args, **kwargs):
    paused = not gc.isenabled()
    app, window = real_create_app(*args, **kwargs)

    def opened(session):
        loaded = sorted(name for name in HEAVY if name in sys.modules)
        in_order = list(sys.modules)  # in the order they were first imported
        after_qt = in_order[in_order.index("PySide6"):]
        core_after_qt = [name for name in after_qt if name.startswith(CORE)]
        window.audit_page.standard_page.choose(1)  # the first click, through the page
        session.set_response(Response(standard_id="A1", rating=Rating.MET, evidence="Seen"))
        report = {"loaded": loaded, "state": session.save_state.value,
                  "shown": window.audit_page.current_id,
                  "pydantic after the first edits": "pydantic" in sys.modules,
                  "style": app.style().name(), "core imported after PySide6": core_after_qt,
                  "collector paused at start, running once shown": [paused, gc.isenabled()]}
        print(json.dumps(report), flush=True)
        app.quit()

    window.audit_opened.connect(opened)
    return app, window

app_module.create_app = create_and_watch
sys.exit(main([]))
"""


CLOSE_WHILE_BUSY = """
import json, sys, time
from pathlib import Path
import school_audit.ui.app as app_module
from school_audit.cli.main import main

marker = Path(sys.argv[1])
real_create_app = app_module.create_app

def create_and_watch(*args, **kwargs):
    app, window = real_create_app(*args, **kwargs)

    def slow_work():  # e.g. a send through a slow proxy
        time.sleep(2)
        marker.write_text("finished")

    def opened(session):
        window.runner.run(slow_work)
        window.close()
        report = {"window hidden": not window.isVisible(), "work finished": marker.exists()}
        print(json.dumps(report), flush=True)

    window.audit_opened.connect(opened)
    return app, window

app_module.create_app = create_and_watch
sys.exit(main([]))
"""


def _last_audit_open_at_start(home: Path, template, profile):
    from school_audit.services.audit_service import AuditService
    from school_audit.store import Store

    with Store.open_default() as store:
        service = AuditService(store)
        service.save_profile(profile)
        service.catalogue.add(template, "file")
        audit = service.start_audit(template)
    (home / "window.ini").write_text(f"[General]\nlast_audit_id={audit.audit_id}\n")
    return audit


def _run_app(home: Path, code: str, *args: str) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, SCHOOL_AUDIT_HOME=str(home), PYTHONPATH=str(root))
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=root,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_last_audit_shown_without_heavy_imports_and_first_click_saved(
    isolated_home, mini_template, school_profile
):
    audit = _last_audit_open_at_start(isolated_home, mini_template, school_profile)
    result = _run_app(isolated_home, START_AND_CLICK, json.dumps(HEAVY))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"loaded": [], "state": "saved", "shown": "A1",
                      "pydantic after the first edits": False,
                      # Fusion, chosen without setStyle; the Qt-free core is imported before
                      # PySide6, which reads the source of every module imported after it.
                      "style": "fusion", "core imported after PySide6": [],
                      "collector paused at start, running once shown": [True, True]}  # fmt: skip
    database = sqlite3.connect(isolated_home / "audit.sqlite3")
    rows = database.execute(
        "SELECT rating, evidence FROM responses WHERE audit_id = ? AND standard_id = 'A1'",
        (str(audit.audit_id),),
    ).fetchall()
    database.close()
    assert rows == [(Rating.MET.value, "Seen")]


def test_closing_while_the_lane_works_hides_the_window_at_once_and_the_work_still_ends(
    isolated_home, mini_template, school_profile, tmp_path
):
    _last_audit_open_at_start(isolated_home, mini_template, school_profile)
    marker = tmp_path / "marker"
    result = _run_app(isolated_home, CLOSE_WHILE_BUSY, str(marker))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"window hidden": True, "work finished": False}  # closing did not wait
    assert marker.read_text() == "finished"  # the process did, before it ended
    assert "Error calling Python override" not in result.stderr


def test_only_a_data_folder_or_nothing_goes_straight_to_the_window():
    from school_audit.cli.main import window_arguments

    assert window_arguments([]).data_dir is None
    assert window_arguments(["--data-dir", "here"]).data_dir == "here"
    assert window_arguments(["--data-dir=there"]).data_dir == "there"
    for argv in (["app"], ["--help"], ["--version"], ["--data-dir", "x", "audit", "list"],
                 ["--data-dir", "--help"], ["audit", "list"]):  # fmt: skip
        assert window_arguments(argv) is None, argv
