"""XLSForm workbooks (the survey / choices / settings sheets of ODK and KoBo) read as templates.

An LA officer who already writes XLSForms can start from one (docs/la-guide.md, section 3). What
maps is converted:

| XLSForm | template |
|---|---|
| `settings`: `form_id`, `version`, `form_title` | `id`, `version`, `title` |
| `settings` columns of our own: `setting_type`, `cycle`, `edition`, `description` | the same fields (XLSForm has none) |
| `begin group` … `end group` (name, label, hint) | a section (id, title, description) |
| a question inside a group (name, label, hint) | a standard (id, text, guidance) |
| `select_one L`, L's choices exactly met / partially_met / not_met (/ not_applicable) | a rated standard |
| `select_one L`, L's choices exactly yes / no | a yes/no local question |
| any other `select_one L` | a choice local question, L's labels as the choices |
| `integer`, `decimal` / `text` | a number / text local question |
| columns of our own: `statutory` (yes/no), `reference` | the same fields |

A group holds either rated standards or local questions, never both (local questions belong in a
local section). Everything else XLSForm offers is refused with the sheet, row and column and the
reason, nothing is imported until the workbook is clean: skip logic (`relevant`), constraints,
calculations, defaults, repeats, nested groups, other question types (dates, select_multiple,
media, metadata such as `start` and `deviceid`), `or_other`, choice filters and translations.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from school_audit.collector.template_xlsx import TemplateWorkbookError, XlsxProblem
from school_audit.domain.template import Template
from school_audit.domain.template_loading import TemplateError, load_template

RATINGS = {"met", "partially_met", "not_met"}
YES_NO = {"yes", "no"}
LOCAL_TYPES = {"integer": "number", "decimal": "number", "text": "text"}
GROUP_TYPES = {"begin group", "begin_group", "end group", "end_group"}
# Columns with a meaning we cannot keep, and why.
REFUSED_COLUMNS = {
    "relevant": "skip logic is not supported: who is asked a standard follows from the setting's phase and profile",
    "constraint": "constraints are not supported: answers are ratings, choices, numbers or text",
    "calculation": "calculations are not supported",
    "default": "default answers are not supported: every answer is the setting's own",
    "choice_filter": "choice filters are not supported",
    "repeat_count": "repeats are not supported",
    "read_only": "read-only questions are not supported",
    "trigger": "triggers are not supported",
}
METADATA = {
    "start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid",
    "email", "audit", "start-geopoint", "background-audio",
}  # fmt: skip
IGNORED_COLUMNS = {"required", "required_message", "appearance", "media::image", "image"}
SURVEY_COLUMNS = {"type", "name", "label", "hint", "guidance_hint", "statutory", "reference"}


def looks_like_xlsform(data: bytes) -> bool:
    """Whether the workbook has XLSForm's `survey` sheet (and so is read by `import_xlsform`)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook at all: the ordinary import says so
        return False
    try:
        return "survey" in {name.strip().lower() for name in book.sheetnames}
    finally:
        book.close()


@dataclass
class _Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]

    def column(self, key: str) -> str:
        if key in self.header:
            return f"{get_column_letter(self.header.index(key) + 1)} ({key})"
        return key


@dataclass
class _Reader:
    problems: list[XlsxProblem] = field(default_factory=list)
    origins: dict[tuple[int, ...], int] = field(default_factory=dict)  # (section[, standard]) → row
    survey: _Sheet | None = None

    def problem(self, sheet: _Sheet | str, row: int, column: str, message: str) -> None:
        name = sheet.name if isinstance(sheet, _Sheet) else sheet
        where = sheet.column(column) if isinstance(sheet, _Sheet) and column else column
        self.problems.append(XlsxProblem(name, row, where, message))


