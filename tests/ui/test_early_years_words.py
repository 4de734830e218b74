"""An early-years setting never reads school words (issue 13 §4): no "pupils", "governors" or
"head teacher" anywhere the app shows a nursery or a childminder its audit."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenu, QTabWidget

from school_audit.domain.audit import Action, Rating, Response
from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.setting import SettingType
from tests.ui.helpers import open_audit_window, prepared_service

SCHOOL_WORDS = re.compile(r"\b(pupils?|governors?|governing body|head ?teachers?|school safeguarding audit)\b", re.I)


def _words(window) -> list[str]:
    texts = [window.windowTitle()]
    for menu in window.menuBar().findChildren(QMenu):
        texts += [menu.title()] + [a.text() for a in menu.actions()] + [a.toolTip() for a in menu.actions()]
    for widget in window.findChildren(QLabel) + window.findChildren(QAbstractButton):
        if widget.isVisibleTo(window):
            texts += [widget.text(), widget.toolTip(), widget.accessibleName()]
    for box in window.findChildren(QGroupBox):
        if box.isVisibleTo(window):
            texts += [box.title(), box.accessibleName()]
    for tabs in window.findChildren(QTabWidget):
        texts += [tabs.tabText(i) for i in range(tabs.count())]
    return [t for t in texts if t]


@pytest.mark.parametrize("phase", ["day_nursery", "childminder"])
def test_an_early_years_audit_shows_no_school_words(qtbot, monkeypatch, phase):
    profile = EstablishmentProfile(
        urn="EY123456", name="Little Acorns", setting_type=SettingType.EARLY_YEARS, phase=phase,
        la_code="885", district="Redditch", flags={},
    )  # fmt: skip
    service = prepared_service(profile, [])
    template = next(t for t in service.catalogue.templates(SettingType.EARLY_YEARS))
    audit = service.start_audit(template)
    first = template.standards()[0].id
    service.save_response(audit.audit_id, Response(standard_id=first, rating=Rating.NOT_MET))
    service.save_action(audit.audit_id, Action(standard_id=first))
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [])
    found: dict[str, str] = {}
    for standard in template.standards():
        window.audit_page.go_to(standard.id)
        found |= {m.group(0): text for text in _words(window) if (m := SCHOOL_WORDS.search(text))}
    window.audit_page.show_plan()
    found |= {m.group(0): text for text in _words(window) if (m := SCHOOL_WORDS.search(text))}
    window.audit_page.show_readiness()
    found |= {m.group(0): text for text in _words(window) if (m := SCHOOL_WORDS.search(text))}
    window.show_home() if hasattr(window, "show_home") else None
    found |= {m.group(0): text for text in _words(window) if (m := SCHOOL_WORDS.search(text))}
    assert found == {}


@pytest.mark.parametrize("phase", ["day_nursery", "childminder"])
def test_an_early_years_pdf_has_no_school_words(tmp_path, phase):
    import subprocess
    from datetime import date

    from school_audit.content import builtin_template
    from school_audit.domain.audit import Audit
    from school_audit.reports.governors_report import build_governors_report

    profile = EstablishmentProfile(
        urn="EY123456", name="Little Acorns", setting_type=SettingType.EARLY_YEARS, phase=phase,
        la_code="885", district="Redditch", flags={},
    )  # fmt: skip
    template = builtin_template("early-years-eyfs", "2025-26.2")
    audit = Audit.start(template, profile)
    path = tmp_path / "report.pdf"
    build_governors_report(audit, template, path, today=date(2025, 11, 1))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert SCHOOL_WORDS.findall(text) == []
