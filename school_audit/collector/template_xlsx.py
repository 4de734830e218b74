"""LA-authored templates as XLSX workbooks, in the spirit of XLSForm (docs/la-guide.md).

Sheets (the first row of each names the columns; column order is free, unknown columns refused):

- `template`: two columns `field`, `value`: id, version, title, setting_type, edition, cycle,
  description, published, previous_id, previous_version, orphan_actions_to.
- `sections`: id, title, description, reference, local, phases, requires, excludes.
- `standards`: section, id, text, guidance, reference, statutory, evidence, phases, requires,
  excludes, childminder_note, sources (structured references, "source:heading:paragraphs; …"),
  changes (what changed since the previous edition, one per line) (rated standards of ordinary
  sections).
- `local_questions`: section, id, text, guidance, reference, answer, choices, phases, requires,
  excludes, sources, changes (questions of sections marked local).
- `dates`: standard, key, label, max_age_months, required.
- `replaces`: kind, old, new, note.

Lists are comma-separated; yes/no cells take yes, no, true, false (or Excel booleans). An empty
`phases` cell means every phase; `(none)` means no phase. `export_workbook` then
`import_workbook` gives back an equal template. Every problem names sheet, row and column.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from school_audit.domain import template_limits as limits
from school_audit.domain.template import AnswerKind, Template
from school_audit.domain.template_loading import TemplateError, load_template

TEMPLATE_FIELDS = [
    "id", "version", "title", "setting_type", "edition", "cycle", "description", "published",
    "previous_id", "previous_version", "orphan_actions_to",
]  # fmt: skip
RULE = ["phases", "requires", "excludes"]
SHEETS: dict[str, list[str]] = {
    "template": ["field", "value"],
    "sections": ["id", "title", "description", "reference", "local", *RULE],
    "standards": [
        "section", "id", "text", "guidance", "reference", "statutory", "evidence", *RULE,
        "childminder_note", "sources", "changes",
    ],
    "local_questions": [
        "section", "id", "text", "guidance", "reference", "answer", "choices", *RULE,
        "sources", "changes",
    ],
    "dates": ["standard", "key", "label", "max_age_months", "required"],
    "replaces": ["kind", "old", "new", "note"],
}  # fmt: skip
REQUIRED_SHEETS = ["template", "sections"]
NO_PHASE = "(none)"
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


@dataclass(frozen=True)
class XlsxProblem:
    sheet: str
    row: int
    column: str  # the column letter shown by Excel, with its header name
    message: str

    def __str__(self) -> str:
        where = f"sheet {self.sheet!r}" + (f", row {self.row}" if self.row else "")
        return f"{where}{', column ' + self.column if self.column else ''}: {self.message}"


class TemplateWorkbookError(ValueError):
    def __init__(self, problems: list[XlsxProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


# ---------------------------------------------------------------- export


def export_workbook(template: Template) -> bytes:
    """The template as XLSX bytes, laid out as the import expects."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in _sheet_rows(template).items():
        sheet = book.create_sheet(name)
        sheet.append(SHEETS[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(column) for column in SHEETS[name]])
            _as_text(sheet[sheet.max_row])
        for index, column in enumerate(SHEETS[name], start=1):
            wide = column in {"text", "guidance", "description", "title", "value", "note", "label"}
            sheet.column_dimensions[get_column_letter(index)].width = 60 if wide else 16
            if wide:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_text(cells: tuple[Any, ...]) -> None:
    # openpyxl stores text starting with "=" as a formula: guidance that begins so would run in
    # Excel and come back empty. Every cell of a template is text or a number, never a formula.
    for cell in cells:
        if cell.data_type == "f":
            cell.data_type = "s"


