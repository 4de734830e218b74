"""Download what the LA publishes for this device: its templates and, where the LA has one, the
local pack merged under each (docs/templates.md, "Local packs").

Everything downloaded is checked as if it came from a file, and its hash must be the one the
collector listed, so a proxy or a half-finished download cannot slip in other content.
"""

from __future__ import annotations

from typing import Any

from school_audit.domain.local_pack import LocalPack, LocalPackError, load_local_pack
from school_audit.domain.local_pack_merge import merge_pack, pack_applies
from school_audit.domain.template import Template
from school_audit.domain.template_loading import TemplateError, load_template
from school_audit.sync import errors
from school_audit.sync.client import CollectorClient


def download_templates(client: CollectorClient) -> list[Template]:
    """Each published template, merged with the newest local pack that applies to it.

    Raises a `CollectorError` for the network or a reply that is not what was listed.
    """
    templates = [_template(client, summary) for summary in client.templates()]
    packs = [_pack(client, summary) for summary in client.local_packs()]
    return [_merged(template, packs) for template in templates]


def _template(client: CollectorClient, summary: dict[str, Any]) -> Template:
    template_id, version = _named(summary)
    try:
        template = load_template(client.template(template_id, version))
    except TemplateError as error:
        raise errors.ServerError(
            f"template {template_id} {version} is not usable: {error}"
        ) from None
    _same_hash(f"template {template_id} {version}", template.sha256, summary)
    return template


def _pack(client: CollectorClient, summary: dict[str, Any]) -> LocalPack:
    pack_id, version = _named(summary)
    try:
        pack = load_local_pack(client.local_pack(pack_id, version))
    except LocalPackError as error:
        raise errors.ServerError(f"local pack {pack_id} {version} is not usable: {error}") from None
    _same_hash(f"local pack {pack_id} {version}", pack.sha256, summary)
    return pack


def _named(summary: dict[str, Any]) -> tuple[str, str]:
    if not isinstance(summary, dict) or not all(
        isinstance(summary.get(key), str) for key in ("id", "version", "sha256")
    ):
        raise errors.ServerError("the collector's list has an entry without id, version and sha256")
    return summary["id"], summary["version"]


def _same_hash(what: str, actual: str, summary: dict[str, Any]) -> None:
    if actual != summary["sha256"]:
        raise errors.ServerError(f"{what} does not match the hash the collector listed")


def _merged(template: Template, packs: list[LocalPack]) -> Template:
    fitting = sorted((p for p in packs if pack_applies(template, p)), key=lambda p: p.version)
    if not fitting:
        return template
    try:
        return merge_pack(template, fitting[-1])
    except LocalPackError as error:  # the collector checked it when it was published
        raise errors.ServerError(
            f"local pack {fitting[-1].id} does not fit {template.id}: {error}"
        ) from None
