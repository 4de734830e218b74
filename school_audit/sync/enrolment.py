"""Enrolling this computer with the LA's collector, and what enrolment leaves behind.

Enrolment makes a fresh Ed25519 key pair here, sends only the public half with the one-time code,
and gets back a bearer token, the device's key id and the collector's public key (pinned: every
receipt must verify against it). The private key and token go to the OS keyring; the rest are
ordinary settings in the local database.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.headerregistry import Address
from typing import Any, Protocol

from school_audit.credentials import DEVICE_KEY, DEVICE_TOKEN, SecretStore
from school_audit.signing import SignatureInvalid, SigningKey, public_key_bytes
from school_audit.sync import errors
from school_audit.sync.client import CollectorClient
from school_audit.sync.collector_keys import remember_device_key

log = logging.getLogger(__name__)

# Non-secret settings (store.set_setting refuses names that look like secrets).
COLLECTOR_URL = "collector_url"
CA_BUNDLE = "collector_ca_bundle"
DEVICE_ID = "device_id"
DEVICE_KEY_ID = "device_key_id"
COLLECTOR_PUBLIC_KEY = "collector_public_key"
ESTABLISHMENT = "enrolled_establishment"
DEVICE_NAME = "device_name"
ENROLLED_AT = "enrolled_at"
ALL_SETTINGS = (COLLECTOR_URL, CA_BUNDLE, DEVICE_ID, DEVICE_KEY_ID, COLLECTOR_PUBLIC_KEY,
                ESTABLISHMENT, DEVICE_NAME, ENROLLED_AT)  # fmt: skip
_PROBE = "keyring-check"
MAX_EMAIL = 320


def checked_dsl_email(text: str | None) -> str | None:
    """The DSL's address as typed (None when left empty), or a ValueError in plain words.

    The collector checks it the same way; this catches typing slips before the one-time code is
    spent. The LA's mail server has the last word on whether the mailbox exists."""
    text = (text or "").strip()
    if not text:
        return None
    if (
        len(text) > MAX_EMAIL
        or any(ch in text for ch in ' ,;<>"\r\n\t')
        or text.count("@") != 1
        or not _plausible(text)
    ):
        raise ValueError("enter one email address, such as dsl@school.example.sch.uk")
    return text


def _plausible(text: str) -> bool:
    try:
        address = Address(addr_spec=text)
    except (ValueError, IndexError, HeaderParseError):  # the parser's own error is no ValueError
        return False
    return bool(address.username) and "." in address.domain.strip(".")


class SettingsStore(Protocol):
    def get_setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str | None) -> None: ...


@dataclass(frozen=True)
class Enrolment:
    collector_url: str
    device_id: str
    device_key_id: str
    collector_public_key: str
    establishment: dict[str, Any]
    device_name: str
    enrolled_at: str
    ca_bundle: str | None = None

    @property
    def urn(self) -> str:
        return str(self.establishment.get("urn", ""))


def load_enrolment(store: SettingsStore) -> Enrolment | None:
    """What enrolment stored, or None if this computer is not enrolled."""
    values = {key: store.get_setting(key) for key in ALL_SETTINGS}
    required = (COLLECTOR_URL, DEVICE_ID, DEVICE_KEY_ID, COLLECTOR_PUBLIC_KEY)
    if any(not values[key] for key in required):
        return None
    return Enrolment(
        collector_url=str(values[COLLECTOR_URL]),
        device_id=str(values[DEVICE_ID]),
        device_key_id=str(values[DEVICE_KEY_ID]),
        collector_public_key=str(values[COLLECTOR_PUBLIC_KEY]),
        establishment=json.loads(values[ESTABLISHMENT] or "{}"),
        device_name=values[DEVICE_NAME] or "",
        enrolled_at=values[ENROLLED_AT] or "",
        ca_bundle=values[CA_BUNDLE] or None,
    )


def check_secret_store(secrets: SecretStore) -> None:
    """Fail (KeyringUnavailable) before an enrolment code is spent if secrets cannot be kept."""
    secrets.set(_PROBE, "ok")
    if secrets.get(_PROBE) != "ok":
        from school_audit.credentials import KeyringUnavailable

        raise KeyringUnavailable("the keyring did not keep a test value")
    secrets.delete(_PROBE)


def enrol_device(
    store: SettingsStore,
    secrets: SecretStore,
    client: CollectorClient,
    *,
    code: str,
    device_name: str,
    ca_bundle: str | None = None,
    dsl_email: str | None = None,
) -> Enrolment:
    """Enrol with the collector `client` points at; secrets to `secrets`, the rest to `store`.
    `dsl_email` (optional) is where the LA sends its reminders and notices."""
    email = checked_dsl_email(dsl_email)
    check_secret_store(secrets)
    key = SigningKey.generate()
    reply = client.enrol(code.strip(), key.public_key_b64, device_name.strip(), email)
    try:
        public_key_bytes(reply.collector_public_key)
    except SignatureInvalid:
        raise errors.ServerError("the collector sent a malformed public key") from None
    secrets.set(DEVICE_KEY, key.secret())
    secrets.set(DEVICE_TOKEN, reply.token)
    # Its public half stays on record after a later enrolment: the school's archive checks the
    # returns this key signed (the private half is replaced in the keyring).
    remember_device_key(store, key.key_id, key.public_key_b64)
    enrolment = Enrolment(
        collector_url=client.base_url,
        device_id=reply.device_id,
        device_key_id=reply.device_key_id,
        collector_public_key=reply.collector_public_key,
        establishment=reply.establishment,
        device_name=device_name.strip(),
        enrolled_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        ca_bundle=ca_bundle,
    )
    _save(store, enrolment)
    log.info("Enrolled as device %s (key %s)", enrolment.device_id, enrolment.device_key_id)
    return enrolment


def _save(store: SettingsStore, enrolment: Enrolment) -> None:
    values = {
        COLLECTOR_URL: enrolment.collector_url,
        CA_BUNDLE: enrolment.ca_bundle,
        DEVICE_ID: enrolment.device_id,
        DEVICE_KEY_ID: enrolment.device_key_id,
        COLLECTOR_PUBLIC_KEY: enrolment.collector_public_key,
        ESTABLISHMENT: json.dumps(enrolment.establishment, sort_keys=True),
        DEVICE_NAME: enrolment.device_name,
        ENROLLED_AT: enrolment.enrolled_at,
    }
    for key, value in values.items():
        store.set_setting(key, value)


def forget_enrolment(store: SettingsStore, secrets: SecretStore) -> None:
    """Remove the device's secrets and settings (e.g. before enrolling again elsewhere)."""
    secrets.delete(DEVICE_KEY)
    secrets.delete(DEVICE_TOKEN)
    for key in ALL_SETTINGS:
        store.set_setting(key, None)


def device_signing_key(secrets: SecretStore) -> SigningKey:
    secret = secrets.get(DEVICE_KEY)
    if not secret:
        raise errors.NotEnrolled("the device key is missing from the keyring: enrol again")
    try:
        return SigningKey.from_secret(secret)
    except (SignatureInvalid, ValueError):
        raise errors.NotEnrolled("the device key in the keyring is damaged: enrol again") from None


def device_token(secrets: SecretStore) -> str:
    token = secrets.get(DEVICE_TOKEN)
    if not token:
        raise errors.NotEnrolled("the device token is missing from the keyring: enrol again")
    return token
