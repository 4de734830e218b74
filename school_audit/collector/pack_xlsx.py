"""The local-pack form: an LA's local pack as an XLSX workbook (docs/la-guide.md, section 3).

Sheets (the first row names the columns, in any order):

- `pack`: two columns `field`, `value`: id, version, title, la_name, la_code, cycle, applies_to,
  description, published.
- `references`: id, title, publisher, url, edition.
- `notes`: standard, note, references, templates (local guidance on national standards).
- `local_sections`: id, title, description, templates, phases, requires, excludes.
- `local_questions`: section, id, text, guidance, references, answer, choices, phases, requires,
  excludes.

Lists are comma-separated. `export_pack_workbook` then `import_pack_workbook` gives back an equal
pack (same sha256). A column that would change a national standard (`statutory` on a note or a
question, `text` on a note, …) is refused with the pack's own reason, at its sheet, row and column.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from school_audit.collector.template_xlsx import TemplateWorkbookError, XlsxProblem
from school_audit.domain.local_pack import (
    NOTE_REFUSALS,
    QUESTION_REFUSALS,
    LocalPack,
    LocalPackError,
    load_local_pack,
)

PACK_FIELDS = [
    "id", "version", "title", "la_name", "la_code", "cycle", "applies_to", "description", "published",
]  # fmt: skip
RULE = ["phases", "requires", "excludes"]
SHEETS: dict[str, list[str]] = {
    "pack": ["field", "value"],
    "references": ["id", "title", "publisher", "url", "edition"],
    "notes": ["standard", "note", "references", "templates"],
    "local_sections": ["id", "title", "description", "templates", *RULE],
    "local_questions": [
        "section", "id", "text", "guidance", "references", "answer", "choices", *RULE,
    ],
}  # fmt: skip
# Columns we read only to refuse them with the pack's reason.
REFUSED = {"notes": set(NOTE_REFUSALS), "local_questions": set(QUESTION_REFUSALS)}
WIDE = {"title", "description", "note", "text", "guidance", "value"}


def is_pack_workbook(data: bytes) -> bool:
    """Whether the workbook is the local-pack form (it has a `pack` sheet)."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True)
    except Exception:  # not a workbook: the ordinary import says so
        return False
    try:
        return "pack" in book.sheetnames
    finally:
        book.close()


# ---------------------------------------------------------------- export


def export_pack_workbook(pack: LocalPack) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in _rows(pack).items():
        sheet = book.create_sheet(name)
        sheet.append(SHEETS[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(column) for column in SHEETS[name]])
        for index, column in enumerate(SHEETS[name], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 60 if column in WIDE else 18
            if column in WIDE:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(pack: LocalPack) -> dict[str, list[dict[str, Any]]]:
    head = {
        "id": pack.id, "version": pack.version, "title": pack.title, "la_name": pack.la.name,
        "la_code": pack.la.code, "cycle": pack.cycle, "applies_to": _join(pack.applies_to),
        "description": pack.description or None,
        "published": pack.published.isoformat() if pack.published else None,
    }  # fmt: skip
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SHEETS}
    rows["pack"] = [{"field": f, "value": head[f]} for f in PACK_FIELDS]
    rows["references"] = [
        {"id": r.id, "title": r.title, "publisher": r.publisher, "url": r.url or None,
         "edition": r.edition or None}
        for r in pack.references
    ]  # fmt: skip
    rows["notes"] = [
        {"standard": n.standard, "note": n.note, "references": _join(n.references),
         "templates": _join(n.templates)}
        for n in pack.notes
    ]  # fmt: skip
    for section in pack.sections:
        rows["local_sections"].append({"id": section.id, "title": section.title,
            "description": section.description or None, "templates": _join(section.templates),
            **_rule_cells(section)})  # fmt: skip
        for question in section.questions:
            rows["local_questions"].append({"section": section.id, "id": question.id,
                "text": question.text, "guidance": question.guidance or None,
                "references": _join(question.references), "answer": question.answer.value,
                "choices": _join(question.choices), **_rule_cells(question)})  # fmt: skip
    return rows


def _join(items: list[str] | None) -> str | None:
    return ", ".join(items) if items else None


def _rule_cells(item: Any) -> dict[str, Any]:
    rule = item.applies_when
    phases = None if rule.phases is None else (", ".join(rule.phases) or "(none)")
    return {"phases": phases, "requires": _join(rule.requires), "excludes": _join(rule.excludes)}


# ---------------------------------------------------------------- import


class _Reader:
    def __init__(self) -> None:
        self.problems: list[XlsxProblem] = []
        self.origins: dict[tuple[Any, ...], tuple[str, int]] = {}
        self.headers: dict[str, list[str]] = {}

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        header = self.headers.get(sheet, [])
        where = (
            f"{get_column_letter(header.index(column) + 1)} ({column})"
            if column in header
            else column
        )
        self.problems.append(XlsxProblem(sheet, row, where, message))


Row = tuple[int, dict[str, Any]]


def import_pack_workbook(data: bytes) -> LocalPack:
    """A validated local pack from the local-pack form; raises TemplateWorkbookError."""
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise TemplateWorkbookError(
            [XlsxProblem("", 0, "", f"not an XLSX workbook ({type(error).__name__})")]
        ) from None
    reader = _Reader()
    tables = {name: _read(reader, book, name) for name in SHEETS}
    book.close()
    if reader.problems:
        raise TemplateWorkbookError(reader.problems)
    raw = _assemble(reader, tables)
    if reader.problems:
        raise TemplateWorkbookError(reader.problems)
    try:
        return load_local_pack(raw)
    except LocalPackError as error:
        raise TemplateWorkbookError(
            [_locate(reader, p.path, p.message) for p in error.problems]
        ) from None


