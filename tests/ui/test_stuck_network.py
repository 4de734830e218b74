"""Nothing waits behind the network: a collector that accepts and never answers holds up only the
network lane. Opening an audit, answering and signing complete while the drain is stuck, and
closing the window then loses nothing."""

from __future__ import annotations

import socket
import threading
from datetime import date

import pytest

from school_audit.domain.audit import Rating, Response
from tests.services.collector_double import CollectorDouble
from tests.ui.helpers import (
    fixture_template,
    prepared_service,
    real_service_factory,
    start_window,
)
from tests.ui.test_sign_and_send import seal_and_sign_here


class SilentServer:
    """A real listening socket that accepts connections and never sends a byte back."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.connections.append(connection)

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:  # the stuck request ends (connection reset)
            connection.close()


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


def answer_all(service, audit, template, skip=()) -> None:
    for standard in template.standards():
        if standard.id in skip:
            continue
        dates = {d.key: date(2025, 9, 1) for d in standard.dates}
        service.save_response(audit.audit_id, Response(
            standard_id=standard.id, rating=Rating.MET, evidence="Records seen", dates=dates,
        ))  # fmt: skip


def signed_last_year(service, profile, silent) -> None:
    """Enrolled with the silent server's address, and last year's audit signed and queued."""
    from school_audit.services.submission_service import SubmissionService

    double = CollectorDouble(urn=profile.urn)
    submission = SubmissionService(service.store, session_factory=double.session_factory)
    submission.enrol(silent.url, "CODE-1234", "Office PC")  # the double answers this one
    last_year = fixture_template("mini_school_template_2024.json")
    audit = service.start_audit(last_year)
    answer_all(service, audit, last_year)
    people = [("dsl", "Sam Carter"), ("head_teacher", "Ruth Ellis"),
              ("chair_of_governors", "Martin Hale")]  # fmt: skip
    submission.finalise(audit.audit_id, [submission.sign_off(r, n) for r, n in people])


def test_open_answer_and_sign_while_the_drain_is_stuck(qtbot, monkeypatch, school_profile, silent):
    import school_audit.ui.outbox_sender as outbox_sender

    monkeypatch.setattr(outbox_sender, "FIRST_DRAIN_MS", 0)  # the timer's first drain at once
    templates = [fixture_template(), fixture_template("mini_school_template_2024.json")]
    profile = school_profile.model_copy(deep=True)
    profile.dsl.name, profile.head.name = "Sam Carter", "Ruth Ellis"
    profile.chair_of_governors.name = "Martin Hale"
    service = prepared_service(profile, templates)
    signed_last_year(service, profile, silent)
    this_year = service.start_audit(templates[0])
    answer_all(service, this_year, templates[0], skip={"A1"})

    window = start_window(qtbot, monkeypatch, real_service_factory(templates))
    qtbot.waitUntil(lambda: bool(silent.connections), timeout=10_000)  # the drain is stuck
    assert window.network.busy

    with qtbot.waitSignal(window.audit_opened, timeout=10_000):  # open
        window.open_audit(this_year.audit_id)
    window.audit_page.go_to("A1")
    window.audit_page.focus_answer()
    page = window.audit_page.standard_page
    qtbot.keyClick(page.answer, "1")  # answer: Met, with evidence
    qtbot.keyClicks(page.evidence, "Single central record checked")
    qtbot.waitUntil(lambda: window.save_indicator.state == "saved", timeout=10_000)
    assert window.session.response("A1").rating is Rating.MET

    window.show_home()  # sign
    qtbot.waitUntil(lambda: window.home.sign_button.isEnabled(), timeout=10_000)
    assert window.home.selected_summary().audit_id == this_year.audit_id
    window.home.sign_button.click()
    dialog = seal_and_sign_here(qtbot, window, ["Sam Carter", "Ruth Ellis", "Martin Hale"])
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: "Signed." in window.banner.label.text(), timeout=10_000)
    assert window.network.busy and len(silent.connections) == 1  # still stuck on the first send

    window.close()  # at once, and nothing is lost
    assert window.network.cancelled()
    reopened = real_service_factory(templates)()
    answer = reopened.load(this_year.audit_id).response("A1")
    assert answer.rating is Rating.MET and answer.evidence == "Single central record checked"
    outbox = reopened.store.outbox_items()
    assert len(outbox) == 2 and all(item.state != "sent" for item in outbox)
