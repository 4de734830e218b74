"""`template publish-pack` and `template packs`: the LA's local pack, published with the cycle."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from school_audit.collector.cli.common import CommandError, friendly, open_database, record
from school_audit.commands.registry import Commands
from school_audit.domain.local_pack import LocalPack, LocalPackError, load_local_pack


def register(commands: Commands) -> None:
    group = commands.group("template", "Audit templates offered to devices.")
    publish = group.command(
        "publish-pack", "Publish the LA's local pack (a JSON file or a built-in one) for its cycle."
    )
    source = publish.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="local pack JSON file")
    source.add_argument(
        "--builtin", metavar="ID", help="a built-in local pack, e.g. worcestershire"
    )
    publish.add_argument("--version", help="built-in version (default: newest)")
    publish.set_defaults(handler=friendly(run_publish_pack))
    listing = group.command("packs", "List the published local packs.")
    listing.set_defaults(handler=friendly(run_list_packs))
    exporting = group.command(
        "export-pack", "Write a local pack as the XLSX local-pack form or JSON."
    )
    exporting.add_argument("pack", metavar="ID[@VERSION]", help="a published or built-in pack")
    exporting.add_argument("--format", choices=["xlsx", "json"], default="xlsx")
    exporting.add_argument("-o", "--output", type=Path, required=True)
    exporting.set_defaults(handler=friendly(run_export_pack))


def run_pack_import(args: argparse.Namespace, pack: LocalPack) -> int:
    """`template import` of the local-pack form: write the JSON, and publish it if asked."""
    output = args.output or args.file.with_suffix(".json")
    output.write_text(
        json.dumps(pack.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    questions = sum(len(s.questions) for s in pack.sections)
    print(
        f"Local pack {pack.id} {pack.version}: {len(pack.notes)} notes, {questions} local questions, written to {output}"
    )
    if args.publish:
        return _publish(args, pack)
    return 0


def run_export_pack(args: argparse.Namespace) -> int:
    from school_audit.collector.pack_xlsx import export_pack_workbook

    pack = _find_pack(args)
    if args.format == "xlsx":
        args.output.write_bytes(export_pack_workbook(pack))
    else:
        text = json.dumps(pack.to_json(), indent=2, ensure_ascii=False) + "\n"
        args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {pack.id} {pack.version} to {args.output}")
    return 0


def _find_pack(args: argparse.Namespace) -> LocalPack:
    from sqlalchemy import select

    from school_audit.collector.db.tables import LocalPackRow
    from school_audit.content.local_packs import builtin_local_packs

    pack_id, _, version = args.pack.partition("@")
    with open_database(args).read() as session:
        rows = session.scalars(select(LocalPackRow).where(LocalPackRow.pack_id == pack_id))
        found = [r for r in rows if not version or r.version == version]
        if found:
            return load_local_pack(sorted(found, key=lambda r: r.published_at)[-1].json)
    shipped = [
        p
        for p in builtin_local_packs()
        if p.id == pack_id and (not version or p.version == version)
    ]
    if not shipped:
        raise CommandError(f"no local pack {args.pack} (published or built in)")
    return shipped[-1]


def _pack_from(args: argparse.Namespace) -> LocalPack:
    if args.builtin:
        from school_audit.content.local_packs import builtin_local_pack

        try:
            return builtin_local_pack(args.builtin, args.version)
        except KeyError as error:
            raise CommandError(str(error.args[0])) from None
    try:
        return load_local_pack(args.file.read_bytes())
    except LocalPackError as error:
        raise CommandError(
            _listed(f"{args.file} is not a usable local pack", error.problems)
        ) from None


def _listed(what: str, problems: list[object]) -> str:
    return what + ":\n  " + "\n  ".join(str(p) for p in problems)


def run_publish_pack(args: argparse.Namespace) -> int:
    return _publish(args, _pack_from(args))


def _publish(args: argparse.Namespace, pack: LocalPack) -> int:
    from school_audit.collector.local_packs import PackPublishError, publish_pack

    database = open_database(args)
    try:
        with database.write() as session:
            created = publish_pack(session, pack)
    except PackPublishError as error:
        if error.problems:
            raise CommandError(_listed(f"{error}; nothing was published", error.problems)) from None
        raise CommandError(str(error)) from None
    if created:
        record(database, "local_pack_published", f"{pack.id} {pack.version}", f"cycle {pack.cycle}")
    state = "Published" if created else "Already published"
    under = ", ".join(pack.applies_to)
    print(
        f"{state}: {pack.id} {pack.version} for {pack.cycle}, under {under} (sha256 {pack.sha256})"
    )
    return 0


def run_list_packs(args: argparse.Namespace) -> int:
    from school_audit.collector.local_packs import list_packs

    with open_database(args).read() as session:
        rows = list_packs(session)
        lines = [
            f"{row.cycle}  {row.pack_id}@{row.version}  {row.la_name}  under {row.applies_to}  {row.sha256[:12]}"
            for row in rows
        ]
    print("\n".join(lines) if lines else "No local packs published.")
    return 0
