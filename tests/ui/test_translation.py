"""Translation works: a catalogue installed at start-up reaches every word the app shows.

Proved with a test locale that wraps each translated text in ⟪ ⟫. Before text was translated
when shown, tables of words (column headers, states, filters) were translated when their modules
were imported, before any catalogue could be installed, and stayed in English here."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from school_audit import i18n
from school_audit.domain.audit import Action, Rating, Response
from school_audit.domain.readiness import ProblemCode, ReadinessProblem, describe
from tests.ui.helpers import fixture_template, open_audit_window, prepared_service

PACKAGE = Path(__file__).resolve().parents[2] / "school_audit"


def pseudo(text: str) -> str:
    return f"⟪{text}⟫"


@pytest.fixture
def test_locale():
    i18n.install(pseudo)
    yield
    i18n.install(lambda text: text)


def _module_level_tr_calls(path: Path) -> list[int]:
    found: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if (
                not inside
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id == "tr"
            ):
                found.append(child.lineno)
            visit(child, inside)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_no_text_is_translated_when_a_module_is_imported():
    calls = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := _module_level_tr_calls(path))
    }
    assert calls == {}, "use N_ with LazyMap/LazyList, or tr() where the text is shown"


def test_messages_are_translated_before_they_are_filled_in(test_locale):
    problem = ReadinessProblem(ProblemCode.PRIVACY, "A1", field="Evidence", detail="x")
    text = describe(problem, i18n.tr)
    assert text.startswith("⟪") and text.endswith("⟫")
    assert "Evidence" in text and "{field}" not in text


def _shown_words(window) -> dict[str, str]:
    """The app's own words on screen: menus, buttons, tab and column titles, window title."""
    words = {"window title": window.windowTitle()}
    for menu in window.menuBar().findChildren(QMenu):
        if menu.title():
            words[f"menu {menu.title()}"] = menu.title()
        for action in menu.actions():
            if action.text() and not action.isSeparator() and action.menu() is None:
                words[f"menu item {action.text()}"] = action.text()
    for button in window.findChildren(QAbstractButton):
        if button.isVisibleTo(window) and button.text().strip() and not button.text().strip().isdigit():
            words[f"button {button.objectName()} {button.text()}"] = button.text()
    page = window.audit_page
    for index in range(page.tabs.count()) if hasattr(page, "tabs") else ():
        words[f"tab {index}"] = page.tabs.tabText(index)
    return words


def test_a_catalogue_installed_at_start_up_reaches_menus_buttons_tables_and_titles(
    qtbot, monkeypatch, school_profile, test_locale
):
    template = fixture_template()
    service = prepared_service(school_profile, [template])
    audit = service.start_audit(template)
    service.save_response(audit.audit_id, Response(standard_id="C4", rating=Rating.NOT_MET))
    service.save_action(audit.audit_id, Action(standard_id="C4", target_date=date(2026, 1, 1)))
    window = open_audit_window(qtbot, monkeypatch, audit.audit_id, [template])
    window.audit_page.go_to("C4")
    untranslated = {where: text for where, text in _shown_words(window).items() if "⟪" not in text}
    assert untranslated == {}

    window.audit_page.show_plan()
    model = window.audit_page.plan_page.table.model()
    headers = [model.headerData(c, Qt_Horizontal(), Qt_Display()) for c in range(model.columnCount())]
    assert headers and all(h.startswith("⟪") for h in headers), headers
    home_model = window.home.table.model()
    home_headers = [home_model.headerData(c, Qt_Horizontal(), Qt_Display()) for c in range(home_model.columnCount())]
    assert home_headers and all(h.startswith("⟪") for h in home_headers), home_headers
    states = {home_model.index(r, 2).data() for r in range(home_model.rowCount())}
    assert states and all(s.startswith("⟪") for s in states), states
    labels = [label.text() for label in window.findChildren(QLabel) if label.isVisibleTo(window)]
    assert any("⟪" in text for text in labels)


def Qt_Horizontal():  # noqa: N802
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def Qt_Display():  # noqa: N802
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.DisplayRole