def _sheet_rows(template: Template) -> dict[str, list[dict[str, Any]]]:
    head = {
        **{f: getattr(template, f) for f in TEMPLATE_FIELDS if hasattr(template, f)},
        "setting_type": template.setting_type.value,
        "published": template.published.isoformat() if template.published else None,
        "previous_id": template.previous.id if template.previous else None,
        "previous_version": template.previous.version if template.previous else None,
    }
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    rows["template"] = [{"field": f, "value": head.get(f) or None} for f in TEMPLATE_FIELDS]
    for section in template.sections:
        rows["sections"].append(
            {**_common(section), "local": _yes_no(section.local), **_rule_cells(section)}
        )
        for standard in section.standards:
            item = {"section": section.id, **_common(standard), "text": standard.text,
                    "guidance": standard.guidance, **_rule_cells(standard),
                    **_reference_cells(standard)}  # fmt: skip
            if section.local:
                item["answer"] = standard.answer.value
                item["choices"] = ", ".join(standard.choices or []) or None
                rows["local_questions"].append(item)
            else:
                item["statutory"] = _yes_no(standard.statutory)
                item["evidence"] = standard.evidence.value if standard.evidence else None
                item["childminder_note"] = standard.childminder_note or None
                rows["standards"].append(item)
            for dated in standard.dates:
                rows["dates"].append({"standard": standard.id, "key": dated.key,
                    "label": dated.label, "max_age_months": dated.max_age_months,
                    "required": _yes_no(dated.required)})  # fmt: skip
    for replacement in template.replaces:
        rows["replaces"].append({"kind": replacement.kind.value, "old": ", ".join(replacement.old),
            "new": ", ".join(replacement.new) or None, "note": replacement.note or None})  # fmt: skip
    return rows


def _common(item: Any) -> dict[str, Any]:
    cells = {"id": item.id, "reference": item.reference or None}
    if hasattr(item, "title"):
        cells |= {"title": item.title, "description": item.description or None}
    return cells


def _reference_cells(standard: Any) -> dict[str, Any]:
    """Structured references as "source:heading:paragraphs; …" and one change per line."""
    refs = "; ".join(
        ":".join(p for p in (r.source, r.heading or "", r.paragraphs or "")).rstrip(":")
        for r in standard.references or []
    )
    return {"sources": refs or None, "changes": "\n".join(standard.changes or []) or None}


def _sources(value: Any) -> list[dict[str, str]]:
    refs = []
    for part in str(value).split(";"):
        source, heading, paragraphs = (part.strip().split(":", 2) + ["", ""])[:3]
        ref = {"source": source, "heading": heading, "paragraphs": paragraphs}
        refs.append({k: v for k, v in ref.items() if v})
    return refs


def _rule_cells(item: Any) -> dict[str, Any]:
    rule = item.applies_when
    phases = None if rule.phases is None else (", ".join(rule.phases) or NO_PHASE)
    return {"phases": phases, "requires": ", ".join(rule.requires) or None,
            "excludes": ", ".join(rule.excludes) or None}  # fmt: skip


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# ---------------------------------------------------------------- import


class _Reader:
    """Collects problems while turning sheets into the template's JSON object."""

    def __init__(self) -> None:
        self.budget = limits.SheetBudget()
        self.problems: list[XlsxProblem] = []
        self.origins: dict[tuple[Any, ...], tuple[str, int]] = {}
        self.standard_paths: dict[str, tuple[Any, ...]] = {}

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        letter = ""
        if column in SHEETS.get(sheet, []):
            letter = f"{get_column_letter(SHEETS[sheet].index(column) + 1)} ({column})"
        self.problems.append(XlsxProblem(sheet, row, letter or column, message))


def import_workbook(data: bytes) -> Template:
    """A validated template from XLSX bytes. Raises TemplateWorkbookError naming every problem."""
    reader = _Reader()
    try:
        limits.check_xlsx_archive(data)  # before openpyxl unpacks anything
        book = _open_workbook(data)
        try:
            tables = {name: _read_sheet(reader, book, name) for name in SHEETS}
        finally:
            book.close()
    except limits.TemplateTooLarge as error:
        message = f"too large to use: {error}"
        raise TemplateWorkbookError([XlsxProblem("", 0, "", message)]) from None
    if reader.problems:
        raise TemplateWorkbookError(reader.problems)
    raw = _assemble(reader, tables)
    if reader.problems:
        raise TemplateWorkbookError(reader.problems)
    try:
        return load_template(raw)
    except TemplateError as error:
        raise TemplateWorkbookError(
            [_locate(reader, p.path, p.message) for p in error.problems]
        ) from None


