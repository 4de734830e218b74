"""Early-years providers and childminders are not small schools (issue 13 §4): the first-run form
asks each kind of setting only what matters to it, in its own words, and the sign-off and the
window's title follow."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from school_audit.domain.audit import SignOffRole as R
from school_audit.domain.setting import SettingType
from school_audit.domain.signatories import ROLE_LABELS, declaration_text, signatories_for
from school_audit.ui.dialogs.profile_dialog import ProfileDialog
from school_audit.ui.dialogs.sign_off_dialog import SignOffDialog, name_from_profile

SCHOOL_ONLY = ("has_sixth_form", "boarding", "uses_alternative_provision",
               "is_mat_or_federation", "is_maintained")  # fmt: skip


def form(qtbot, setting_type: SettingType, phase: str) -> ProfileDialog:
    dialog = ProfileDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.setting_type.setCurrentIndex(dialog.setting_type.findData(setting_type.value))
    dialog.phase.setCurrentIndex(dialog.phase.findData(phase))
    return dialog


def words_on(dialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisible())


def test_a_childminder_is_asked_whether_she_works_alone_not_about_sixth_forms(qtbot):
    dialog = form(qtbot, SettingType.EARLY_YEARS, "childminder")
    shown = {flag for flag, check in dialog.flags.items() if check.isVisible()}
    assert shown == {"works_alone"}
    assert "Head teacher" not in words_on(dialog) and "governor" not in words_on(dialog).lower()
    assert not dialog.head.isVisible() and not dialog.chair.isVisible()
    assert not dialog.add_deputy_button.isVisible()
    dialog.urn.setText("EY123456")
    dialog.name.setText("Little Acorns")
    dialog.dsl.name.setText("Jo Smith")
    dialog.flags["works_alone"].setChecked(True)
    profile = dialog.build_profile()
    assert profile.flags["works_alone"] and profile.is_childminder
    assert not any(profile.flags.get(flag) for flag in SCHOOL_ONLY)


def test_a_group_setting_names_its_manager_and_registered_person(qtbot):
    dialog = form(qtbot, SettingType.EARLY_YEARS, "day_nursery")
    words = words_on(dialog)
    assert "Manager" in words and "Registered person" in words and "Head teacher" not in words
    assert not any(dialog.flags[flag].isVisible() for flag in SCHOOL_ONLY)


def test_a_school_is_asked_everything_a_school_is_and_starts_at_primary(qtbot):
    dialog = form(qtbot, SettingType.SCHOOL, "primary")
    dialog.setting_type.setCurrentIndex(dialog.setting_type.findData("early_years"))
    dialog.setting_type.setCurrentIndex(dialog.setting_type.findData("school"))
    assert dialog.phase.currentData() == "primary"  # not "Nursery school"
    assert all(dialog.flags[flag].isVisible() for flag in SCHOOL_ONLY)
    assert "Head teacher" in words_on(dialog)


def test_a_ticked_school_flag_is_not_kept_for_a_nursery(qtbot):
    dialog = form(qtbot, SettingType.SCHOOL, "secondary")
    dialog.flags["boarding"].setChecked(True)
    dialog.setting_type.setCurrentIndex(dialog.setting_type.findData("early_years"))
    dialog.urn.setText("EY123456")
    dialog.name.setText("Little Acorns")
    assert dialog.build_profile().flags["boarding"] is False


def test_the_registered_person_from_the_profile_fills_the_sign_off(qtbot, school_profile):
    profile = school_profile.model_copy(deep=True)
    profile.setting_type, profile.phase = SettingType.EARLY_YEARS, "day_nursery"
    profile.flags = {}
    profile.head.name, profile.chair_of_governors.name = "Pat Lee", "Sunrise Nurseries Ltd"
    dialog = SignOffDialog(signatories_for(profile), ROLE_LABELS)
    qtbot.addWidget(dialog)
    titles = [row.title_text for row in dialog.rows]
    assert titles == ["Setting manager or Designated safeguarding lead", "Registered person",
                      "Designated safeguarding lead (optional)"]  # fmt: skip
    assert name_from_profile(profile, R.MANAGER) == "Pat Lee"  # offered when asking by email
    assert name_from_profile(profile, R.REGISTERED_PERSON) == "Sunrise Nurseries Ltd"


def test_a_childminder_signs_alone(qtbot, school_profile):
    profile = school_profile.model_copy(deep=True)
    profile.setting_type, profile.phase = SettingType.EARLY_YEARS, "childminder"
    profile.flags = {"childminder": True}
    dialog = SignOffDialog(signatories_for(profile), ROLE_LABELS)
    qtbot.addWidget(dialog)
    assert [row.title_text for row in dialog.rows] == ["Childminder"]


def test_the_i_agree_box_is_read_with_its_declaration(qtbot):
    from school_audit.services.sign_off_summary import SigningSummary
    from school_audit.ui.dialogs.sign_here_dialog import SignHereDialog

    for role in (R.DSL, R.HEAD_TEACHER, R.CHAIR_OF_GOVERNORS):
        dialog = SignHereDialog(ROLE_LABELS[role], declaration_text(role), SigningSummary())
        qtbot.addWidget(dialog)
        assert dialog.agree.accessibleDescription() == declaration_text(role)


def test_a_disabled_not_applicable_says_why_to_a_screen_reader(qtbot, mini_template):
    from school_audit.ui.widgets.answer_widgets import RatingAnswer

    statutory = next(s for s in mini_template.standards() if s.statutory and s.is_rated)
    widget = RatingAnswer(statutory)
    qtbot.addWidget(widget)
    na = widget._group.button(3)
    assert not na.isEnabled() and "Statutory" in na.accessibleDescription()
    assert widget.group_box.accessibleName() == "Rating"


def test_action_owners_are_the_settings_own_roles(qtbot):
    from school_audit.domain.audit import Action
    from school_audit.domain.setting_words import ACTION_OWNERS, SettingKind
    from school_audit.ui.widgets.action_editor import ActionList

    actions = ActionList()
    qtbot.addWidget(actions)
    actions.set_owners(ACTION_OWNERS[SettingKind.CHILDMINDER])
    actions.show_actions([Action(standard_id="EY1.1")])
    (editor,) = actions.editors()
    offered = [editor.owner.itemText(i) for i in range(editor.owner.count())]
    assert offered == ["Me", "Childminder", "My assistant"]
    actions.set_owners(ACTION_OWNERS[SettingKind.GROUP_EARLY_YEARS])
    actions.show_actions([editor.action])
    (editor,) = actions.editors()
    offered = [editor.owner.itemText(i) for i in range(editor.owner.count())]
    assert "Room leader" in offered and "Manager" in offered
    assert not any("governor" in o.lower() or "head teacher" in o.lower() for o in offered)


def test_a_past_due_date_on_an_action_is_queried_when_typed(qtbot):
    from datetime import date

    from school_audit.domain.audit import Action, ActionStatus
    from school_audit.ui.widgets.action_editor import ActionList

    actions = ActionList(today=lambda: date(2025, 11, 1))
    qtbot.addWidget(actions)
    actions.show()
    actions.show_actions([Action(standard_id="C4")])
    (editor,) = actions.editors()
    assert not editor.past_date.isVisible()
    editor.due.date_changed.emit(date(2024, 12, 1))  # a slip of the year
    assert editor.past_date.isVisible()
    assert editor.action.target_date == date(2024, 12, 1)  # kept: it is a question, not a block
    editor.due.date_changed.emit(date(2025, 12, 1))
    assert not editor.past_date.isVisible()
    editor.due.date_changed.emit(date(2025, 1, 1))
    editor.status.setCurrentIndex(editor.status.findData(ActionStatus.COMPLETE.value))
    editor.status.activated.emit(editor.status.currentIndex())
    assert not editor.past_date.isVisible()  # a finished action may have a past date
