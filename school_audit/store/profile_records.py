"""The establishment profile, stored templates and non-secret settings."""

from __future__ import annotations

import re

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from school_audit.domain.profile import EstablishmentProfile
from school_audit.domain.template import Template
from school_audit.store import rows
from school_audit.store.audit_records import NOT_SEALED
from school_audit.store.database import Database
from school_audit.store.rows import StoredTemplate
from school_audit.store.tables import audits, profile, settings, templates

__all__ = ["ProfileRecords", "StoredTemplate"]

# Tokens and keys live in the OS keyring only; refuse anything that looks like one.
_SECRET_KEY = re.compile(r"token|secret|password|private|credential", re.IGNORECASE)


class ProfileRecords(Database):
    def load_profile(self) -> EstablishmentProfile | None:
        with self.read() as connection:
            text = connection.execute(select(profile.c.profile_json)).scalar()
        return rows.profile_from_json(text) if text else None

    def save_profile(self, value: EstablishmentProfile) -> None:
        """Save the profile, and in the same transaction give it to every draft audit.

        A signed audit keeps the profile it was signed with: that is what the envelope says. So
        does a sealed one (its signatories signed that content); unsealing it does not bring the
        new profile in, but the next save of the profile does.
        """
        text = value.model_dump_json()
        row = {"id": 1, "profile_json": text, "updated_at": rows.utc_text()}
        upsert = sqlite_insert(profile).values(row)
        upsert = upsert.on_conflict_do_update(index_elements=[profile.c.id], set_=row)
        with self.write() as connection:
            connection.execute(upsert)
            connection.execute(
                update(audits)
                .where(audits.c.state == "draft", NOT_SEALED)
                .values(profile_json=text)
            )

    def save_template(self, template: Template, source: str) -> None:
        """Keep a template. Copies with other content under the same id and version are kept too."""
        row = {
            "template_id": template.id,
            "version": template.version,
            "sha256": template.sha256,
            "setting_type": template.setting_type.value,
            "cycle": template.cycle,
            "title": template.title,
            "template_json": rows.dumps(template.to_json()),
            "source": source,
            "stored_at": rows.utc_text(),
        }
        upsert = sqlite_insert(templates).values(row)
        upsert = upsert.on_conflict_do_update(
            index_elements=[templates.c.template_id, templates.c.version, templates.c.sha256],
            set_={"source": row["source"]},
        )
        with self.write() as connection:
            connection.execute(upsert)

    def stored_templates(self, setting_type: str | None = None) -> list[StoredTemplate]:
        query = select(templates.c.template_json, templates.c.sha256, templates.c.source)
        if setting_type is not None:
            query = query.where(templates.c.setting_type == setting_type)
        with self.read() as connection:
            found = connection.execute(query.order_by(templates.c.template_id, templates.c.version))
            return [StoredTemplate(*row) for row in found]

    def stored_template(
        self, template_id: str, version: str, sha256: str | None = None
    ) -> StoredTemplate | None:
        """The stored template with that id and version (and hash, if given; else the newest)."""
        query = select(templates.c.template_json, templates.c.sha256, templates.c.source).where(
            templates.c.template_id == template_id, templates.c.version == version
        )
        if sha256 is not None:
            query = query.where(templates.c.sha256 == sha256)
        query = query.order_by(templates.c.stored_at.desc()).limit(1)
        with self.read() as connection:
            row = connection.execute(query).first()
        return StoredTemplate(*row) if row else None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        """A non-secret setting (e.g. `collector_url`, `device_key_id`)."""
        with self.read() as connection:
            value = connection.execute(select(settings.c.value).where(settings.c.key == key))
            found = value.scalar()
        return default if found is None else str(found)

    def set_setting(self, key: str, value: str | None) -> None:
        """Set (or with None, remove) a setting. Keys naming a token or key are refused."""
        if _SECRET_KEY.search(key):
            raise ValueError(f"{key!r} looks like a secret: secrets belong in the OS keyring")
        with self.write() as connection:
            if value is None:
                connection.execute(delete(settings).where(settings.c.key == key))
                return
            upsert = sqlite_insert(settings).values(key=key, value=value)
            upsert = upsert.on_conflict_do_update(
                index_elements=[settings.c.key], set_={"value": value}
            )
            connection.execute(upsert)
