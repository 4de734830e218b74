"""A real app process that types evidence through the real widgets (for the kill test).

    python -m tests.ui.typing_app type FIRST_ROUND   # types round after round, prints ACK lines
    python -m tests.ui.typing_app show               # prints what the reopened app shows

`ACK <standard> <round>` is printed only after the window's save indicator said "saved".
Each round is typed in two halves with a pause between them, so a kill can land after a half
has been saved but before the round was acknowledged.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import fixture_template, real_service_factory

STANDARDS = ["A1", "A2", "C4", "C12", "O2"]


def round_text(number: int) -> str:
    return f"r{number:04d} evidence typed in round {number}; minutes and records checked"


def standard_for(number: int) -> str:
    return STANDARDS[number % len(STANDARDS)]


def _wait(app: QApplication, condition, timeout_ms: int = 30_000) -> None:
    """Run the event loop until `condition()` holds. A real QEventLoop (not a sleep) lets the
    background lane have the interpreter while the window waits."""
    loop = QEventLoop()
    poll = QTimer()
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start(15)
    QTimer.singleShot(timeout_ms, loop.quit)
    if not condition():
        loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the window did not get there in time")


def _pause(msecs: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(msecs, loop.quit)
    loop.exec()


def open_window():
    from school_audit.ui.app import create_app

    app, window = create_app(real_service_factory([fixture_template()]))
    _wait(app, lambda: window.session is not None or window.stack.currentWidget() is window.home)
    if window.session is None:
        window.open_audit(window.service.audits()[0].audit_id)
        _wait(app, lambda: window.session is not None)
    window.activateWindow()
    return app, window


def type_rounds(first: int) -> None:
    app, window = open_window()
    page = window.audit_page
    number = first
    while True:
        standard_id = standard_for(number)
        page.go_to(standard_id)
        evidence = page.standard_page.evidence
        evidence.setFocus()
        evidence.selectAll()
        text = round_text(number)
        half = len(text) // 2
        QTest.keyClicks(evidence, text[:half])
        _pause(350)  # a pause: the first half is saved, not yet acknowledged
        QTest.keyClicks(evidence, text[half:])
        _wait(
            app, lambda: window.save_indicator.state == "saved" and not window.session.has_unsaved
        )
        print(f"ACK {standard_id} {number}", flush=True)
        number += 1


def show() -> None:
    app, window = open_window()
    for standard_id in STANDARDS:
        print(f"HAVE {standard_id} {window.session.response(standard_id).evidence}", flush=True)
    QTimer.singleShot(0, window.close)
    app.processEvents()


if __name__ == "__main__":
    if sys.argv[1] == "type":
        type_rounds(int(sys.argv[2]))
    else:
        show()
