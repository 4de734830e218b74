"""The built-in audit templates, shipped as JSON data files in `templates/`."""

from __future__ import annotations

from functools import cache

from school_audit.domain.template import Template
from school_audit.domain.template_loading import load_template


@cache
def builtin_templates() -> tuple[Template, ...]:
    """Every built-in template, validated, sorted by setting type, id and version."""
    from importlib import resources  # here: the window opens a stored audit without it

    folder = resources.files(__package__).joinpath("templates")
    templates = [
        load_template(item.read_bytes())
        for item in folder.iterdir()
        if item.name.endswith(".json")
    ]
    return tuple(sorted(templates, key=lambda t: (t.setting_type, t.id, t.version)))


def builtin_template(template_id: str, version: str | None = None) -> Template:
    """A built-in template by id (the newest version unless one is named)."""
    matches = [t for t in builtin_templates() if t.id == template_id]
    if version is not None:
        matches = [t for t in matches if t.version == version]
    if not matches:
        raise KeyError(f"no built-in template {template_id!r}" + (f" version {version!r}" if version else ""))
    return matches[-1]
