"""Placeholder: commands arrive with their feature."""

from school_audit.cli.registry import Commands


def register(commands: Commands) -> None:
    pass