def _open_workbook(data: bytes) -> Any:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        message = f"not an XLSX workbook ({type(error).__name__})"
        raise TemplateWorkbookError([XlsxProblem("", 0, "", message)]) from None


Row = tuple[int, dict[str, Any]]


def _read_sheet(reader: _Reader, book: Any, name: str) -> list[Row]:
    if name not in book.sheetnames:
        if name in REQUIRED_SHEETS:
            reader.problem(name, 0, "", "the sheet is missing")
        return []
    rows = book[name].iter_rows(values_only=True)
    first = next(rows, ())
    reader.budget.row(name, 1, first)
    header = [str(v).strip().lower() if v is not None else "" for v in first]
    while header and not header[-1]:
        header.pop()
    for index, column in enumerate(header, start=1):
        if column not in SHEETS[name]:
            reader.problem(name, 1, get_column_letter(index), f"unknown column {column!r}")
    table = []
    for number, values in enumerate(rows, start=2):
        reader.budget.row(name, number, values)  # stops a sheet of millions of rows early
        cells = {h: _clean(v) for h, v in zip(header, values, strict=False) if h}
        if any(v not in (None, "") for v in cells.values()):
            table.append((number, cells))
    return table


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, datetime):
        return value.date()
    return value


def _assemble(reader: _Reader, tables: dict[str, list[Row]]) -> dict[str, Any]:
    raw = _head(reader, tables["template"])
    sections: dict[str, dict[str, Any]] = {}
    for index, (row, cells) in enumerate(tables["sections"]):
        section: dict[str, Any] = {
            "id": cells.get("id"), "title": cells.get("title"),
            "description": cells.get("description") or "", "reference": cells.get("reference") or "",
            "local": _bool(reader, "sections", row, "local", cells.get("local")),
            "applies_when": _rule(cells), "standards": [],
        }  # fmt: skip
        reader.origins[("sections", index)] = ("sections", row)
        sections.setdefault(str(section["id"]), section)
    raw["sections"] = list(sections.values())
    standards = _standards(reader, tables, sections)
    _dates(reader, tables["dates"], standards)
    raw["replaces"] = [
        _replacement(reader, i, row, c) for i, (row, c) in enumerate(tables["replaces"])
    ]
    return raw


