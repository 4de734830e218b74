"""`school-audit template list|export|validate`: the built-in templates and LA-authored files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from school_audit.commands.registry import Commands
from school_audit.domain.canonical import canonical_bytes

EXIT_VALID, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2


def register(commands: Commands) -> None:
    group = commands.group("template", "audit templates: list, export, validate")
    listing = group.command("list", "list the built-in templates")
    listing.set_defaults(handler=list_templates)
    export = group.command("export", "print a template's canonical JSON")
    export.add_argument("template_id", metavar="ID")
    export.add_argument("--version", dest="template_version", help="a version (default: newest)")
    export.add_argument("--format", choices=["json"], default="json")
    export.set_defaults(handler=export_template)
    validate = group.command(
        "validate", "check a template file (exit 0 valid, 1 invalid, 2 unreadable)"
    )
    validate.add_argument("file", type=Path)
    validate.set_defaults(handler=validate_template)


def list_templates(args: argparse.Namespace) -> int:
    from school_audit.content import builtin_templates

    rows = [("ID", "VERSION", "SETTING", "CYCLE", "STANDARDS", "TITLE")]
    rows += [
        (t.id, t.version, t.setting_type.value, t.cycle, str(len(t.standards())), t.title)
        for t in builtin_templates()
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[5]
        )
    return 0


def export_template(args: argparse.Namespace) -> int:
    from school_audit.content import builtin_template

    try:
        template = builtin_template(args.template_id, args.template_version)
    except KeyError as error:
        print(f"{error.args[0]}. See `school-audit template list`.", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.buffer.write(canonical_bytes(template.to_json()) + b"\n")
    sys.stdout.flush()
    return 0


def validate_template(args: argparse.Namespace) -> int:
    from school_audit.domain.template_loading import (
        TemplateError,
        load_template,
        read_template_file,
    )

    try:
        template = load_template(read_template_file(args.file))
    except OSError as error:
        print(f"Cannot read {args.file}: {error.strerror or error}.", file=sys.stderr)
        return EXIT_UNREADABLE
    except TemplateError as error:
        print(f"{args.file} is not a valid template:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_UNREADABLE if error.unreadable else EXIT_INVALID
    print(
        f"{args.file}: valid template {template.id} {template.version} "
        f"({len(template.standards())} standards in {len(template.sections)} sections, "
        f"sha256 {template.sha256})"
    )
    return EXIT_VALID
