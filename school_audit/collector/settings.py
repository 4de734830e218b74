"""The collector's one settings object, read from the environment (and CLI flags) once.

Environment variables are `SCHOOL_AUDIT_COLLECTOR_<FIELD>` (e.g. `..._DATABASE_URL`,
`..._SECURE_COOKIES=1`). The data folder is `$SCHOOL_AUDIT_COLLECTOR_HOME` or `./collector-data`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

ENV_PREFIX = "SCHOOL_AUDIT_COLLECTOR_"
SETTINGS_SCHEMA_VERSION = 1


def data_home() -> Path:
    """The collector's data folder: the SQLite file and the signing key live here by default."""
    return Path(os.environ.get(ENV_PREFIX + "HOME") or "collector-data")


class CollectorSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = SETTINGS_SCHEMA_VERSION
    home: Path = Field(default_factory=data_home)
    database_url: str = ""  # empty: a SQLite file in `home`
    key_file: Path | None = None  # empty: `home`/collector-signing-key
    body_limit_bytes: int = 2 * 1024 * 1024
    enrolment_days: int = 14
    # Enrolment tries: per client address and per code, within a sliding window.
    enrol_rate_per_ip: int = 10
    enrol_rate_per_code: int = 5
    enrol_rate_window_seconds: int = 600
    # Dashboard log-ins (used by the web package; docs/dashboard.md explains the limits).
    login_rate_per_ip: int = 10  # failed tries from one address, whatever the user names
    login_rate_per_account: int = 50  # failed tries on one account from every address together
    login_rate_window_seconds: int = 300
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDR
    # networks). Empty: none, and each request's address is the direct peer's.
    trusted_proxies: str = ""
    secure_cookies: bool = False  # set when served over TLS (behind a proxy that terminates it)
    # Steering snapshots (docs/la-guide.md): a new one is taken when the steering figures are
    # opened and at least this many settings sent or changed a return since the last (0: not on
    # that ground), or the last is this many days old and anything changed (0: never on age).
    snapshot_after_returns: int = 10
    snapshot_every_days: int = 0
    # Districts folded into wider areas on steering tables, "District=Area; District=Area"
    # (empty: small districts go into "Other districts"); fixed by a cycle's first snapshot.
    steering_areas: str = ""
    la_name: str = "Local authority"  # named on reports, e.g. the steering group's PDF pack
    session_secret_file: Path | None = None
    # --- Outgoing mail (collector/mail; docs/mail.md). The SMTP password is never a field here:
    # it comes from $SCHOOL_AUDIT_COLLECTOR_SMTP_PASSWORD or the file `smtp_password_file`, read
    # only when connecting, so it never reaches the database, a log or this object's repr.
    smtp_host: str = ""  # empty: mail is queued but not sent
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"  # tls: implicit TLS (465)
    smtp_username: str = ""  # empty: no login
    smtp_password_file: Path | None = None
    smtp_ca_file: Path | None = None  # extra CA certificate(s) to trust for the relay
    smtp_timeout_seconds: float = 30.0
    mail_from: str = ""  # e.g. "Safeguarding team <safeguarding@county.gov.uk>"
    mail_reply_to: str = ""
    mail_link: str = ""  # the address put in every email, e.g. the LA's audit guidance page
    # The collector's own address as people reach it, e.g. "https://audit.county.gov.uk": every
    # link to a collector page in an email (a signing link) starts with it, never with the Host
    # a request named. Empty: sign-off requests are refused (no link could be trusted).
    public_url: str = ""
    mail_templates_dir: Path | None = None  # empty: `home`/mail-templates overrides the bundled
    mail_max_attempts: int = 8  # temporary failures retried with backoff, then shown as failed

    @field_validator("steering_areas")
    @classmethod
    def _areas_are_pairs(cls, value: str) -> str:
        from school_audit.collector.aggregate.folding import parse_areas

        parse_areas(value)  # a malformed pair is refused when the settings are read
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url_is_a_site(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value:
            return ""
        parts = urlsplit(value)
        if (
            parts.scheme not in ("https", "http")
            or not parts.hostname
            or parts.query
            or parts.fragment
            or "@" in parts.netloc
        ):
            raise ValueError(
                "public_url must be the collector's web address, e.g. https://audit.county.gov.uk"
            )
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.home / 'collector.sqlite3').resolve()}"

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.home / "collector-signing-key"

    @property
    def resolved_mail_templates_dir(self) -> Path:
        return self.mail_templates_dir or self.home / "mail-templates"

    @classmethod
    def from_env(cls, **overrides: Any) -> CollectorSettings:
        """Settings from `SCHOOL_AUDIT_COLLECTOR_*` variables; non-None overrides win."""
        values: dict[str, Any] = {}
        for name in cls.model_fields:
            raw = os.environ.get(ENV_PREFIX + name.upper())
            if raw not in (None, ""):
                values[name] = raw
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls.model_validate(values)
