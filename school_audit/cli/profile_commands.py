"""`school-audit profile show|set`: the establishment profile (registered by audit_commands)."""

from __future__ import annotations

import argparse
from typing import Any

from school_audit.cli.store_access import (
    EXIT_OK,
    EXIT_PROBLEM,
    fail,
    guard,
    open_service,
    table,
    while_app_closed,
)
from school_audit.commands.registry import Commands


def register(commands: Commands) -> None:
    profile = commands.group("profile", "the establishment profile: show, set")
    profile.command("show", "show the establishment profile").set_defaults(
        handler=guard(show_profile)
    )
    setter = profile.command("set", "create or change the establishment profile")
    _profile_arguments(setter)
    setter.set_defaults(handler=guard(while_app_closed(set_profile)))


def _profile_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--urn", help="unique reference number (6 or 7 digits; EY for early years)")
    parser.add_argument("--name", help="the establishment's name")
    parser.add_argument("--setting-type", choices=["school", "early_years"])
    parser.add_argument("--phase", help="e.g. primary, first, secondary, day_nursery, childminder")
    parser.add_argument("--la-code", help="local authority code, e.g. 885")
    parser.add_argument("--district")
    parser.add_argument(
        "--flag", action="append", default=[], metavar="FLAG", help="set a flag (repeatable)"
    )
    parser.add_argument(
        "--clear-flag", action="append", default=[], metavar="FLAG", help="clear a flag"
    )
    parser.add_argument("--dsl-name", help="the designated safeguarding lead's name")
    parser.add_argument("--head-name", help="the head teacher's (or manager's) name")
    parser.add_argument("--chair-name", help="the chair of governors' name")


def show_profile(args: argparse.Namespace) -> int:
    with open_service() as service:
        profile = service.profile()
    if profile is None:
        return fail(
            "No profile yet. Set one with `school-audit profile set --urn ... --name ...`.",
            EXIT_PROBLEM,
        )
    flags = ", ".join(sorted(k for k, v in profile.flags.items() if v)) or "none"
    rows = [
        ("URN", profile.urn), ("Name", profile.name), ("Setting", profile.setting_type.value),
        ("Phase", profile.phase), ("LA code", profile.la_code or "-"),
        ("District", profile.district or "-"), ("Flags", flags),
        ("DSL", profile.dsl.name or "-"), ("Head", profile.head.name or "-"),
        ("Chair of governors", profile.chair_of_governors.name or "-"),
    ]  # fmt: skip
    table([(f"{label}:", value) for label, value in rows])
    return EXIT_OK


def set_profile(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from school_audit.domain.profile import EstablishmentProfile

    with open_service() as service:
        current = service.profile()
        data = current.model_dump() if current else {}
        try:
            data = _apply_profile_arguments(data, args)
            profile = EstablishmentProfile.model_validate(data)
        except ValidationError as error:
            problems = [
                f"  - {'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg']}"
                for e in error.errors()
            ]
            return fail("The profile was not saved:\n" + "\n".join(problems), EXIT_PROBLEM)
        service.save_profile(profile)
    print(f"Saved the profile of {profile.name} (URN {profile.urn}).")
    return EXIT_OK


def _apply_profile_arguments(data: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    from school_audit.domain.setting import PROFILE_FLAGS, SettingType, phases_for

    for field in ("urn", "name", "setting_type", "phase", "la_code", "district"):
        if getattr(args, field) is not None:
            data[field] = getattr(args, field)
    for key, value in (
        ("dsl", args.dsl_name),
        ("head", args.head_name),
        ("chair_of_governors", args.chair_name),
    ):
        if value is not None:
            data[key] = {**data.get(key, {}), "name": value}
    unknown = [f for f in args.flag + args.clear_flag if f not in PROFILE_FLAGS]
    if unknown:
        raise ValueError(f"Unknown flag {unknown[0]!r}. Flags: {', '.join(PROFILE_FLAGS)}.")
    data["flags"] = {
        **data.get("flags", {}),
        **dict.fromkeys(args.flag, True),
        **dict.fromkeys(args.clear_flag, False),
    }
    setting = data.get("setting_type")
    if setting in ("school", "early_years") and data.get("phase") not in phases_for(
        SettingType(setting)
    ):
        phases = ", ".join(phases_for(SettingType(setting)))
        raise ValueError(f"Phase {data.get('phase')!r} is not one of: {phases}.")
    return data
