"""A 1366×768 laptop (1366×728 left by the taskbar): the window and the first-run form fit, and
Start, Sign and send, Outbox, the saved indicator and the form's Save are on the screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

from school_audit.ui.screen_fit import TITLE_BAR_ALLOWANCE, size_for_screen
from tests.ui.helpers import fixture_template, prepared_service

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
from PySide6.QtCore import QPoint, QRect
from PySide6.QtTest import QTest
from tests.ui.helpers import real_service_factory, fixture_template
from school_audit.ui.app import create_app
from school_audit.ui.dialogs.profile_dialog import ProfileDialog

app, window = create_app(real_service_factory([fixture_template()]))
while window.stack.currentWidget() is not window._home:
    QTest.qWait(20)
QTest.qWait(100)
screen = window.screen().availableGeometry()
print("SCREEN", screen.width(), screen.height())
print("WINDOW", window.width(), window.height())

def on_screen(widget):
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return widget.isVisible() and screen.contains(QRect(top_left, widget.size()))

home = window.home
print("HOME", [name for name, w in [("start", home.start_button), ("sign", home.sign_button),
      ("outbox", home.outbox_button), ("saved", window.save_indicator)] if not on_screen(w)])
window.open_audit(window.service.audits()[0].audit_id)
while window.session is None:
    QTest.qWait(20)
QTest.qWait(100)
page = window.audit_page.standard_page
window.audit_page.go_to("C4")  # a standard with dates and actions: a long page
QTest.qWait(100)
print("AUDIT", [name for name, w in [("saved", window.save_indicator), ("next", page.next_button),
      ("previous", page.previous_button)] if not on_screen(w)])
dialog = ProfileDialog(None, window)
dialog.show()
QTest.qWait(100)
print("FORM", dialog.height() <= screen.height(), on_screen(dialog.save_button))
"""


def laptop_screen(folder: Path) -> Path:
    config = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 728,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}  # fmt: skip
    path = folder / "screen.json"
    path.write_text(json.dumps(config))
    return path


def test_the_size_is_bounded_by_the_screen():
    assert size_for_screen(QSize(1280, 860), QSize(1366, 728)) == QSize(
        1280, 728 - TITLE_BAR_ALLOWANCE
    )
    assert size_for_screen(QSize(1280, 860), QSize(2560, 1400)) == QSize(1280, 860)


def test_everything_needed_is_on_a_1366_by_768_screen(isolated_home, school_profile, tmp_path):
    template = fixture_template()
    prepared_service(school_profile, [template]).start_audit(template)
    env = dict(os.environ, PYTHONPATH=str(ROOT), SCHOOL_AUDIT_HOME=str(isolated_home),
               QT_QPA_PLATFORM=f"offscreen:configfile={laptop_screen(tmp_path)}")  # fmt: skip
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert "SCREEN 1366 728" in result.stdout, result.stderr[-2000:]
    width, height = (int(v) for v in result.stdout.split("WINDOW ")[1].split()[:2])
    assert width <= 1366 and height <= 728 - TITLE_BAR_ALLOWANCE
    assert "HOME []" in result.stdout, result.stdout
    assert "AUDIT []" in result.stdout, result.stdout
    assert "FORM True True" in result.stdout, result.stdout


@pytest.mark.parametrize("size", [(960, 540), (683, 324)], ids=["1920x1080", "1366x768"])
def test_at_200_percent_the_standard_pane_never_scrolls_sideways(qtbot, monkeypatch, school_profile, size):
    """1920×1080 at 200% leaves 960×540 to lay out, a 1366×768 laptop 683×324 (less its taskbar
    and the title bar): the rating buttons wrap, an action's fields stack and its owner box is
    no wider than it needs, so nothing on the standard's page is out of reach to the side."""
    from datetime import date as _date

    from school_audit.domain.audit import Action, Rating, Response
    from tests.ui.helpers import fixture_template, open_audit_window, prepared_service

    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    service.save_response(audit.audit_id, Response(standard_id="C4", rating=Rating.NOT_MET))
    service.save_action(audit.audit_id, Action(standard_id="C4", target_date=_date(2026, 1, 1)))
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [template])
    window.resize(*size)
    page = window.audit_page.standard_page
    for standard in template.standards():
        window.audit_page.go_to(standard.id)
        qtbot.waitUntil(lambda: page.widget().width() <= page.viewport().width(), timeout=2_000)
        assert page.horizontalScrollBar().maximum() == 0, standard.id