def import_xlsform(data: bytes) -> Template:
    """A validated template from an XLSForm workbook; raises TemplateWorkbookError naming every
    feature it cannot take and every other problem."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = {
        name.strip().lower(): _read(book[name], name.strip().lower()) for name in book.sheetnames
    }
    book.close()
    reader = _Reader()
    survey = reader.survey = sheets["survey"]
    _check_columns(reader, survey)
    lists = _choice_lists(reader, sheets.get("choices"))
    raw = _head(reader, sheets.get("settings"))
    raw["sections"] = _sections(reader, survey, lists)
    if reader.problems:
        raise TemplateWorkbookError(reader.problems)
    try:
        return load_template(raw)
    except TemplateError as error:
        raise TemplateWorkbookError(
            [_locate(reader, p.path, p.message) for p in error.problems]
        ) from None


def _read(sheet: Any, name: str) -> _Sheet:
    rows = sheet.iter_rows(values_only=True)
    header = [str(v).strip().lower() if v is not None else "" for v in next(rows, ())]
    table = []
    for number, values in enumerate(rows, start=2):
        cells = {h: _clean(v) for h, v in zip(header, values, strict=False) if h}
        if any(v is not None for v in cells.values()):
            table.append((number, cells))
    return _Sheet(name, header, table)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None if value is None else str(value)


def _check_columns(reader: _Reader, survey: _Sheet) -> None:
    labels = [c for c in survey.header if c == "label" or c.startswith("label::")]
    if len(labels) > 1:
        message = f"translations are not supported ({', '.join(labels)}): keep one label column"
        reader.problem(survey, 1, labels[1], message)
    for column in survey.header:
        if not column or column in SURVEY_COLUMNS or column in IGNORED_COLUMNS:
            continue
        if column in REFUSED_COLUMNS:
            for row, cells in survey.rows:
                if cells.get(column) is not None:
                    reader.problem(survey, row, column, REFUSED_COLUMNS[column])
        elif not column.startswith(("label::", "hint::", "guidance_hint::")):
            reader.problem(survey, 1, column, f"unknown column {column!r}")


def _label(cells: dict[str, Any]) -> Any:
    for key, value in cells.items():
        if key == "label" or key.startswith("label::"):
            return value
    return None


def _hint(cells: dict[str, Any]) -> str:
    parts = [v for k, v in cells.items() if k.split("::")[0] in ("hint", "guidance_hint") and v]
    return "\n\n".join(parts)


def _choice_lists(reader: _Reader, choices: _Sheet | None) -> dict[str, list[tuple[str, str]]]:
    lists: dict[str, list[tuple[str, str]]] = {}
    if choices is None:
        return lists
    for column in choices.header:
        if (
            column
            and column not in {"list_name", "list name", "name", "label"}
            and not column.startswith("label::")
        ):
            reader.problem(choices, 1, column, f"choice column {column!r} is not supported")
    for row, cells in choices.rows:
        list_name = cells.get("list_name") or cells.get("list name")
        if not list_name or not cells.get("name"):
            reader.problem(choices, row, "list_name", "each choice needs a list_name and a name")
            continue
        lists.setdefault(list_name, []).append((cells["name"], _label(cells) or cells["name"]))
    return lists


def _head(reader: _Reader, settings: _Sheet | None) -> dict[str, Any]:
    values = settings.rows[0][1] if settings and settings.rows else {}
    raw: dict[str, Any] = {
        "id": values.get("form_id"), "version": values.get("version"),
        "title": values.get("form_title"), "setting_type": values.get("setting_type"),
        "cycle": values.get("cycle"), "edition": values.get("edition"),
        "description": values.get("description") or "",
    }  # fmt: skip
    for key, source in (("id", "form_id"), ("version", "version"), ("title", "form_title"),
                        ("setting_type", "setting_type"), ("cycle", "cycle"), ("edition", "edition")):  # fmt: skip
        if raw[key] is None:
            extra = (
                ""
                if source in ("form_id", "version", "form_title")
                else " (a column of our own: XLSForm has none)"
            )
            reader.problem("settings", 2 if settings else 0, source, f"{source} is needed{extra}")
    return raw


def _sections(
    reader: _Reader, survey: _Sheet, lists: dict[str, list[tuple[str, str]]]
) -> list[dict[str, Any]]:
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for row, cells in survey.rows:
        kind = re.sub(r"\s+", " ", str(cells.get("type") or "")).strip()
        if kind in ("begin group", "begin_group"):
            if current is not None:
                reader.problem(
                    survey, row, "type", "nested groups are not supported: sections do not nest"
                )
                continue
            current = {"id": cells.get("name"), "title": _label(cells), "description": _hint(cells),
                       "local": None, "standards": []}  # fmt: skip
            reader.origins[(len(sections),)] = row
            sections.append(current)
        elif kind in ("end group", "end_group"):
            current = None
        elif current is None:
            reader.problem(survey, row, "type", "every question must be inside a group (a section)")
        else:
            standard = _standard(reader, survey, row, cells, kind, lists)
            if standard is None:
                continue
            local = standard.get("answer", "rating") != "rating"
            if current["local"] is None:
                current["local"] = local
            elif current["local"] != local:
                message = "a group holds either rated standards or local questions, not both"
                reader.problem(survey, row, "type", message)
                continue
            reader.origins[(len(sections) - 1, len(current["standards"]))] = row
            current["standards"].append(standard)
    for section in sections:
        section["local"] = bool(section["local"])
    return sections


def _standard(
    reader: _Reader, survey: _Sheet, row: int, cells: dict[str, Any], kind: str,
    lists: dict[str, list[tuple[str, str]]],
) -> dict[str, Any] | None:  # fmt: skip
    answer = _answer(reader, survey, row, kind, lists)
    if answer is None:
        return None
    standard: dict[str, Any] = {"id": cells.get("name"), "text": _label(cells),
                                "guidance": _hint(cells), "reference": cells.get("reference") or ""}  # fmt: skip
    kind_name, choices = answer
    if kind_name != "rating":
        standard["answer"] = kind_name
    if choices:
        standard["choices"] = choices
    statutory = str(cells.get("statutory") or "").lower()
    if statutory in ("yes", "true", "1"):
        standard["statutory"] = True
    elif statutory not in ("", "no", "false", "0"):
        reader.problem(survey, row, "statutory", f"{cells.get('statutory')!r} is not yes or no")
    return standard


def _answer(
    reader: _Reader, survey: _Sheet, row: int, kind: str, lists: dict[str, list[tuple[str, str]]]
) -> tuple[str, list[str] | None] | None:
    base, _, rest = kind.partition(" ")
    if base in LOCAL_TYPES:
        return LOCAL_TYPES[base], None
    if base != "select_one":
        reader.problem(survey, row, "type", _unsupported_type(base or kind))
        return None
    list_name, _, extra = rest.strip().partition(" ")
    if extra:
        reader.problem(survey, row, "type", f"{extra!r} (e.g. or_other) is not supported")
        return None
    if list_name not in lists:
        reader.problem(survey, row, "type", f"no choice list {list_name!r} on the choices sheet")
        return None
    names = {name for name, _ in lists[list_name]}
    if names in (RATINGS, RATINGS | {"not_applicable"}):
        return "rating", None
    if names == YES_NO:
        return "yes_no", None
    return "choice", [label for _, label in lists[list_name]]


def _unsupported_type(kind: str) -> str:
    if kind in METADATA:
        return (
            f"metadata {kind!r} is not collected: a signed return carries its own times and device"
        )
    if kind in ("begin repeat", "begin_repeat", "end repeat", "end_repeat") or kind.startswith(
        ("begin", "end")
    ):
        return "repeats are not supported: a standard is answered once"
    if kind == "note":
        return "notes are not supported: put the text in the group's hint"
    return f"question type {kind!r} is not supported: use select_one, integer, decimal or text"


def _locate(reader: _Reader, path: str, message: str) -> XlsxProblem:
    """A template field path (sections[1].standards[2].id) as the survey row it came from."""
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", path)]
    for cut in (2, 1):
        row = reader.origins.get(tuple(numbers[:cut])) if len(numbers) >= cut else None
        if row is not None:
            field_name = path.rsplit(".", 1)[-1]
            column = {"id": "name", "text": "label", "title": "label", "guidance": "hint"}.get(
                field_name, field_name
            )
            where = reader.survey.column(column) if reader.survey else column
            return XlsxProblem("survey", row, where, message)
    return XlsxProblem("settings", 0, "", f"{path}: {message}" if path else message)
