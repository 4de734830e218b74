"""Screenshots of every screen, to look at (not a test).

    xvfb-run -a -s "-screen 0 3000x2000x24" python -m tests.ui.make_screenshots OUT_DIR [SCALE]
    QT_QPA_PLATFORM=offscreen python -m tests.ui.make_screenshots OUT_DIR [SCALE] [laptop]

Seeds demo data in a temporary folder, opens the real app and saves one PNG per screen, in
OUT_DIR/scaleSCALE (or OUT_DIR/scaleSCALE-laptop). Offscreen, the screen is a large one, or with
`laptop` a 1366×768 laptop's (1366×728 left by the taskbar): the window and the dialogs are sized
to it as the app sizes them, so at SCALE 2 the pictures show 200% text on that laptop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

TODAY = date(2025, 11, 20)


def wait(app, condition, timeout_ms: int = 15_000) -> None:
    from PySide6.QtTest import QTest

    waited = 0
    while not condition() and waited < timeout_ms:
        QTest.qWait(20)
        waited += 20


def shoot(widget, out: Path, name: str) -> None:
    from PySide6.QtTest import QTest

    QTest.qWait(150)
    widget.grab().save(str(out / f"{name}.png"))


def fit(widget, width: int, height: int) -> None:
    """`width`×`height`, or what the screen has room for (as the app sizes its windows)."""
    from PySide6.QtCore import QSize

    from school_audit.ui.screen_fit import fit_to_screen

    fit_to_screen(widget, QSize(width, height))


def first_run(out: Path) -> None:
    from school_audit.ui.app import create_app, open_default_service

    app, window = create_app(open_default_service, lambda: TODAY)
    wait(app, lambda: window.flows.dialog is not None)
    fit(window.flows.dialog, 760, 900)
    shoot(window.flows.dialog, out, "00-first-run-profile")
    window.flows.dialog.reject()
    window.close()


def tour(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from school_audit.store import DiskFull
    from school_audit.ui.app import create_app, open_default_service

    app, window = create_app(open_default_service, lambda: TODAY)
    fit(window, 1360, 900)
    wait(app, lambda: window.stack.currentWidget() is window.home)
    shoot(window, out, "01-home")
    home_with_notices(window, out)
    window.flows.edit_profile()
    wait(app, lambda: window.flows.dialog is not None)
    fit(window.flows.dialog, 760, 900)
    shoot(window.flows.dialog, out, "02-profile")
    window.flows.dialog.reject()
    from school_audit.ui.dialogs.start_audit_dialog import StartAuditDialog

    templates = sorted(window.service.available_templates(), key=lambda t: t.cycle, reverse=True)
    previous = [s for s in window.service.audits() if s.cycle < templates[0].cycle]
    start = StartAuditDialog(templates, previous, window)  # (a draft exists: built directly)
    start.show()
    shoot(start, out, "03-start-audit")
    start.close()
    current = max(window.service.audits(), key=lambda s: s.cycle)
    window.open_audit(current.audit_id)
    wait(app, lambda: window.audit_page is not None)
    page = window.audit_page
    session = window.session
    partial = next(s.id for s in session.standards if session.audit.actions_for(s.id)
                   and s.id in session.audit.previous_responses)  # fmt: skip
    page.go_to(partial)
    shoot(window, out, "04-standard-with-actions")
    dated = next(s.id for s in session.standards if s.dates)
    page.go_to(dated)
    shoot(window, out, "05-standard-with-dates")
    page.standard_page.evidence.setFocus()
    page.standard_page.evidence.setPlainText(
        "Spoke with Jack Smith (DOB 12/03/2017) about case ref CP-2291 during the review."
    )
    page.standard_page.evidence_privacy.check_now()
    shoot(window, out, "06-privacy-warning")
    window.session.undo()
    applicable = {s.id for s in session.standards}
    afresh = next((sid for sid in session.audit.answer_afresh if sid in applicable), None)
    if afresh:
        page.go_to(afresh)
        shoot(window, out, "07-answer-afresh")
    page.filter.setCurrentIndex(2)
    page.search.setText("training")
    shoot(window, out, "08-filter-and-search")
    page.search.clear()
    page.filter.setCurrentIndex(0)
    page.show_plan()
    shoot(window, out, "09-action-plan")
    page.show_readiness()
    shoot(window, out, "10-readiness")
    page.go_to(partial)
    original = window.service.save_response

    def failing(audit_id, response):
        raise DiskFull()

    window.service.save_response = failing
    page.focus_answer()
    page.standard_page.choose(1)
    shoot(window, out, "11-save-failed-banner")
    window.service.save_response = original
    window.session.flush()
    window.flows.about()
    wait(app, lambda: window.flows.dialog is not None)
    shoot(window.flows.dialog, out, "12-about")
    window.flows.dialog.reject()
    extra_dialogs(window, out)
    QApplication.processEvents()


def home_with_notices(window, out: Path) -> None:
    """Home with what the LA said back: a return sent back for changes, and the feedback letter
    on an accepted one (shown as the window would once the collector had said so)."""
    from school_audit.services.notices import HomeNotice

    home = window.home
    notice = dict(audit_id="a", cycle="2024-25", revision=1, on=date(2025, 10, 14))
    home.show_notices([
        HomeNotice(kind="returned", submission_id="s-r", comments=3, **notice),
        HomeNotice(kind="accepted", submission_id="s-a", letter_issued_on=date(2025, 10, 20),
                   **notice),
    ])  # fmt: skip
    shoot(window, out, "01b-home-letter")
    home.verticalScrollBar().setValue(home.verticalScrollBar().maximum())
    shoot(window, out, "01c-home-letter-scrolled-down")
    home.verticalScrollBar().setValue(0)
    home.show_notices([])


def extra_dialogs(window, out: Path) -> None:
    """Sign-off, enrolment and outbox, built directly (no collector needed for a picture)."""
    from school_audit.domain import signatories
    from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog
    from school_audit.ui.dialogs.outbox_dialog import OutboxDialog
    from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog

    profile = window.service.profile()
    dialog = SignOffDialog(signatories.signatories_for(profile), signatories.ROLE_LABELS, window)
    dialog.show()
    shoot(dialog, out, "13-sign-off")
    dialog.close()
    enrol = EnrolmentDialog(window)
    enrol.show()
    shoot(enrol, out, "14-enrolment")
    enrol.close()
    outbox = OutboxDialog(window)
    outbox.show_entries([])
    outbox.show()
    shoot(outbox, out, "15-outbox-empty")
    outbox.close()


def child(out: Path, step: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    first_run(out) if step == "first" else tour(out)


def screen_config(folder: Path, laptop: bool) -> Path:
    """An offscreen screen: a large one, or a 1366×768 laptop's area left by the taskbar."""
    import json

    width, height = (1366, 728) if laptop else (3000, 2000)
    config = {"screens": [{"name": "shots", "x": 0, "y": 0, "width": width, "height": height,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}  # fmt: skip
    path = folder / "screen.json"
    path.write_text(json.dumps(config))
    return path


def main() -> None:
    out = Path(sys.argv[1])
    scale = sys.argv[2] if len(sys.argv) > 2 else "1"
    laptop = len(sys.argv) > 3 and sys.argv[3] == "laptop"
    root = Path(tempfile.mkdtemp(prefix="shots-"))
    env = dict(os.environ, QT_SCALE_FACTOR=scale, PYTHONPATH=str(Path.cwd()))
    env.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
    if env["QT_QPA_PLATFORM"] == "offscreen":
        env["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen_config(root, laptop)}"
    seeded = root / "seeded"
    subprocess.run([sys.executable, "-c", "from school_audit.services.demo_audits import seed_demo;"
                    "from school_audit.ui.app import open_default_service;"
                    f"import datetime; seed_demo(open_default_service().audits, datetime.date{TODAY.timetuple()[:3]})"],
                   env=dict(env, SCHOOL_AUDIT_HOME=str(seeded)), check=True)  # fmt: skip
    for step, home in (("first", root / "empty"), ("tour", seeded)):
        subprocess.run([sys.executable, "-m", "tests.ui.make_screenshots", "--child", step,
                        str(out / f"scale{scale}{'-laptop' if laptop else ''}")],
                       env=dict(env, SCHOOL_AUDIT_HOME=str(home)),
                       check=True)  # fmt: skip
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "--child":
        child(Path(sys.argv[3]), sys.argv[2])
    else:
        main()
