"""About: the version, and where the data and the log file are kept."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from school_audit import __version__, paths
from school_audit.i18n import tr


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("About School Safeguarding Audit"))
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        title = QLabel(tr("School Safeguarding Audit"))
        title.setObjectName("pageTitle")
        self.version = QLabel(tr("Version {version}", version=__version__))
        text = QLabel(
            tr(
                "The annual safeguarding self-audit for schools and early-years settings. "
                "Your answers are kept on this computer and saved as you type."
            )
        )
        text.setWordWrap(True)
        where = QLabel(
            tr(
                "Data folder: {data}\nLog folder: {logs}",
                data=str(paths.data_dir()),
                logs=str(paths.log_dir()),
            )
        )
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setObjectName("subtle")
        where.setWordWrap(True)
        for widget in (title, self.version, text, where):
            layout.addWidget(widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(520, 260)
