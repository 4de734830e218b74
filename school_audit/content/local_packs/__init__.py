"""Local packs shipped as examples: one LA's additions under the national templates, as JSON
data files here (docs/templates.md, "Local packs"). The demo LA publishes Worcestershire's."""

from __future__ import annotations

from functools import cache

from school_audit.domain.local_pack import LocalPack, load_local_pack


@cache
def builtin_local_packs() -> tuple[LocalPack, ...]:
    """Every shipped local pack, validated, sorted by id and version."""
    from importlib import resources

    folder = resources.files(__package__)
    packs = [
        load_local_pack(item.read_bytes())
        for item in folder.iterdir()
        if item.name.endswith(".json")
    ]
    return tuple(sorted(packs, key=lambda p: (p.id, p.version)))


def builtin_local_pack(pack_id: str, version: str | None = None) -> LocalPack:
    """A shipped pack by id (the newest version unless one is named)."""
    matches = [p for p in builtin_local_packs() if p.id == pack_id]
    if version is not None:
        matches = [p for p in matches if p.version == version]
    if not matches:
        raise KeyError(
            f"no built-in local pack {pack_id!r}" + (f" version {version!r}" if version else "")
        )
    return matches[-1]
