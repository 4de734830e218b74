"""Through the window, against a real collector over HTTP: the DSL's email asked at enrolment,
Home's notices from the LA, and the feedback letter fetched on the network lane and opened."""

from __future__ import annotations

import io
import os
import threading
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from school_audit.services.notices import HomeNotice
from school_audit.ui.dialogs.enrolment_dialog import EnrolmentDialog
from school_audit.ui.widgets.home_notices import HomeNotices, day_text
from tests.ui.helpers import (
    fixture_template,
    prepared_service,
    real_service_factory,
    start_window,
    wait_for_dialog,
)
from tests.ui.test_sign_and_send import answer_everything, seal_and_sign_here

DSL = "sam.carter@school123456.example.sch.uk"


@pytest.fixture
def collector(tmp_path):
    from tests.e2e.collector_server import make_collector

    running = make_collector(
        tmp_path / "collector", f"sqlite:///{tmp_path}/collector.db", ["123456"]
    )
    yield running
    running.stop()


def _review(collector, decision: str, general: str) -> str:
    from school_audit.collector.db import init_database
    from school_audit.collector.review.reviewing import ReviewInput, record_review

    database = init_database(collector.database_url)
    submission_id = str(collector.submissions()[0]["submission_id"])
    try:
        record_review(database, submission_id, "officer", ReviewInput(decision, general, {}))
    finally:
        database.dispose()
    return submission_id


def _signed_and_sent_window(qtbot, monkeypatch, school_profile, collector):
    template = fixture_template()
    profile = school_profile.model_copy(deep=True)
    profile.dsl.name, profile.head.name = "Sam Carter", "Ruth Ellis"
    profile.chair_of_governors.name = "Martin Hale"
    service = prepared_service(profile, [template])
    answer_everything(service, service.start_audit(template).audit_id)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.home.sign_button.isEnabled(), timeout=10_000)
    window.home.sign_button.click()
    enrol = wait_for_dialog(qtbot, window, EnrolmentDialog)
    enrol.url.setText(collector.url)
    enrol.code.setText(collector.issue_code("123456"))
    enrol.dsl_email.setText(DSL)
    enrol.ok.click()
    dialog = seal_and_sign_here(qtbot, window, ["Sam Carter", "Ruth Ellis", "Martin Hale"])
    dialog.finalise_button.click()
    qtbot.waitUntil(lambda: "Signed and sent" in window.banner.label.text(), timeout=20_000)
    return window


def _check(qtbot, window) -> None:
    finished = []
    window.la_news.check(on_done=finished.append)
    qtbot.waitUntil(lambda: bool(finished), timeout=20_000)
    window.runner.wait_for_done(10_000)


def test_home_hears_back_and_opens_the_feedback_letter(
    qtbot, monkeypatch, school_profile, collector, tmp_path
):
    window = _signed_and_sent_window(qtbot, monkeypatch, school_profile, collector)
    from sqlalchemy import create_engine, text

    engine = create_engine(collector.database_url)
    with engine.connect() as connection:  # the DSL's address went with the enrolment
        rows = connection.execute(text("SELECT role, email FROM establishment_contacts")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("dsl", DSL)]

    _check(qtbot, window)  # received
    notices = window.home.notices
    qtbot.waitUntil(lambda: len(notices.labels) == 1, timeout=10_000)
    assert "received by the local authority on" in notices.labels[0].text()
    assert notices.letter_button is None

    _review(collector, "accepted", "A careful audit.")
    collector.cli("letters", "send", "--cycle", "2025-26")
    _check(qtbot, window)
    qtbot.waitUntil(lambda: notices.letter_button is not None, timeout=10_000)
    assert notices.labels[0].text().startswith("Accepted: the local authority accepted")
    assert day_text(date.today()) in notices.labels[0].text()
    assert notices.isVisible() and notices.letter_box.isVisible()

    opened: list[tuple[Path, bool]] = []
    window.la_news.open_file = lambda path: opened.append(
        (path, threading.current_thread() is threading.main_thread())
    )
    notices.letter_button.click()
    assert not notices.letter_button.isEnabled()  # busy while it downloads (network lane)
    assert notices.letter_progress.isVisibleTo(notices)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    [(path, on_ui_thread)] = opened
    assert on_ui_thread  # opened from the UI thread, once the lane brought the file back
    assert path.parent.name == "letters" and path.parent.parent == Path(os.environ["SCHOOL_AUDIT_HOME"])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).split())
    assert "School 123456" in text and "A careful audit." in text
    assert notices.letter_button.isEnabled() and not notices.letter_progress.isVisibleTo(notices)
    assert f"Saved on this computer as {path.name}" in notices.letter_status.text()
    assert notices.letter_status.toolTip() == str(path)
    _shot(window, "window-letter.png")

    collector.stop()  # offline now: the copy kept in the data folder still opens
    notices.letter_button.click()
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=10_000)
    assert opened[1][0] == path
    path.unlink()  # without it: a clear message, nothing lost, and the button to try again
    notices.letter_button.click()
    qtbot.waitUntil(lambda: "cannot reach the local authority" in notices.letter_status.text(),
                    timeout=30_000)  # fmt: skip
    assert notices.letter_button.isEnabled() and notices.letter_button.text() == "Try again"
    assert len(opened) == 2 and not path.with_suffix(".part").exists()
    _shot(window, "window-letter-offline.png")


