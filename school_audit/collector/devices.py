"""Enrolled devices: who is calling, by bearer token; listing and revoking them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import Device, Establishment
from school_audit.collector.db.types import utc_now


def secret_hash(secret: str) -> str:
    """SHA-256 hex of a high-entropy secret (token or enrolment code): what the database keeps."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DeviceIdentity:
    device_id: str
    device_key_id: str
    public_key: str
    urn: str
    setting_type: str
    phase: str
    district: str | None


class DeviceRefused(Exception):
    """No device has this token, or it was revoked (the message says which, for logs only)."""


# Built once: every upload runs it (building a statement costs more than running it).
_BY_TOKEN = (
    select(
        Device.device_id,
        Device.device_key_id,
        Device.public_key,
        Device.urn,
        Device.revoked_at,
        Establishment.setting_type,
        Establishment.phase,
        Establishment.district,
    )
    .join(Establishment, Establishment.urn == Device.urn)
    .where(Device.token_hash == bindparam("token_hash"))
)


def authenticate(session: Session, token: str) -> DeviceIdentity:
    """The device holding this token, checked against the database on every call: a revocation
    takes effect at once, in every process (plain columns: no ORM objects are built)."""
    row = session.execute(_BY_TOKEN, {"token_hash": secret_hash(token)}).first()
    if row is None:
        raise DeviceRefused("unknown token")
    if row.revoked_at is not None:
        raise DeviceRefused("revoked device")
    return DeviceIdentity(
        device_id=row.device_id,
        device_key_id=row.device_key_id,
        public_key=row.public_key,
        urn=row.urn,
        setting_type=row.setting_type,
        phase=row.phase,
        district=row.district,
    )


def revoke_device(session: Session, device_id: str) -> bool:
    """Revoke; False if there is no such device. Revoking twice keeps the first time."""
    device = session.get(Device, device_id)
    if device is None:
        return False
    if device.revoked_at is None:
        device.revoked_at = utc_now()
    return True


def list_devices(session: Session, urn: str | None = None) -> list[Device]:
    query = select(Device).order_by(Device.urn, Device.enrolled_at)
    if urn:
        query = query.where(Device.urn == urn)
    return list(session.scalars(query))
