"""Keyboard only: every screen walked with Tab, Shift+Tab and the shortcuts, every action reached
(EN 301 549 / WCAG 2.2 AA 2.1.1); on Home, Tab leaves the audits table; 1-4 rate only with focus in
the rating group or on the page."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from school_audit.domain.audit import Rating
from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog
from school_audit.ui.dialogs.outbox_dialog import OutboxDialog
from school_audit.ui.dialogs.profile_dialog import ProfileDialog
from school_audit.ui.dialogs.start_audit_dialog import StartAuditDialog
from tests.ui.helpers import (
    activate,
    fixture_template,
    prepared_service,
    real_service_factory,
    start_window,
    wait_for_dialog,
)
from tests.ui.test_stuck_network import answer_all

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def key(qtbot, keys, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as a keyboard does (focus nowhere is a failure)."""
    focus = QApplication.focusWidget()
    assert focus is not None, "focus is nowhere"
    qtbot.keyClick(focus, keys, modifier)


def tab_cycle(qtbot, backwards: bool = False, limit: int = 80) -> list:
    """Press Tab (or Shift+Tab) until focus comes back where it started: the widgets on the way."""
    start = QApplication.focusWidget()
    seen = [start]
    for _ in range(limit):
        key(qtbot, Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab,
            SHIFT if backwards else Qt.KeyboardModifier.NoModifier)  # fmt: skip
        focus = QApplication.focusWidget()
        if focus is start:
            return seen
        seen.append(focus)
    raise AssertionError(f"Tab never came back to {start!r}: stuck in {seen[-3:]}")


def shortcut_opens(qtbot, window, keys, modifier, kind) -> QDialog:
    key(qtbot, keys, modifier)
    dialog = wait_for_dialog(qtbot, window, kind)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()), timeout=5_000)
    return dialog


def close_by_escape(qtbot, window, dialog) -> None:
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.flows.dialog is None and not dialog.isVisible(), timeout=5_000)
    activate(qtbot, window)  # a desktop's window manager gives the window back its focus


def ready_window(qtbot, monkeypatch, school_profile, *, answered=True):
    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    if answered:
        answer_all(service, audit, template)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._home, timeout=10_000)
    activate(qtbot, window)
    return window, audit


def test_home_by_keyboard_reaches_every_action(qtbot, monkeypatch, school_profile):
    window, _ = ready_window(qtbot, monkeypatch, school_profile)
    home = window.home
    qtbot.waitUntil(home.sign_button.isEnabled, timeout=10_000)
    home.table.setFocus()
    forwards = tab_cycle(qtbot)
    wanted = [home.table, home.profile_button, home.start_button, home.outbox_button,
              home.report_button, home.open_button, home.sign_button]  # fmt: skip
    assert all(widget in forwards for widget in wanted), forwards
    assert set(tab_cycle(qtbot, backwards=True)) == set(forwards)  # Shift+Tab goes back too

    outbox = shortcut_opens(qtbot, window, Qt.Key.Key_O, CTRL | SHIFT, OutboxDialog)
    assert outbox.check_button in tab_cycle(qtbot)
    close_by_escape(qtbot, window, outbox)
    enrol = shortcut_opens(qtbot, window, Qt.Key.Key_S, CTRL | SHIFT, EnrolmentDialog)
    assert {enrol.url, enrol.code} <= set(tab_cycle(qtbot))  # signing starts here
    close_by_escape(qtbot, window, enrol)
    profile = shortcut_opens(qtbot, window, Qt.Key.Key_E, CTRL | SHIFT, ProfileDialog)
    assert profile.save_button in tab_cycle(qtbot)
    close_by_escape(qtbot, window, profile)
    opened = []
    window.flows.open_file = opened.append  # no PDF reader started by a test
    key(qtbot, Qt.Key.Key_P, CTRL)  # the governors' PDF of the selected audit
    qtbot.waitUntil(lambda: "saved as" in window.banner.label.text(), timeout=20_000)
    path = window.banner.label.text().split("saved as ", 1)[1].strip()
    assert Path(path).read_bytes()[:5] == b"%PDF-"
    assert opened == [Path(path)]  # and opened