def test_a_mistyped_dsl_email_keeps_the_dialog_open(qtbot):
    dialog = EnrolmentDialog()
    qtbot.addWidget(dialog)
    dialog.url.setText("https://audit.example.gov.uk")
    dialog.code.setText("ABCD1234EFGH5678")
    dialog.dsl_email.setText("sam.carter@school")
    dialog.show()
    dialog.ok.click()
    assert dialog.isVisible() and dialog.result() == 0  # not accepted: the code is not spent
    assert "does not look like an email address" in dialog.error.text()
    assert dialog.dsl_email.property("invalid") == "true"
    assert "reminders" in dialog.email_help.text()  # says what the address is for
    dialog.dsl_email.setText(" sam.carter@school.example.sch.uk ")
    assert dialog.error.isHidden()
    with qtbot.waitSignal(dialog.accepted, timeout=1_000):
        dialog.ok.click()
    assert dialog.email() == "sam.carter@school.example.sch.uk"
    assert dialog.values()[:2] == ("https://audit.example.gov.uk", "ABCD1234EFGH5678")


def test_an_empty_dsl_email_is_fine(qtbot):
    dialog = EnrolmentDialog()
    qtbot.addWidget(dialog)
    dialog.url.setText("https://audit.example.gov.uk")
    dialog.code.setText("ABCD1234EFGH5678")
    with qtbot.waitSignal(dialog.accepted, timeout=1_000):
        dialog.ok.click()
    assert dialog.email() is None


def _notice(kind: str, **extra) -> HomeNotice:
    return HomeNotice(kind=kind, audit_id="a", submission_id="s-" + kind, cycle="2025-26",
                      revision=1, on=date(2025, 10, 14), **extra)  # fmt: skip


def test_each_notice_says_what_happened_and_when_in_its_own_style(qtbot):
    panel = HomeNotices()
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show_notices([_notice("accepted", letter_issued_on=date(2025, 10, 20))])
    assert panel.isVisibleTo(panel.parentWidget() or panel)
    frames = [panel.layout().itemAt(i).widget() for i in range(panel.layout().count())]
    assert [f.property("kind") for f in frames] == ["accepted", "letter"]
    assert "14 October 2025" in panel.labels[0].text()
    assert panel.letter_status.text() == "Sent on 20 October 2025, on your 2025-26 return."
    assert "Feedback letter from the LA" in [w.text() for w in panel.letter_box.findChildren(type(panel.labels[0]))]
    panel.show_notices([_notice("received")])
    assert "received by the local authority on 14 October 2025" in panel.labels[0].text()
    assert panel.letter_button is None
    panel.show_notices([_notice("returned", comments=3)])
    assert "Returned by the LA on 14 October 2025" in panel.labels[0].text()
    assert "3 comment(s)" in panel.labels[0].text()
    panel.show_notices([])
    assert panel.isHidden()  # nothing to say: no empty panel


def test_home_screenshots_of_each_notice(qtbot, monkeypatch, memory_service, mini_template):
    """Home with each notice at 100% (saved under HOME_SHOTS=folder, to look at)."""
    from school_audit.ui.pages.home_page import HomePage
    from school_audit.ui.theme import style_window

    page = HomePage()
    style_window(page)  # as the window styles it
    qtbot.addWidget(page)
    page.resize(1100, 640)
    memory_service.start_audit(mini_template)
    page.show_home(memory_service.profile(), memory_service.audits(), can_start=True)
    for name, notices in (
        ("received", [_notice("received")]),
        ("accepted", [_notice("accepted")]),
        ("returned", [_notice("returned", comments=2)]),
        ("letter", [_notice("accepted", letter_issued_on=date(2025, 10, 20))]),
    ):
        page.show_notices(notices)
        page.show()
        qtbot.wait(20)
        image = page.grab()
        assert not image.isNull() and image.width() >= 1100
        _shot(page, f"home-{name}.png")


