"""`template publish-pack` and `template packs`: the LA's local pack, published with the cycle."""

from __future__ import annotations

import argparse
from pathlib import Path

from school_audit.cli.registry import Commands
from school_audit.collector.cli.common import CommandError, friendly, open_database, record
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
    from school_audit.collector.local_packs import PackPublishError, publish_pack

    pack = _pack_from(args)
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