def _reachable(widget, window) -> bool:
    """Scrolled to (as Tab does), `widget` is wholly inside every area that clips it, up to the
    window: nothing of it is cut off or squeezed under the edge."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QAbstractScrollArea, QScrollArea

    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):  # scrolled so the whole of it shows, if it fits
            centre = widget.mapTo(parent.widget(), widget.rect().center())
            parent.ensureVisible(centre.x(), centre.y(), widget.width() // 2 + 1,
                                 widget.height() // 2 + 1)  # fmt: skip
        parent = parent.parentWidget()
    if not widget.isVisible() or widget.height() < widget.minimumSizeHint().height():
        return False
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        clip = parent.viewport() if isinstance(parent, QAbstractScrollArea) else parent
        if not QRect(clip.mapTo(window, QPoint(0, 0)), clip.size()).contains(rect):
            return False
        parent = parent.parentWidget()
    return window.rect().contains(rect)


def _inside_a_view(widget) -> bool:
    """A table's own parts (its header, its corner button) are reached with the table."""
    from PySide6.QtWidgets import QAbstractItemView

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractItemView):
            return True
        parent = parent.parentWidget()
    return False


def test_home_with_the_letter_panel_at_200_percent_on_1366_by_768_reaches_every_control(
    qtbot, monkeypatch, school_profile
):
    """1366×728 (a taskbar's worth less than 768) at 200% text leaves 683×364 to lay out, less
    the title bar: Home with the LA's notices and the feedback letter scrolls, and every control
    on it can be brought fully into view, with nothing out of reach to the side."""
    from datetime import date as _date

    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView

    from school_audit.services.notices import HomeNotice
    from tests.ui.helpers import real_service_factory, start_window

    template = fixture_template()
    service = prepared_service(school_profile, [template])
    service.start_audit(template)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window._home, timeout=10_000)
    window.resize(size_for_screen(QSize(1280, 860), QSize(1366 // 2, 728 // 2)))
    home = window.home
    notice = dict(audit_id="a", cycle="2024-25", revision=1, on=_date(2025, 10, 14))
    home.show_notices([
        HomeNotice(kind="returned", submission_id="s-r", comments=3, **notice),
        HomeNotice(kind="accepted", submission_id="s-a", letter_issued_on=_date(2025, 10, 20),
                   **notice),
    ])  # fmt: skip
    qtbot.wait(50)
    assert window.height() <= 364 - TITLE_BAR_ALLOWANCE
    controls = [w for w in home.findChildren(QAbstractButton) + home.findChildren(QAbstractItemView)
                if w.isVisibleTo(home) and not _inside_a_view(w)]  # fmt: skip
    names = [w.text() if isinstance(w, QAbstractButton) else w.accessibleName() for w in controls]
    assert {"Download and open the letter", "Start this year's audit", "Open", "Sign and send…",
            "Outbox…", "Edit profile…", "Audits on this computer"} <= set(names)  # fmt: skip
    cut = [name for w, name in zip(controls, names, strict=True) if not _reachable(w, window)]
    assert not cut, cut
    assert home.horizontalScrollBar().maximum() == 0  # never sideways


def test_at_200_percent_on_1366_by_768_the_window_never_grows_past_the_screen(
    qtbot, monkeypatch, school_profile
):
    """Each tab sets how narrow the window can be only while it is shown: after the action plan
    (whose filters need the whole width) and back at a standard beside the navigator, the window
    is still the laptop's width, and so it is with a message in the banner."""
    from school_audit.domain.audit import Action, Rating, Response
    from tests.ui.helpers import open_audit_window

    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    service.save_response(audit.audit_id, Response(standard_id="C4", rating=Rating.NOT_MET))
    service.save_action(audit.audit_id, Action(standard_id="C4", description="Check the SCR"))
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [template])
    width, height = 1366 // 2, 728 // 2 - TITLE_BAR_ALLOWANCE
    window.resize(width, height)
    page = window.audit_page
    for show in (page.show_plan, page.show_readiness, lambda: page.go_to("C4")):
        show()
        qtbot.wait(30)
        assert window.width() <= width, show
    window.show_message("Your last change is not saved yet: the disk is full. It is kept here "
                        "and saving is retried automatically.", "Try again now", lambda: None)  # fmt: skip
    qtbot.wait(30)
    assert window.width() <= width
    assert page.standard_page.horizontalScrollBar().maximum() == 0
