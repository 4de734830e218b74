"""Which audit templates this device can use: the built-in ones plus those stored in the database
(received from the LA's collector, imported from a file, or kept with an audit that uses them)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from school_audit.content import builtin_templates
from school_audit.domain.setting import SettingType
from school_audit.domain.template import Template, TemplateRef
from school_audit.domain.template_loading import TemplateError
from school_audit.store.rows import StoredTemplate

if TYPE_CHECKING:  # not at run time: the window shows an audit before SQLAlchemy is loaded
    from school_audit.store import Store

log = logging.getLogger(__name__)


class TemplateNotFound(LookupError):
    """No template with that id, version (and content hash) on this device."""


class TemplateCatalogue:
    def __init__(self, store: Store) -> None:
        self._store = store
        # Parsing and validating a full template takes tens of milliseconds; templates are
        # immutable and named by their content hash, so each is parsed once per catalogue.
        self._parsed: dict[str, Template] = {}

    def templates(self, setting_type: SettingType | None = None) -> list[Template]:
        """Built-in and stored templates (one per id and version), sorted by id and version."""
        found: dict[tuple[str, str], Template] = {}
        for template in builtin_templates_or_none() + self._stored(setting_type):
            if setting_type is None or template.setting_type is setting_type:
                key = (template.id, template.version)
                if key not in found or _preferred(template, found[key]):
                    found[key] = template
        return sorted(found.values(), key=lambda t: (t.id, t.version))

    def find(self, ref: TemplateRef, sha256: str | None = None) -> Template:
        """The template `ref`, and if `sha256` is given, exactly that content."""
        known = self._parsed.get(sha256 or "")
        if known is not None and (known.id, known.version) == (ref.id, ref.version):
            return known
        for template in self._candidates(ref, sha256):
            if template is not None and (sha256 is None or template.sha256 == sha256):
                return template
        raise TemplateNotFound(f"template {ref.id} version {ref.version} is not on this device")

    def _candidates(self, ref: TemplateRef, sha256: str | None) -> Iterator[Template | None]:
        """The stored copy first, then the built-in ones: lazily, as the stored copy is nearly
        always the one (an audit keeps its template), and reading the built-ins takes a while."""
        stored = self._store.stored_template(ref.id, ref.version, sha256)
        if stored is not None:
            yield self._parse(stored)
        for template in builtin_templates_or_none():
            if template.id == ref.id and template.version == ref.version:
                yield template

    def add(self, template: Template, source: str) -> None:
        """Keep a template in the database (`source`: builtin, collector or file)."""
        self._store.save_template(template, source)

    def _stored(self, setting_type: SettingType | None) -> list[Template]:
        kind = setting_type.value if setting_type else None
        loaded = [self._parse(item) for item in self._store.stored_templates(kind)]
        return [template for template in loaded if template is not None]

    def _parse(self, item: StoredTemplate) -> Template | None:
        if item.sha256 not in self._parsed:
            template = _load(item)
            if template is None:
                return None
            self._parsed[item.sha256] = template
        return self._parsed[item.sha256]


def _preferred(template: Template, other: Template) -> bool:
    """The LA's merged view (national core and its local pack) stands in for the bare core,
    and a newer pack for an older one."""
    if template.local_pack is None:
        return False
    return other.local_pack is None or template.local_pack.version > other.local_pack.version


def builtin_templates_or_none() -> list[Template]:
    """The built-in templates, or none if their data files cannot be read (logged)."""
    try:
        return list(builtin_templates())
    except (TemplateError, OSError) as error:
        # A broken data file must not stop the app: the other templates stay usable.
        log.error("A built-in template could not be loaded: %s", error)
        return []


def _load(item: StoredTemplate) -> Template | None:
    """A stored template. It was checked before it was stored, so it is read back without checking
    again, with the hash stored beside it; a row that cannot be read is logged and skipped."""
    try:
        template = Template.from_trusted_json(item.template_json)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        log.error("A stored template could not be loaded: %s", error)
        return None
    template.remember_hash(item.sha256)
    return template
