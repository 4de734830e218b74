"""Driving the real window in tests: start it on a real store, wait for pages and dialogs."""

from __future__ import annotations

import sys
import threading
from contextlib import suppress
from datetime import date
from pathlib import Path

from school_audit.domain.template_loading import load_template

FIXTURES = Path(__file__).parent.parent / "fixtures"
TODAY = date(2025, 11, 1)


def fixture_template(name: str = "mini_school_template.json"):
    return load_template((FIXTURES / name).read_bytes())


def real_service_factory(templates=(), today=lambda: TODAY):
    """Opens the real store in the test's data folder, with extra templates known to it."""

    def open_service():
        from school_audit.services.audit_service import AuditService
        from school_audit.store import Store

        service = AuditService(Store.open_default(), today=today)
        for template in templates:
            service.catalogue.add(template, "file")
        return service

    return open_service


# Windows started by the running test. A closed window leaves its background lane to finish (the
# app waits for it before exiting), so the test's end waits for it here (see conftest.py):
# the next test must not open a store while this one's lane is still migrating another.
STARTED: list = []


def start_window(qtbot, monkeypatch, open_service, today=lambda: TODAY):
    from school_audit.ui.app import create_app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    _, window = create_app(open_service, today)
    qtbot.addWidget(window)
    STARTED.append(window)
    return window


def wait_for_lanes() -> None:
    while STARTED:
        window = STARTED.pop()
        with suppress(RuntimeError):  # already deleted: Qt waited for its lane then
            window.runner.wait_for_done(30_000)
            window.network.stop()  # as closing the window does
            window.network.wait_for_done(30_000)


def wait_for_dialog(qtbot, window, kind):
    qtbot.waitUntil(lambda: isinstance(window.flows.dialog, kind), timeout=10_000)
    return window.flows.dialog


def activate(qtbot, window) -> None:
    """Offscreen Qt has no window manager: give the window focus as a desktop would."""
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow, timeout=5_000)


def prepared_service(profile, templates):
    """The real service on the test's data folder, with a profile and templates in place."""
    service = real_service_factory(templates)()
    service.save_profile(profile)
    return service


def open_audit_window(qtbot, monkeypatch, audit_id, templates):
    window = start_window(qtbot, monkeypatch, real_service_factory(templates))
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=10_000)
    with qtbot.waitSignal(window.audit_opened, timeout=10_000):
        window.open_audit(audit_id)
    activate(qtbot, window)
    return window