def test_start_by_keyboard(qtbot, monkeypatch, school_profile):
    template = fixture_template()
    prepared_service(school_profile, [template])
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.home.start_button.isEnabled(), timeout=10_000)
    activate(qtbot, window)
    window.home.start_button.setFocus()
    start = shortcut_opens(qtbot, window, Qt.Key.Key_N, CTRL, StartAuditDialog)
    assert start.template in tab_cycle(qtbot)
    with qtbot.waitSignal(window.audit_opened, timeout=10_000):
        start.template.setFocus()
        key(qtbot, Qt.Key.Key_Return)  # Enter presses the default button: Start


def test_the_workspace_by_keyboard_reaches_every_action(qtbot, monkeypatch, school_profile):
    window, _ = ready_window(qtbot, monkeypatch, school_profile, answered=False)
    window.home.table.setFocus()
    with qtbot.waitSignal(window.audit_opened, timeout=10_000):
        key(qtbot, Qt.Key.Key_Return)  # open the selected audit
    page = window.audit_page
    qtbot.waitUntil(lambda: page.standard_page.answer.isAncestorOf(QApplication.focusWidget()),
                    timeout=5_000)  # fmt: skip
    standard = page.standard_page
    seen = tab_cycle(qtbot)
    group = standard.answer._group
    wanted = [group.button(0), standard.evidence, standard.add_action, standard.next_button,
              page.tree, page.search, page.filter, page.home_button]  # fmt: skip
    missing = [w for w in wanted if w not in seen]
    assert missing == [], missing
    group.button(0).setFocus()  # a radio group: Tab enters it once, the arrows move within
    for number in (n for n in (1, 2, 3) if group.button(n).isEnabled()):  # N/A: statutory
        key(qtbot, Qt.Key.Key_Right)
        assert QApplication.focusWidget() is group.button(number)
    assert window.session.response(standard.standard.id).rating is None  # moving is not rating
    key(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    assert page.tabs.currentWidget().isAncestorOf(page.plan_page)
    assert page.plan_page.isAncestorOf(QApplication.focusWidget())  # not nowhere
    key(qtbot, Qt.Key.Key_R, CTRL | SHIFT)
    assert page.tabs.currentWidget().isAncestorOf(page.readiness)
    assert QApplication.focusWidget() is page.readiness.list
    key(qtbot, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=10_000)


def test_digits_rate_only_from_the_rating_group_or_the_page(qtbot, monkeypatch, school_profile):
    window, audit = ready_window(qtbot, monkeypatch, school_profile, answered=False)
    with qtbot.waitSignal(window.audit_opened, timeout=10_000):
        window.open_audit(audit.audit_id)
    activate(qtbot, window)
    page = window.audit_page.standard_page
    standard_id = page.standard.id
    page.add_action.setFocus()
    key(qtbot, Qt.Key.Key_3)  # stray typing on a button
    page.next_button.setFocus()
    key(qtbot, Qt.Key.Key_2)
    assert window.session.response(standard_id).rating is None
    page.answer.setFocus()
    key(qtbot, Qt.Key.Key_3)
    assert window.session.response(standard_id).rating is Rating.NOT_MET
    page.setFocus()
    key(qtbot, Qt.Key.Key_1)
    assert window.session.response(standard_id).rating is Rating.MET


def test_the_main_button_is_the_next_step_and_good_news_is_green(
    qtbot, monkeypatch, school_profile
):
    window, _ = ready_window(qtbot, monkeypatch, school_profile)  # an audit ready to sign
    home = window.home
    qtbot.waitUntil(home.sign_button.isEnabled, timeout=10_000)
    assert home.sign_button.objectName() == "primary"
    assert home.start_button.objectName() != "primary"  # one is under way already
    window.show_success("Signed.")
    assert window.banner.kind == "success"
    green = window.banner.grab().toImage().pixelColor(3, 3).name()
    window.show_error(ValueError("Something is wrong."))
    assert window.banner.kind == "error"
    red = window.banner.grab().toImage().pixelColor(3, 3).name()
    assert (green, red) == ("#e6f4ea", "#fbe9e7")
