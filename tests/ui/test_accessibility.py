"""Every control a DSL can reach has an accessible name (for screen readers and voice control),
and the window lays out at 200% scale without clipping its buttons."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from school_audit.domain.audit import Action, Rating, Response
from school_audit.ui.dialogs.profile_dialog import ProfileDialog
from tests.ui.helpers import fixture_template, open_audit_window, prepared_service

ROOT = Path(__file__).resolve().parents[2]
CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    buddies = {id(label.buddy()) for label in root.findChildren(QLabel) if label.buddy()}
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisibleTo(root):
            continue
        if isinstance(widget.parentWidget(), QComboBox) or isinstance(widget, QHeaderView):
            continue  # a combo box's own line edit; headers are named by their section titles
        text = widget.text() if isinstance(widget, QAbstractButton) else ""
        if not (widget.accessibleName() or text.strip() or id(widget) in buddies):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} in "
                           f"{type(widget.parentWidget()).__name__}")  # fmt: skip
    return missing


def test_every_control_of_the_workspace_and_profile_has_a_name(qtbot, monkeypatch, school_profile):
    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    service.save_response(audit.audit_id, Response(standard_id="C4", rating=Rating.NOT_MET))
    service.save_action(audit.audit_id, Action(standard_id="C4", target_date=date(2026, 1, 1)))
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [template])
    for standard_id in ("C4", "LP1", "LP2"):
        window.audit_page.go_to(standard_id)
        assert unnamed_controls(window) == [], standard_id
    window.audit_page.show_plan()
    assert unnamed_controls(window) == []
    window.audit_page.show_readiness()
    assert unnamed_controls(window) == []
    dialog = ProfileDialog(service.profile(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []


SCALED_CHECK = """
import sys
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton
from tests.ui.helpers import real_service_factory, fixture_template
from school_audit.ui.app import create_app
app, window = create_app(real_service_factory([fixture_template()]))
window.resize(1280, 860)
while window.session is None and window.stack.currentWidget() is not window.home:
    QTest.qWait(20)
if window.session is None:
    window.open_audit(window.service.audits()[0].audit_id)
    while window.session is None:
        QTest.qWait(20)
window.audit_page.go_to("C4")
QTest.qWait(100)
page = window.audit_page.standard_page
clipped = [b.text() for b in window.findChildren(QAbstractButton)
           if b.isVisible() and b.text() and b.width() < b.minimumSizeHint().width()]
print("RATIO", window.devicePixelRatioF())
print("CLIPPED", clipped)
print("TEXT", page.text.height() >= page.text.heightForWidth(page.text.width()))
"""


def test_the_window_does_not_clip_at_200_percent(isolated_home, school_profile):
    template = fixture_template()
    prepared_service(school_profile, [template]).start_audit(template)
    env = dict(os.environ, QT_SCALE_FACTOR="2", QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT),
               SCHOOL_AUDIT_HOME=str(isolated_home))  # fmt: skip
    result = subprocess.run([sys.executable, "-c", SCALED_CHECK], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "RATIO 2.0" in result.stdout, result.stderr[-2000:]
    assert "CLIPPED []" in result.stdout
    assert "TEXT True" in result.stdout


def test_every_other_screen_has_named_controls(qtbot, monkeypatch, school_profile):
    """Home and every dialog: no control without an accessible name (none allowed)."""
    from school_audit.domain import signatories as rules
    from school_audit.services.sign_off_summary import SigningSummary
    from school_audit.ui.dialogs.about_dialog import AboutDialog
    from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog
    from school_audit.ui.dialogs.outbox_dialog import OutboxDialog
    from school_audit.ui.dialogs.sign_here_dialog import AskByEmailDialog, SignHereDialog
    from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog
    from school_audit.ui.dialogs.start_audit_dialog import StartAuditDialog
    from tests.ui.helpers import real_service_factory, start_window

    template = fixture_template()
    service = prepared_service(school_profile, [template])
    service.start_audit(template)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._home, timeout=10_000)
    assert unnamed_controls(window) == []
    dialogs = [
        OutboxDialog(window),
        EnrolmentDialog(window),
        SignOffDialog(rules.signatories_for(school_profile), rules.ROLE_LABELS, window),
        SignHereDialog(
            "Head teacher",
            rules.declaration_text(rules.R.HEAD_TEACHER),
            SigningSummary(warnings=["C4: expires soon"]),
            window,
        ),  # fmt: skip
        AskByEmailDialog("Chair of governors", "Sam Patel", "", window),
        StartAuditDialog([template], service.audits(), window),
        AboutDialog(window),
        ProfileDialog(None, window),  # the first-run form
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        assert unnamed_controls(dialog) == [], type(dialog).__name__