def _head(reader: _Reader, rows: list[Row]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for row, cells in rows:
        field = str(cells.get("field") or "")
        if field not in TEMPLATE_FIELDS:
            reader.problem("template", row, "field", f"unknown field {field!r}")
            continue
        reader.origins[(field,)] = ("template", row)
        values[field] = cells.get("value")
    raw: dict[str, Any] = {
        k: v for k, v in values.items() if v is not None and k in TEMPLATE_FIELDS[:7]
    }
    for key in ("version", "cycle"):  # Excel may turn 2025 into a number
        if isinstance(raw.get(key), int | float):
            raw[key] = str(raw[key]).removesuffix(".0")
    if values.get("published") is not None:
        raw["published"] = str(values["published"])
    if values.get("previous_id") or values.get("previous_version"):
        raw["previous"] = {
            "id": values.get("previous_id"),
            "version": str(values.get("previous_version")),
        }
        reader.origins[("previous",)] = reader.origins.get(("previous_id",), ("template", 0))
    if values.get("orphan_actions_to"):
        raw["orphan_actions_to"] = values["orphan_actions_to"]
    return raw


def _standards(
    reader: _Reader, tables: dict[str, list[Row]], sections: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    by_id: dict[str, dict[str, Any]] = {}
    order = list(sections)
    for sheet in ("standards", "local_questions"):
        for row, cells in tables[sheet]:
            section = sections.get(str(cells.get("section")))
            if section is None:
                reader.problem(
                    sheet,
                    row,
                    "section",
                    f"no section {cells.get('section')!r} on the sections sheet",
                )
                continue
            if bool(section["local"]) != (sheet == "local_questions"):
                where = "local_questions" if section["local"] else "standards"
                reader.problem(
                    sheet, row, "section", f"section {section['id']!r} belongs on the {where} sheet"
                )
                continue
            standard = _standard(reader, sheet, row, cells)
            section["standards"].append(standard)
            key = (
                "sections",
                order.index(str(section["id"])),
                "standards",
                len(section["standards"]) - 1,
            )
            reader.origins[key] = (sheet, row)
            if str(standard["id"]) not in by_id:
                by_id[str(standard["id"])] = standard
                reader.standard_paths[str(standard["id"])] = key
    return by_id


def _standard(reader: _Reader, sheet: str, row: int, cells: dict[str, Any]) -> dict[str, Any]:
    standard: dict[str, Any] = {
        "id": _text(cells.get("id")), "text": cells.get("text"),
        "guidance": cells.get("guidance") or "", "reference": cells.get("reference") or "",
        "applies_when": _rule(cells), "dates": [],
    }  # fmt: skip
    if cells.get("sources"):
        standard["references"] = _sources(cells["sources"])
    if cells.get("changes"):
        standard["changes"] = [line for line in str(cells["changes"]).splitlines() if line.strip()]
    if sheet == "standards":
        standard["statutory"] = _bool(reader, sheet, row, "statutory", cells.get("statutory"))
        if cells.get("evidence"):
            standard["evidence"] = cells["evidence"]
        standard["childminder_note"] = cells.get("childminder_note") or ""
    else:
        standard["answer"] = cells.get("answer") or AnswerKind.YES_NO.value
        if cells.get("choices"):
            standard["choices"] = _list(cells["choices"])
    return standard


def _dates(reader: _Reader, rows: list[Row], standards: dict[str, dict[str, Any]]) -> None:
    for row, cells in rows:
        standard = standards.get(str(cells.get("standard")))
        if standard is None:
            reader.problem("dates", row, "standard", f"no standard {cells.get('standard')!r}")
            continue
        months = cells.get("max_age_months")
        if (
            isinstance(months, float)
            and months.is_integer()
            or isinstance(months, str)
            and months.isascii()
            and months.isdigit()
        ):
            months = int(months)
        standard["dates"].append({
            "key": cells.get("key"), "label": cells.get("label"), "max_age_months": months,
            "required": _bool(reader, "dates", row, "required", cells.get("required")),
        })  # fmt: skip
        path = reader.standard_paths[str(standard["id"])]
        reader.origins[(*path, "dates", len(standard["dates"]) - 1)] = ("dates", row)


def _replacement(reader: _Reader, index: int, row: int, cells: dict[str, Any]) -> dict[str, Any]:
    reader.origins[("replaces", index)] = ("replaces", row)
    return {"kind": cells.get("kind"), "old": _list(cells.get("old")),
            "new": _list(cells.get("new")), "note": cells.get("note") or ""}  # fmt: skip


def _rule(cells: dict[str, Any]) -> dict[str, Any]:
    phases = cells.get("phases")
    rule: dict[str, Any] = {
        "requires": _list(cells.get("requires")),
        "excludes": _list(cells.get("excludes")),
    }
    if phases is not None:
        rule["phases"] = [] if str(phases).strip().lower() == NO_PHASE else _list(phases)
    return rule


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value) if isinstance(value, int) else value


def _bool(reader: _Reader, sheet: str, row: int, column: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in YES:
        return True
    if text not in NO:
        reader.problem(sheet, row, column, f"{value!r} is not yes or no")
    return False


def _locate(reader: _Reader, path: str, message: str) -> XlsxProblem:
    """Turn a template field path (sections[2].standards[4].id) into sheet, row and column."""
    tokens: list[Any] = [int(t) if t.isdigit() else t for t in re.findall(r"[^.\[\]]+", path)]
    sheet, row, column = "template", 0, ""
    for cut in range(len(tokens), 0, -1):
        if tuple(tokens[:cut]) in reader.origins:
            sheet, row = reader.origins[tuple(tokens[:cut])]
            rest = [t for t in tokens[cut:] if isinstance(t, str) and t != "applies_when"]
            column = "value" if sheet == "template" else (rest[0] if rest else "")
            break
    else:
        message = f"{path}: {message}" if path else message
    reader.problem(sheet, row, column, message)
    return reader.problems.pop()
