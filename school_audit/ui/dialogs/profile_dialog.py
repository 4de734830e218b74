"""The establishment profile: who the setting is, which decides what it must answer.

Shown on first run and from the home page. The dialog only collects and validates (through the
domain's own model); the window saves it through the service.
"""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.setting import PROFILE_FLAGS, SettingType, phases_for
from school_audit.domain.setting_words import (
    DEPUTIES_ASKED,
    FLAGS_ASKED,
    PEOPLE,
    SettingKind,
    kind_of,
)
from school_audit.i18n import N_, LazyMap, tr
from school_audit.ui.dialogs.person_row import PersonRow
from school_audit.ui.screen_fit import fit_to_screen
from school_audit.ui.widgets.drop_down import DropDown

SETTING_LABELS = LazyMap({SettingType.SCHOOL: N_("School"), SettingType.EARLY_YEARS: N_("Early years")})
FIELD_NAMES = LazyMap({"urn": N_("URN"), "name": N_("Name"), "phase": N_("Phase")})
MAX_DEPUTIES = 4
DEFAULT_PHASE = {SettingType.SCHOOL: "primary", SettingType.EARLY_YEARS: "day_nursery"}


class ProfileDialog(QDialog):
    connect_requested = Signal()  # first run: "Connect to your local authority first…"

    def __init__(
        self,
        profile: EstablishmentProfile | None,
        parent: QWidget | None = None,
        *,
        enrolled: dict | None = None,
        offer_connect: bool = False,
    ):
        """`enrolled`: the establishment the LA's enrolment answer named (first run after
        enrolling): its URN, name, type, phase, LA code and district fill the form.
        `offer_connect`: first run, not enrolled yet: offer to connect first."""
        super().__init__(parent)
        self.setWindowTitle(tr("Establishment profile") if profile else tr("Welcome: set up"))
        self.result_profile: EstablishmentProfile | None = None
        self._deputies: list[PersonRow] = []
        outer = QVBoxLayout(self)
        intro = QLabel(
            tr(
                "Tell us about your setting. This decides which standards apply to you. "
                "You can change it later."
            )
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.enrolled_note = QLabel()
        self.enrolled_note.setObjectName("subtle")
        self.enrolled_note.setWordWrap(True)
        self.enrolled_note.hide()
        outer.addWidget(self.enrolled_note)
        self.connect_button: QPushButton | None = None
        if offer_connect and profile is None:
            self.connect_button = QPushButton(
                tr("Have a code from your local authority? Connect first…")
            )
            self.connect_button.setToolTip(tr(
                "Your setting's URN, name, local authority code and district then come from the "
                "local authority's records, so you do not type them."
            ))  # fmt: skip
            self.connect_button.clicked.connect(self._connect_first)
            row = QHBoxLayout()  # as wide as its words, on the left
            row.addWidget(self.connect_button)
            row.addStretch(1)
            outer.addLayout(row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self._column = QVBoxLayout(body)
        self._column.addWidget(self._build_establishment())
        self._column.addWidget(self._build_flags())
        self._column.addWidget(self._build_people())
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.hide()
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        if profile is not None:
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        fit_to_screen(self, QSize(720, 760))  # Save stays on a 1366×768 screen
        self._fill_phases()
        if profile is not None:
            self._fill(profile)
        elif enrolled:
            self._fill_enrolled(enrolled)
        # Typing goes somewhere from the first key: the first field still to fill.
        (self.urn if not self.urn.isReadOnly() else self.dsl.name).setFocus()

    def _build_establishment(self) -> QGroupBox:
        box = QGroupBox(tr("Your setting"))
        form = QFormLayout(box)
        self.urn = QLineEdit()
        self.urn.setPlaceholderText(tr("6 or 7 digits; EY and digits for early years"))
        self.name = QLineEdit()
        self.setting_type = DropDown()
        for setting, label in SETTING_LABELS.items():
            self.setting_type.addItem(label, setting.value)
        self.phase = DropDown()
        self.la_code = QLineEdit()
        self.district = QLineEdit()
        for label, widget in (
            (tr("URN"), self.urn),
            (tr("Name"), self.name),
            (tr("Type of setting"), self.setting_type),
            (tr("Phase or kind of provider"), self.phase),
            (tr("Local authority code (optional)"), self.la_code),
            (tr("District (optional)"), self.district),
        ):
            widget.setAccessibleName(label)
            form.addRow(label, widget)
        self.setting_type.currentIndexChanged.connect(self._fill_phases)
        self.phase.currentIndexChanged.connect(lambda *_: self._follow_kind())
        return box

    def _build_flags(self) -> QGroupBox:
        box = QGroupBox(tr("What your setting has"))
        column = QVBoxLayout(box)
        self.flags: dict[str, QCheckBox] = {}
        for flag, label in PROFILE_FLAGS.items():
            if flag == "childminder":  # follows from the kind of provider
                continue
            check = QCheckBox(tr(label))
            check.setAccessibleName(label)
            self.flags[flag] = check
            column.addWidget(check)
        return box

    def _build_people(self) -> QGroupBox:
        box = QGroupBox(tr("People (adults only)"))
        self._people = QVBoxLayout(box)
        self.dsl = PersonRow(tr("Designated safeguarding lead"))
        self.head = PersonRow(tr("Head teacher or manager"), with_dates=False)
        self.chair = PersonRow(tr("Chair of governors or registered person"), with_dates=False)
        self.governor = PersonRow(tr("Safeguarding governor"), with_dates=False)
        for row in (self.dsl, self.head, self.chair, self.governor):
            self._people.addWidget(row)
        self.add_deputy_button = QPushButton(tr("Add a deputy DSL"))
        self.add_deputy_button.clicked.connect(lambda: self.add_deputy())
        self._people.addWidget(self.add_deputy_button)
        return box

    def add_deputy(self) -> PersonRow:
        row = PersonRow(tr("Deputy DSL {n}", n=len(self._deputies) + 1))
        self._deputies.append(row)
        self._people.insertWidget(self._people.indexOf(self.add_deputy_button), row)
        self.add_deputy_button.setEnabled(len(self._deputies) < MAX_DEPUTIES)
        return row

    def _fill_phases(self, *_) -> None:
        self.phase.blockSignals(True)
        self.phase.clear()
        for key, label in phases_for(SettingType(self.setting_type.currentData())).items():
            self.phase.addItem(tr(label), key)
        # Most schools are primary and most early-years settings day nurseries: not the first
        # item of the list ("Nursery school", "Childminder").
        self.phase.setCurrentIndex(max(self.phase.findData(DEFAULT_PHASE[self._setting_type()]), 0))
        self.phase.blockSignals(False)
        self._follow_kind()

    def _setting_type(self) -> SettingType:
        return SettingType(self.setting_type.currentData())

    def kind(self) -> SettingKind:
        return kind_of(self._setting_type(), self.phase.currentData() or "")

    def _follow_kind(self) -> None:
        """Ask only what matters for this kind of setting, in its own words."""
        kind = self.kind()
        for flag, check in self.flags.items():
            check.setVisible(flag in FLAGS_ASKED[kind])
        for field, row in self._person_rows().items():
            label = PEOPLE[kind][field]
            row.setVisible(label is not None)
            if label is not None:
                row.set_role(tr(label))
        self.add_deputy_button.setVisible(DEPUTIES_ASKED[kind])
        for row in self._deputies:
            row.setVisible(DEPUTIES_ASKED[kind])

    def _person_rows(self) -> dict[str, PersonRow]:
        return {"dsl": self.dsl, "head": self.head, "chair_of_governors": self.chair,
                "safeguarding_governor": self.governor}  # fmt: skip

    def _asked_person(self, field: str):  # type: ignore[no-untyped-def]
        """The person typed in the row, or nobody when this kind of setting is not asked."""
        from school_audit.domain.profile import Person

        row = self._person_rows()[field]
        return row.person() if PEOPLE[self.kind()][field] is not None else Person(role=row.role)

    def _fill(self, profile: EstablishmentProfile) -> None:
        self.urn.setText(profile.urn)
        self.name.setText(profile.name)
        self.setting_type.setCurrentIndex(self.setting_type.findData(profile.setting_type.value))
        self.phase.setCurrentIndex(max(self.phase.findData(profile.phase), 0))
        self.la_code.setText(profile.la_code)
        self.district.setText(profile.district)
        for flag, check in self.flags.items():
            check.setChecked(profile.flags.get(flag, False))
        self.dsl.set_person(profile.dsl)
        self.head.set_person(profile.head)
        self.chair.set_person(profile.chair_of_governors)
        self.governor.set_person(profile.safeguarding_governor)
        for deputy in profile.deputies:
            self.add_deputy().set_person(deputy)
        self._follow_kind()

    def _fill_enrolled(self, found: dict) -> None:
        """What the LA's records say about this setting, from the enrolment answer. The URN is
        the one this computer is enrolled for, so it is not typed (nor changed) here."""
        setting = self.setting_type.findData(str(found.get("setting_type") or ""))
        if setting >= 0:
            self.setting_type.setCurrentIndex(setting)  # refills the phases
        phase = self.phase.findData(str(found.get("phase") or ""))
        if phase >= 0:  # a phase this app does not know keeps the usual default
            self.phase.setCurrentIndex(phase)
        self.urn.setText(str(found.get("urn") or ""))
        self.urn.setReadOnly(bool(self.urn.text()))
        self.name.setText(str(found.get("name") or ""))
        self.la_code.setText(str(found.get("la_code") or ""))
        self.district.setText(str(found.get("district") or ""))
        self.enrolled_note.setText(tr(
            "Your URN, name, local authority code and district come from your local "
            "authority's records (this computer is connected to it). Check the rest, and add "
            "the people."
        ))  # fmt: skip
        self.enrolled_note.show()
        self._follow_kind()

    def _connect_first(self) -> None:
        self.reject()  # closed first: the enrolment dialog opens in its place
        self.connect_requested.emit()

    def build_profile(self) -> EstablishmentProfile:
        """The profile as typed; raises pydantic's ValidationError when a field is wrong."""
        return EstablishmentProfile.model_validate(dict(
            urn=self.urn.text().strip().upper(),
            name=self.name.text(),
            setting_type=SettingType(self.setting_type.currentData()),
            phase=self.phase.currentData(),
            la_code=self.la_code.text(),
            district=self.district.text(),
            flags={flag: check.isChecked() and flag in FLAGS_ASKED[self.kind()]
                   for flag, check in self.flags.items()},  # fmt: skip
            dsl=self.dsl.person(),
            deputies=[row.person() for row in self._deputies
                      if row.name.text().strip() and DEPUTIES_ASKED[self.kind()]],  # fmt: skip
            head=self._asked_person("head"),
            chair_of_governors=self._asked_person("chair_of_governors"),
            safeguarding_governor=self._asked_person("safeguarding_governor"),
        ))

    def _save(self) -> None:
        try:
            self.result_profile = self.build_profile()
        except ValidationError as error:
            self.error.setText(plain_errors(error))
            self.error.show()
            return
        self.accept()


def plain_errors(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        if field == "urn":
            lines.append(tr("URN: enter the 6 or 7 digit number (EY and digits for early years)."))
        elif field == "name":
            lines.append(tr("Name: enter the name of your setting."))
        else:
            lines.append(f"{FIELD_NAMES.get(field, field)}: {problem['msg']}")
    return "\n".join(dict.fromkeys(lines))