def _read(reader: _Reader, book: Any, name: str) -> list[Row]:
    if name not in book.sheetnames:
        if name == "pack":
            reader.problem(name, 0, "", "the sheet is missing")
        return []
    rows = book[name].iter_rows(values_only=True)
    header = [str(v).strip().lower() if v is not None else "" for v in next(rows, ())]
    reader.headers[name] = header
    for index, column in enumerate(header, start=1):
        if column and column not in SHEETS[name] and column not in REFUSED.get(name, set()):
            reader.problem(name, 1, get_column_letter(index), f"unknown column {column!r}")
    table = []
    for number, values in enumerate(rows, start=2):
        cells = {h: _clean(v) for h, v in zip(header, values, strict=False) if h}
        if any(v is not None for v in cells.values()):
            table.append((number, cells))
    return table


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None if value is None else str(value)


def _assemble(reader: _Reader, tables: dict[str, list[Row]]) -> dict[str, Any]:
    head = {}
    for row, cells in tables["pack"]:
        field = str(cells.get("field") or "")
        if field not in PACK_FIELDS:
            reader.problem("pack", row, "field", f"unknown field {field!r}")
            continue
        reader.origins[(field,)] = ("pack", row)
        head[field] = cells.get("value")
    raw: dict[str, Any] = {k: head[k] for k in ("id", "version", "title", "cycle") if head.get(k)}
    raw["la"] = {
        "name": head.get("la_name"),
        **({"code": head["la_code"]} if head.get("la_code") else {}),
    }
    raw["applies_to"] = _list(head.get("applies_to"))
    for key in ("description", "published"):
        if head.get(key):
            raw[key] = head[key]
    raw["references"] = [_origin(reader, "references", i, row, _drop_empty(cells))
                         for i, (row, cells) in enumerate(tables["references"])]  # fmt: skip
    raw["notes"] = [_origin(reader, "notes", i, row, _note(cells))
                    for i, (row, cells) in enumerate(tables["notes"])]  # fmt: skip
    raw["sections"] = _sections(reader, tables)
    return raw


def _origin(
    reader: _Reader, sheet: str, index: int, row: int, item: dict[str, Any]
) -> dict[str, Any]:
    reader.origins[(sheet, index)] = (sheet, row)
    return item


def _drop_empty(cells: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cells.items() if v is not None}


def _note(cells: dict[str, Any]) -> dict[str, Any]:
    note = _drop_empty(cells)
    note["references"] = _list(cells.get("references"))
    if cells.get("templates"):
        note["templates"] = _list(cells["templates"])
    else:
        note.pop("templates", None)
    return note


def _sections(reader: _Reader, tables: dict[str, list[Row]]) -> list[dict[str, Any]]:
    sections: dict[str, dict[str, Any]] = {}
    for index, (row, cells) in enumerate(tables["local_sections"]):
        section = {k: cells[k] for k in ("id", "title", "description") if cells.get(k)}
        if cells.get("templates"):
            section["templates"] = _list(cells["templates"])
        section |= {"applies_when": _rule(cells), "questions": []}
        reader.origins[("sections", index)] = ("local_sections", row)
        sections.setdefault(str(cells.get("id")), section)
    order = list(sections)
    for row, cells in tables["local_questions"]:
        section = sections.get(str(cells.get("section")))
        if section is None:
            reader.problem(
                "local_questions",
                row,
                "section",
                f"no section {cells.get('section')!r} on the local_sections sheet",
            )
            continue
        question = {k: v for k, v in cells.items() if v is not None and k not in {"section", *RULE}}
        question["references"] = _list(cells.get("references"))
        if cells.get("choices"):
            question["choices"] = _list(cells["choices"])
        question["applies_when"] = _rule(cells)
        key = (
            "sections",
            order.index(str(cells.get("section"))),
            "questions",
            len(section["questions"]),
        )
        reader.origins[key] = ("local_questions", row)
        section["questions"].append(question)
    return list(sections.values())


def _rule(cells: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "requires": _list(cells.get("requires")),
        "excludes": _list(cells.get("excludes")),
    }
    if cells.get("phases") is not None:
        phases = str(cells["phases"])
        rule["phases"] = [] if phases.strip().lower() == "(none)" else _list(phases)
    return rule


def _list(value: Any) -> list[str]:
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _locate(reader: _Reader, path: str, message: str) -> XlsxProblem:
    """A pack field path (sections[0].questions[2].id) as sheet, row and column."""
    tokens: list[Any] = [int(t) if t.isdigit() else t for t in re.findall(r"[^.\[\]]+", path)]
    if tokens and tokens[0] == "la":
        tokens = ["la_name" if tokens[1:] == ["name"] else "la_code"]
    for cut in range(len(tokens), 0, -1):
        found = reader.origins.get(tuple(tokens[:cut]))
        if found:
            sheet, row = found
            rest = [t for t in tokens[cut:] if isinstance(t, str) and t != "applies_when"]
            column = "value" if sheet == "pack" else (rest[0] if rest else "")
            reader.problem(sheet, row, column, message)
            return reader.problems.pop()
    return XlsxProblem("pack", 0, "", f"{path}: {message}" if path else message)
