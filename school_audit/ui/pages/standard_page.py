"""One standard, generated from the template: text, guidance, answer, evidence, dates, actions.

A thin view: it shows the session's state and turns edits into session calls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from school_audit.domain.audit import Rating
from school_audit.domain.readiness import describe
from school_audit.domain.references import reference_text
from school_audit.domain.setting_words import ACTION_OWNERS, kind_of
from school_audit.domain.template import EvidenceRule, Standard
from school_audit.i18n import N_, LazyMap, tr
from school_audit.ui.pages.standard_parts import PreviousAnswerCard, card, heading, wrapped
from school_audit.ui.widgets.action_editor import ActionList
from school_audit.ui.widgets.answer_widgets import AnswerWidget, create_answer_widget
from school_audit.ui.widgets.date_field import DateField
from school_audit.ui.widgets.privacy_hint import PrivacyHint

EVIDENCE_LABELS = LazyMap(
    {
        EvidenceRule.REQUIRED: N_("Evidence (needed whatever the rating)"),
        EvidenceRule.REQUIRED_WHEN_MET: N_("Evidence (needed when met)"),
        EvidenceRule.OPTIONAL: N_("Evidence (optional)"),
    }
)


class StandardPage(QScrollArea):
    step_requested = Signal(int)  # -1 previous, +1 next

    def __init__(self, session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.standard: Standard | None = None
        self.answer: AnswerWidget | None = None
        self._date_fields: dict[str, DateField] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._build()
        self._connect()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget()
        body.setObjectName("standardBody")
        self.setWidget(body)
        column = QVBoxLayout(body)
        column.setContentsMargins(32, 24, 32, 24)
        column.setSpacing(14)
        self.crumb = QLabel()
        self.crumb.setObjectName("crumb")
        self.crumb.setWordWrap(True)  # a long section's name never widens the page
        self.title = QLabel()
        self.title.setObjectName("standardTitle")
        self.badge = QLabel(tr("Statutory"))
        self.badge.setObjectName("statutoryBadge")
        self.text = wrapped("", "standardText")
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title)
        title_row.addWidget(self.badge)
        title_row.addStretch(1)
        column.addWidget(self.crumb)
        column.addLayout(title_row)
        column.addWidget(self.text)
        column.addWidget(self._build_afresh())
        self.la_comment = wrapped("", "laCommentText")
        self.la_card = card("afreshCard", [self.la_comment])
        column.addWidget(self.la_card)
        self.guidance = wrapped("", "guidance")
        self.reference = wrapped("", "reference")
        self.guidance_card = card("guidanceCard", [self.guidance, self.reference])
        column.addWidget(self.guidance_card)
        self.previous = PreviousAnswerCard()
        column.addWidget(self.previous)
        column.addWidget(heading(tr("Your answer")))
        self.answer_slot = QVBoxLayout()
        column.addLayout(self.answer_slot)
        column.addLayout(self._build_fields())
        self.problems = wrapped("", "problems")
        column.addWidget(self.problems)
        column.addLayout(self._build_actions())
        column.addStretch(1)
        # Previous/Next sit below the scrolling part (the audit page places `steps`), so they are
        # on screen whatever the standard's length or the screen's size.
        self.steps = QWidget()
        self.steps.setObjectName("standardSteps")
        self.steps.setLayout(self._build_steps())

    def _build_afresh(self) -> QFrame:
        self.afresh_text = wrapped("", "afreshText")
        self.confirm_afresh = QPushButton(tr("Confirm the answer"))
        self.confirm_afresh.setAccessibleName(tr("Confirm this answer is right for this year"))
        self.afresh = card("afreshCard", [self.afresh_text, self.confirm_afresh])
        return self.afresh

    def _build_fields(self) -> QFormLayout:
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(6)
        self.na_reason = QLineEdit()
        self.na_reason.setAccessibleName(tr("Why this standard does not apply"))
        self.na_label = QLabel(tr("Why does this standard not apply?"))
        form.addRow(self.na_label, self.na_reason)
        self.evidence = QPlainTextEdit()
        self.evidence.setTabChangesFocus(True)
        self.evidence.setMinimumHeight(100)
        self.evidence.setMaximumHeight(170)
        self.evidence.setPlaceholderText(
            tr("Where the evidence is: documents, dates, records. No names of children.")
        )
        self.evidence_label = QLabel()
        self.evidence_privacy = PrivacyHint()
        form.addRow(self.evidence_label, self.evidence)
        form.addRow(self.evidence_privacy)
        self.dates_form = QFormLayout()
        self.dates_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self.dates_form)
        return form

    def _build_actions(self) -> QVBoxLayout:
        box = QVBoxLayout()
        box.addWidget(heading(tr("Actions")))
        self.action_list = ActionList(today=self.session.today)
        self.add_action = QPushButton(tr("Add action"))
        self.add_action.setAccessibleName(tr("Add an action for this standard"))
        box.addWidget(self.action_list)
        row = QHBoxLayout()
        row.addWidget(self.add_action)
        row.addStretch(1)
        box.addLayout(row)
        return box

    def _build_steps(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setContentsMargins(32, 8, 32, 8)
        self.previous_button = QPushButton(tr("← Previous standard"))
        self.previous_button.setToolTip(tr("Alt+Left"))
        self.next_button = QPushButton(tr("Next standard →"))
        self.next_button.setObjectName("primary")
        self.next_button.setToolTip(tr("Alt+Right"))
        self.position = QLabel()
        row.addWidget(self.previous_button)
        row.addStretch(1)
        row.addWidget(self.position)
        row.addStretch(1)
        row.addWidget(self.next_button)
        return row

    def _connect(self) -> None:
        self.evidence.textChanged.connect(self._evidence_typed)
        self.na_reason.textEdited.connect(lambda text: self._change({"na_reason": text}, True))
        self.confirm_afresh.clicked.connect(self._confirm_afresh)
        self.add_action.clicked.connect(self._add_action)
        self.action_list.edited.connect(
            lambda action, typed: self.session.update_action(action, typed=typed)
        )
        self.action_list.remove_requested.connect(self.session.remove_action)
        self.previous_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        self.session.response_changed.connect(self._response_changed)
        self.session.actions_changed.connect(self._show_actions)
        self.session.problems_changed.connect(self._show_problems)
        for number in range(1, 5):
            shortcut = QShortcut(QKeySequence(str(number)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=number: self._number_pressed(n))

    # -- showing -------------------------------------------------------------------------------

    def show_standard(self, standard_id: str, position: int, total: int) -> None:
        standard = self.session.standard(standard_id)
        self.standard = standard
        section = self.session.template.section_of(standard_id)
        self.crumb.setText(f"{section.title}")
        self.title.setText(tr("Standard {id}", id=standard.id))
        self.badge.setVisible(standard.statutory)
        self.text.setText(standard.text)
        self.setAccessibleName(f"{standard.id}: {standard.text}")
        self._show_guidance(standard)
        comment = self.session.la_comment(standard_id)
        self.la_comment.setText(tr("The local authority commented: {comment}", comment=comment))
        self.la_card.setVisible(bool(comment))
        self._replace_answer_widget(standard)
        self._build_dates(standard)
        rated = standard.is_rated
        self.evidence.setVisible(rated)
        self.evidence_label.setVisible(rated)
        self.evidence_label.setText(EVIDENCE_LABELS[standard.evidence_rule])
        self.evidence.setAccessibleName(EVIDENCE_LABELS[standard.evidence_rule])
        self.position.setText(tr("{position} of {total}", position=position, total=total))
        self.previous.show_previous(self.session.audit.previous_responses.get(standard_id))
        self._response_changed(standard_id)
        self._show_actions()
        self._show_problems()
        self.verticalScrollBar().setValue(0)

    def _show_guidance(self, standard: Standard) -> None:
        guidance = standard.guidance
        if standard.childminder_note and self.session.audit.profile.is_childminder:
            guidance = f"{guidance}\n\n{tr('For childminders:')} {standard.childminder_note}"
        self.guidance.setText(guidance or tr("No extra guidance for this standard."))
        self.reference.setText(tr("Reference: {ref}", ref=reference_text(standard) or tr("local")))

    def _replace_answer_widget(self, standard: Standard) -> None:
        if self.answer is not None:
            self.answer.setParent(None)
            self.answer.deleteLater()
        self.answer = create_answer_widget(standard)
        self.answer.setEnabled(not self.session.read_only)
        self.answer.answer_changed.connect(self._change)
        self.answer_slot.addWidget(self.answer)
        self.answer.setVisible(True)  # at once, so the page is laid out with it

    def _build_dates(self, standard: Standard) -> None:
        while self.dates_form.rowCount():
            self.dates_form.removeRow(0)
        self._date_fields = {}
        for field in standard.dates:
            date_field = DateField(field.label)
            date_field.date_changed.connect(lambda day, key=field.key: self._date_changed(key, day))
            date_field.setEnabled(not self.session.read_only)
            label = QLabel(field.label)
            self.dates_form.addRow(label, date_field)
            label.setVisible(True)
            date_field.setVisible(True)
            self._date_fields[field.key] = date_field

    def _response_changed(self, standard_id: str) -> None:
        if self.standard is None or standard_id != self.standard.id:
            return
        response = self.session.response(standard_id)
        self.answer.show_response(response)
        if self.evidence.toPlainText() != response.evidence:
            self.evidence.blockSignals(True)
            self.evidence.setPlainText(response.evidence)
            self.evidence.blockSignals(False)
            self.evidence_privacy.text_changed(response.evidence)
            self.evidence_privacy.check_now()  # warnings follow the text shown, not the last typed
        if self.na_reason.text() != response.na_reason:
            self.na_reason.setText(response.na_reason)
        show_na = response.rating is Rating.NOT_APPLICABLE
        self.na_reason.setVisible(show_na)
        self.na_label.setVisible(show_na)
        for key, date_field in self._date_fields.items():
            date_field.set_date(response.dates.get(key))
        read_only = self.session.read_only
        for widget in (self.evidence, self.na_reason):
            widget.setReadOnly(read_only)

    def _show_actions(self) -> None:
        if self.standard is None:
            return
        actions = self.session.audit.actions_for(self.standard.id)
        profile = self.session.audit.profile
        self.action_list.set_owners(ACTION_OWNERS[kind_of(profile.setting_type, profile.phase)])
        self.action_list.show_actions(actions, read_only=self.session.read_only)
        self.add_action.setEnabled(not self.session.read_only)
        # New editors change the page's height: lay it out now so the scroll area grows.
        self.widget().layout().activate()
        self.widget().adjustSize()

    def _show_problems(self) -> None:
        if self.standard is None:
            return
        reason = self.session.audit.answer_afresh.get(self.standard.id)
        self.afresh.setVisible(reason is not None)
        if reason is not None:
            self.afresh_text.setText(tr("Changed since last year: {reason}", reason=reason))
        problems = [
            p for p in self.session.problems_for(self.standard.id) if p.code != "answer_afresh"
        ]
        lines = [f"• {describe(problem, tr)}" for problem in problems]
        self.problems.setText("\n".join([tr("Before signing:"), *lines]) if lines else "")
        self.problems.setVisible(bool(lines))

    # -- intents -------------------------------------------------------------------------------

    def _number_pressed(self, number: int) -> None:
        """1-4 rate only with focus in the answer or on the page itself: a digit typed with
        focus on another button (Add action, Next) must not rate the standard."""
        focus = QApplication.focusWidget()
        in_answer = self.answer is not None and (
            focus is self.answer or self.answer.isAncestorOf(focus)
        )
        if in_answer or focus in (self, self.widget(), self.viewport()):
            self.choose(number)

    def choose(self, number: int) -> None:
        if self.answer is not None and not self.session.read_only:
            self.answer.choose_by_number(number)

    def _change(self, fields: dict, typed: bool) -> None:
        if self.standard is None or self.session.read_only:
            return
        # The fields come from this page's own widgets, already typed: no checking needed (and
        # none of pydantic's start-up cost on the first click).
        changed = self.session.response(self.standard.id).model_copy(update=fields)
        self.session.set_response(changed, typed=typed)

    def _evidence_typed(self) -> None:
        text = self.evidence.toPlainText()
        self.evidence_privacy.text_changed(text)
        self._change({"evidence": text}, True)

    def _date_changed(self, key: str, day) -> None:
        if self.standard is None:
            return
        dates = dict(self.session.response(self.standard.id).dates)
        if day is None:
            dates.pop(key, None)
        else:
            dates[key] = day
        self._change({"dates": dates}, False)

    def _add_action(self) -> None:
        if self.standard is None:
            return
        self.session.add_action(self.standard.id)
        editors = self.action_list.editors()
        if editors:
            editors[-1].description.setFocus()

    def _confirm_afresh(self) -> None:
        if self.standard is not None:
            self.session.confirm_afresh(self.standard.id)
