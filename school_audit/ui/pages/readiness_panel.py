"""Readiness: every problem that stops sign-off (and every warning), grouped by what it does and
by section, each one click away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from school_audit.domain.readiness import describe
from school_audit.i18n import tr

StandardIdRole = Qt.ItemDataRole.UserRole + 1
HeadingRole = Qt.ItemDataRole.UserRole + 2


class ReadinessPanel(QWidget):
    standard_chosen = Signal(str)

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        self.summary = QLabel()
        self.summary.setObjectName("readinessSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Problems to fix before signing"))
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        self.list.itemActivated.connect(self._chosen)
        self.list.itemClicked.connect(self._chosen)
        session.problems_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        problems = self.session.problems
        blocking = [p for p in problems if p.blocking]
        warnings = [p for p in problems if not p.blocking]
        self.summary.setProperty("ready", not blocking)
        if blocking:
            self.summary.setText(
                tr(
                    "{n} things to fix before this audit can be signed. Click one to go to it.",
                    n=len(blocking),
                )
            )
        else:
            self.summary.setText(tr("✓ Ready to sign: nothing blocks sign-off."))
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.list.clear()
        self._add_group(tr("Blocks signing ({n})", n=len(blocking)), blocking)
        self._add_group(tr("Worth a look ({n})", n=len(warnings)), warnings)

    def _add_group(self, title: str, problems: list) -> None:
        """One group ("blocks signing" or "worth a look") with its problems under their
        sections' titles, in template order. Titles are not items to choose: the keyboard and
        a click skip them."""
        if not problems:
            return
        self._add_heading(title, bold=True)
        section_id = None
        for problem in problems:
            standard = self.session.standard(problem.standard_id)
            section = self._section_of(problem.standard_id)
            if section is not None and section.id != section_id:
                section_id = section.id
                self._add_heading(f"{section.id} · {section.title}", bold=False)
            text = f"{problem.standard_id} · {describe(problem, tr)}\n{standard.text}"
            item = QListWidgetItem(text)
            item.setData(StandardIdRole, problem.standard_id)
            item.setToolTip(standard.text)
            self.list.addItem(item)

    def _add_heading(self, text: str, bold: bool) -> None:
        item = QListWidgetItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        font = item.font()
        font.setBold(True)
        if bold:
            font.setPointSizeF(font.pointSizeF() * 1.1)
        item.setFont(font)
        item.setData(HeadingRole, True)
        self.list.addItem(item)

    def _section_of(self, standard_id: str):
        try:
            return self.session.template.section_of(standard_id)
        except KeyError:  # a local question outside the template's sections
            return None

    def problem_items(self) -> list[QListWidgetItem]:
        """The items that lead to a standard (not the group and section titles)."""
        items = (self.list.item(row) for row in range(self.list.count()))
        return [item for item in items if not item.data(HeadingRole)]

    def _chosen(self, item: QListWidgetItem) -> None:
        if item.data(StandardIdRole):
            self.standard_chosen.emit(item.data(StandardIdRole))
