"""XLSForm workbooks, made with openpyxl as ODK and KoBo users lay them out, read as templates."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from school_audit.collector.template_xlsx import TemplateWorkbookError
from school_audit.collector.xlsform import import_xlsform, looks_like_xlsform
from school_audit.domain.template import AnswerKind

SURVEY = [
    ["type", "name", "label", "hint", "required", "statutory", "reference"],
    ["begin group", "A", "Leadership", "How the school is led", None, None, None],
    [
        "select_one rating",
        "A1",
        "The board has a safeguarding link governor.",
        "Minutes naming them.",
        "yes",
        "no",
        "KCSIE 2025 Part two",
    ],
    [
        "select_one rating",
        "A2",
        "Our DSL is a senior member of staff.",
        None,
        "yes",
        "yes",
        "KCSIE 2025 Annex C",
    ],
    ["end group", None, None, None, None, None, None],
    ["begin_group", "LOC", "Local questions", None, None, None, None],
    ["select_one yes_no", "LOC1", "Do staff know the local front door?", None, None, None, None],
    [
        "select_one confidence",
        "LOC2",
        "How confident are staff with thresholds?",
        "The DSL's view.",
        None,
        None,
        None,
    ],
    ["integer", "LOC3", "How many staff went to the DSL network?", None, None, None, None],
    ["text", "LOC4", "What support would you like?", None, None, None, None],
    ["end_group", None, None, None, None, None, None],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["rating", "met", "Met"], ["rating", "partially_met", "Partially met"],
    ["rating", "not_met", "Not met"], ["rating", "not_applicable", "Not applicable"],
    ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"],
    ["confidence", "high", "Very confident"], ["confidence", "mid", "Somewhat"],
    ["confidence", "low", "Not yet"],
]  # fmt: skip
SETTINGS = [
    ["form_title", "form_id", "version", "setting_type", "cycle", "edition"],
    ["Our county audit", "our-county", "2025-26.1", "school", "2025-26", "KCSIE 2025"],
]


def workbook(survey=SURVEY, choices=CHOICES, settings=SETTINGS) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def problems(data: bytes) -> list[str]:
    with pytest.raises(TemplateWorkbookError) as caught:
        import_xlsform(data)
    return [str(p) for p in caught.value.problems]


def test_an_xlsform_converts_groups_questions_hints_and_choice_lists():
    data = workbook()
    assert looks_like_xlsform(data)
    template = import_xlsform(data)
    assert (template.id, template.version, template.title) == (
        "our-county",
        "2025-26.1",
        "Our county audit",
    )
    assert [s.id for s in template.sections] == ["A", "LOC"]
    assert template.sections[0].description == "How the school is led"
    a1, a2 = template.sections[0].standards
    assert (a1.text, a1.guidance, a1.reference, a1.statutory) == (
        "The board has a safeguarding link governor.", "Minutes naming them.",
        "KCSIE 2025 Part two", False,
    )  # fmt: skip
    assert a1.answer is AnswerKind.RATING and a2.statutory
    local = template.sections[1]
    assert local.local
    assert [s.answer for s in local.standards] == [
        AnswerKind.YES_NO, AnswerKind.CHOICE, AnswerKind.NUMBER, AnswerKind.TEXT,
    ]  # fmt: skip
    assert local.standards[1].choices == ["Very confident", "Somewhat", "Not yet"]
    assert local.standards[1].guidance == "The DSL's view."


def test_a_kobo_form_with_features_we_cannot_take_is_refused_feature_by_feature():
    survey = [
        ["type", "name", "label::English (en)", "label::Welsh (cy)", "relevant", "constraint"],
        ["start", "start", None, None, None, None],
        ["begin group", "A", "Leadership", "Arweinyddiaeth", None, None],
        ["select_one rating", "A1", "Link governor", "Llywodraethwr", None, None],
        ["select_multiple topics", "A2", "Topics covered", "Pynciau", "${A1} = 'met'", None],
        ["integer", "A3", "Staff trained", "Staff", None, ". >= 0"],
        ["begin group", "A_inner", "Inner", "Mewnol", None, None],
        ["end group", None, None, None, None, None],
        ["end group", None, None, None, None, None],
        ["begin repeat", "R", "Each site", "Pob safle", None, None],
        ["select_one rating or_other", "R1", "Site checked", "Safle", None, None],
        ["end repeat", None, None, None, None, None],
    ]
    found = problems(workbook(survey=survey))
    assert found == [
        "sheet 'survey', row 1, column D (label::welsh (cy)): translations are not supported "
        "(label::english (en), label::welsh (cy)): keep one label column",
        "sheet 'survey', row 5, column E (relevant): skip logic is not supported: who is asked a "
        "standard follows from the setting's phase and profile",
        "sheet 'survey', row 6, column F (constraint): constraints are not supported: answers are "
        "ratings, choices, numbers or text",
        "sheet 'survey', row 2, column A (type): every question must be inside a group (a section)",
        "sheet 'survey', row 5, column A (type): question type 'select_multiple' is not "
        "supported: use select_one, integer, decimal or text",
        "sheet 'survey', row 6, column A (type): a group holds either rated standards or local "
        "questions, not both",
        "sheet 'survey', row 7, column A (type): nested groups are not supported: sections do not nest",
        "sheet 'survey', row 10, column A (type): every question must be inside a group (a section)",
        "sheet 'survey', row 11, column A (type): every question must be inside a group (a section)",
        "sheet 'survey', row 12, column A (type): every question must be inside a group (a section)",
    ]


def test_settings_our_template_needs_are_asked_for_by_name():
    settings = [["form_title", "form_id"], ["Our county audit", "our-county"]]
    assert problems(workbook(settings=settings)) == [
        "sheet 'settings', row 2, column version: version is needed",
        "sheet 'settings', row 2, column setting_type: setting_type is needed (a column of our "
        "own: XLSForm has none)",
        "sheet 'settings', row 2, column cycle: cycle is needed (a column of our own: XLSForm has none)",
        "sheet 'settings', row 2, column edition: edition is needed (a column of our own: XLSForm has none)",
    ]


def test_template_rules_are_reported_at_the_survey_row():
    survey = [row[:] for row in SURVEY]
    survey[3][1] = "A1"  # a duplicate standard id
    survey[6][5] = "yes"  # a statutory local question
    assert problems(workbook(survey=survey)) == [
        "sheet 'survey', row 4, column B (name): duplicate standard id 'A1'",
        "sheet 'survey', row 7, column F (statutory): local questions are never statutory",
    ]


def test_an_ordinary_template_workbook_is_not_taken_for_an_xlsform():
    from school_audit.collector.template_xlsx import export_workbook

    template = import_xlsform(workbook())
    assert not looks_like_xlsform(export_workbook(template))
    assert not looks_like_xlsform(b"not a workbook")
