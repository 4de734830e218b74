"""Reading what an LA authors: a template or a local pack, as JSON or as a workbook.

The command line (`template import`, `template publish`, `template publish-pack`) and the admin
page both read uploads here, so a file is judged the same way wherever it comes in.
"""

from __future__ import annotations

from school_audit.domain.local_pack import LocalPack, load_local_pack
from school_audit.domain.template import Template
from school_audit.domain.template_loading import load_template

ZIP_MAGIC = b"PK\x03\x04"  # every XLSX workbook is a zip file


class AuthoredFileError(ValueError):
    """The file is not a usable template or pack; `problems` lists each one in words."""

    def __init__(self, summary: str, problems: list[str]) -> None:
        super().__init__(summary)
        self.problems = problems


def import_authored(data: bytes) -> Template | LocalPack:
    """A workbook: the local-pack form, an XLSForm, or our template layout.
    Raises TemplateWorkbookError naming every problem."""
    from school_audit.collector.pack_xlsx import import_pack_workbook, is_pack_workbook
    from school_audit.collector.template_xlsx import import_workbook
    from school_audit.collector.xlsform import import_xlsform, looks_like_xlsform

    if is_pack_workbook(data):
        return import_pack_workbook(data)
    if looks_like_xlsform(data):
        return import_xlsform(data)
    return import_workbook(data)


def read_upload(data: bytes, want: str) -> Template | LocalPack:
    """`data` (JSON or XLSX) as a template (`want` "template") or a local pack ("pack")."""
    from school_audit.collector.template_xlsx import TemplateWorkbookError
    from school_audit.domain.template_loading import TemplateError

    noun = "template" if want == "template" else "local pack"
    try:
        if data.startswith(ZIP_MAGIC):
            found = import_authored(data)
        else:
            found = load_template(data) if want == "template" else load_local_pack(data)
    except (TemplateWorkbookError, TemplateError) as error:
        raise AuthoredFileError(
            f"the file is not a usable {noun}", [str(p) for p in error.problems]
        ) from None
    if want == "template" and not isinstance(found, Template):
        raise AuthoredFileError("this workbook is a local pack, not a template", [])
    if want == "pack" and not isinstance(found, LocalPack):
        raise AuthoredFileError("this workbook is a template, not a local pack", [])
    return found