def _shot(widget, name: str) -> None:
    folder = os.environ.get("HOME_SHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_the_governors_pdf_from_home_and_the_file_menu(qtbot, monkeypatch, school_profile):
    """Made on the store's lane with the button saying so, then opened; a draft says DRAFT on
    every page. The File menu has it too, with its shortcut."""
    template = fixture_template()
    service = prepared_service(school_profile, [template])
    service.start_audit(template)
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    qtbot.waitUntil(lambda: window.home.selected_summary() is not None, timeout=10_000)
    opened = []
    window.flows.open_file = opened.append
    window.home.report_button.click()
    assert window.home.report_button.text() == "Making the PDF…"  # progress, at once
    assert not window.home.report_button.isEnabled()  # not twice at a time
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    [path] = opened
    pages = [page.extract_text() for page in PdfReader(str(path)).pages]
    assert pages and all("DRAFT" in page for page in pages)
    assert window.banner.button.text() == "Show in folder" and str(path) in window.banner.label.text()
    assert window.home.report_button.isEnabled()
    assert window.home.report_button.text() == "Governors' report (PDF)…"
    [action] = [a for m in window.menuBar().actions() if m.text() == "&File"
                for a in m.menu().actions() if a.text().startswith("Governors' report")]  # fmt: skip
    assert action.shortcut().toString() == "Ctrl+P"
    path.unlink()
    action.trigger()  # from the File menu: the selected audit's PDF again
    qtbot.waitUntil(lambda: len(opened) == 2, timeout=30_000)
    assert opened[1] == path and path.read_bytes()[:5] == b"%PDF-"


def test_first_run_after_enrolment_takes_the_las_details(qtbot, monkeypatch, collector):
    """A first run offers to connect first; once connected, the URN, name, LA code and district
    come from the enrolment answer, and the phase is the LA's (never "Nursery school")."""
    from school_audit.ui.dialogs.profile_dialog import ProfileDialog

    template = fixture_template()
    window = start_window(qtbot, monkeypatch, real_service_factory([template]))
    first = wait_for_dialog(qtbot, window, ProfileDialog)
    assert first.connect_button is not None and first.urn.text() == ""
    assert first.phase.currentData() == "primary"  # the usual default, not the first item
    first.connect_button.click()
    enrol = wait_for_dialog(qtbot, window, EnrolmentDialog)
    enrol.url.setText(collector.url)
    enrol.code.setText(collector.issue_code("123456"))
    enrol.ok.click()
    qtbot.waitUntil(lambda: isinstance(window.flows.dialog, ProfileDialog)
                    and window.flows.dialog is not first, timeout=20_000)  # fmt: skip
    filled = window.flows.dialog
    assert (filled.urn.text(), filled.name.text()) == ("123456", "School 123456")
    assert (filled.la_code.text(), filled.district.text()) == ("885", "Redditch")
    assert filled.urn.isReadOnly() and filled.enrolled_note.isVisibleTo(filled)
    assert filled.setting_type.currentData() == "school" and filled.phase.currentData() == "first"
    assert filled.connect_button is None  # connected already
    filled.dsl.name.setText("Sam Carter")
    filled.save_button.click()
    qtbot.waitUntil(lambda: window.home.establishment.text() == "School 123456", timeout=10_000)
    saved = window.service.profile()
    assert (saved.urn, saved.la_code, saved.district, saved.phase) == ("123456", "885", "Redditch", "first")


def test_first_run_form_cancelled_enrolment_comes_back(qtbot, monkeypatch):
    from school_audit.ui.dialogs.profile_dialog import ProfileDialog

    window = start_window(qtbot, monkeypatch, real_service_factory([fixture_template()]))
    first = wait_for_dialog(qtbot, window, ProfileDialog)
    first.connect_button.click()
    enrol = wait_for_dialog(qtbot, window, EnrolmentDialog)
    enrol.reject()
    qtbot.waitUntil(lambda: isinstance(window.flows.dialog, ProfileDialog), timeout=10_000)
    assert window.flows.dialog.connect_button is not None and window.flows.dialog.urn.text() == ""


def test_an_unknown_phase_from_the_la_keeps_the_usual_default(qtbot):
    from school_audit.ui.dialogs.profile_dialog import ProfileDialog

    dialog = ProfileDialog(None, enrolled={"urn": "EY123456", "name": "Little Acorns",
                                           "setting_type": "early_years", "phase": "no_such"})  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.setting_type.currentData() == "early_years"
    assert dialog.phase.currentData() == "day_nursery" and dialog.urn.text() == "EY123456"
    assert dialog.name.text() == "Little Acorns" and dialog.la_code.text() == ""


@pytest.mark.parametrize("kind", ["accepted", "received", "returned", "letter"])
def test_each_notice_is_readable(kind):
    """WCAG 2.2 AA: the notice's text 4.5:1 on its background (its edge is decoration only)."""
    from school_audit.ui.widgets.home_notices import STYLES
    from tests.ui.test_contrast import contrast

    background, _edge, text = STYLES[kind]
    assert contrast(text, background) >= 4.5
