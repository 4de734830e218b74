"""download_templates checks what it downloads against what the collector listed."""

from __future__ import annotations

import json

import pytest

from school_audit.domain.local_pack import load_local_pack
from school_audit.domain.template_loading import load_template
from school_audit.sync import errors
from school_audit.sync.template_download import download_templates
from tests.conftest import FIXTURES

TEMPLATE = json.loads((FIXTURES / "mini_school_template.json").read_text())
PACK = json.loads((FIXTURES / "mini_local_pack.json").read_text())


def _pack_sha(data):
    try:
        return load_local_pack(data).sha256
    except ValueError:  # a broken pack: the collector would list some hash for it
        return "f" * 64


class ListedCollector:
    """Answers as a collector would, from dicts (the HTTP side is tested end to end)."""

    def __init__(self, templates, packs, listed_sha=None):
        self._templates = {(t["id"], t["version"]): t for t in templates}
        self._packs = {(p["id"], p["version"]): p for p in packs}
        self._listed_sha = listed_sha or {}

    def _summary(self, data, sha):
        key = (data["id"], data["version"])
        return {"id": key[0], "version": key[1], "sha256": self._listed_sha.get(key, sha)}

    def templates(self):
        return [self._summary(t, load_template(t).sha256) for t in self._templates.values()]

    def template(self, template_id, version):
        return self._templates[(template_id, version)]

    def local_packs(self):
        return [self._summary(p, _pack_sha(p)) for p in self._packs.values()]

    def local_pack(self, pack_id, version):
        return self._packs[(pack_id, version)]


def test_the_newest_pack_that_applies_is_merged():
    newer = {**PACK, "version": "2025-26.2", "title": "Mini County local pack, spring update"}
    other = {**PACK, "id": "elsewhere", "applies_to": ["another-template"]}
    (template,) = download_templates(ListedCollector([TEMPLATE], [PACK, newer, other]))
    assert (template.local_pack.id, template.local_pack.version) == ("mini-county", "2025-26.2")


def test_content_that_is_not_what_was_listed_is_refused():
    listed = {("mini-county", "2025-26.1"): "0" * 64}
    with pytest.raises(errors.ServerError, match="does not match the hash"):
        download_templates(ListedCollector([TEMPLATE], [PACK], listed))
    listed = {("mini-school", TEMPLATE["version"]): "0" * 64}
    with pytest.raises(errors.ServerError, match="does not match the hash"):
        download_templates(ListedCollector([TEMPLATE], [], listed))


def test_a_pack_that_breaks_the_rules_is_refused_not_merged():
    bad = {**PACK, "notes": [{**PACK["notes"][0], "statutory": True}]}
    with pytest.raises(errors.ServerError, match="is not usable"):
        download_templates(ListedCollector([TEMPLATE], [bad]))
