"""Remote signing with a passkey (WebAuthn): the signatory's passkey is registered on first use at
the signing link, and their signature is an assertion over a challenge derived from the sealed
content and the role (`signing.passkeys.passkey_challenge`), so it verifies offline.

Registration: the browser's `navigator.credentials.create` with a challenge bound to this request;
the page sends the credential id, its public key as DER SubjectPublicKeyInfo (the browser's
`getPublicKey()`), the COSE algorithm, the client data JSON and the authenticator data, and the
one-time code emailed for this request. Checked: the code (so a link that leaked cannot register
someone else's passkey), type `webauthn.create`, the challenge, the origin, the rpIdHash, the
user-present flag and that the authenticator data names this credential. No attestation
statement is asked for ("none"): the person's mailbox is what binds the passkey to them.

Signing: `navigator.credentials.get` with the derived challenge and the person's credentials; the
assertion is checked against the stored public key, then the collector adds its own Ed25519
attestation (method `passkey`) over {content_sha256, role, name, method, verified_at}.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from school_audit.collector.db.tables import PasskeyCredential, SignOffRequest
from school_audit.collector.sign_off_requests import RequestRefused, check_code
from school_audit.domain.envelope import rfc3339
from school_audit.signing import (
    SignatureInvalid,
    SigningKey,
    b64url_decode,
    b64url_encode,
    sign_attestation,
)
from school_audit.signing.passkeys import (
    ALGORITHMS,
    USER_PRESENT,
    check_passkey_attestation,
    check_public_key,
    passkey_challenge,
)

MAX_FIELD = 8192  # base64url text of any one value the browser sends


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkey is for: the collector's host name, and the origin its pages are served on."""

    rp_id: str
    origin: str


def email_hash(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def registration_challenge(row: SignOffRequest) -> str:
    """Bound to this request (and its secret link): a registration made for another is refused."""
    seed = f"school-audit passkey registration\0{row.request_id}\0{row.link_hash}"
    return b64url_encode(hashlib.sha256(seed.encode("utf-8")).digest())


def credentials_of(session: Session, row: SignOffRequest, rp: RelyingParty) -> list[str]:
    query = select(PasskeyCredential.credential_id).where(
        PasskeyCredential.email_hash == email_hash(row.email), PasskeyCredential.rp_id == rp.rp_id
    )
    return list(session.scalars(query))


def options(session: Session, row: SignOffRequest, rp: RelyingParty) -> dict[str, Any]:
    """What the page's script needs for either ceremony."""
    return {
        "rp_id": rp.rp_id,
        "user_id": b64url_encode(bytes.fromhex(email_hash(row.email))[:16]),
        "user_name": row.name,
        "registration_challenge": registration_challenge(row),
        "challenge": passkey_challenge(row.content_sha256, row.role),
        "credential_ids": credentials_of(session, row, rp),
        "algorithms": list(ALGORITHMS),
    }


def register(
    session: Session, row: SignOffRequest, rp: RelyingParty, sent: Mapping[str, Any], now: datetime
) -> str:
    """Store the person's new passkey; RequestRefused says why not. Returns the credential id."""
    fields = _texts(sent, ("credential_id", "public_key", "client_data_json", "authenticator_data"))
    code = sent.get("code")
    if not isinstance(code, str) or not code.strip():
        raise RequestRefused(
            "The first time, a passkey needs the code from your email: press \"Email me a "
            "code\", type the code in its box, then press the passkey button again."
        )
    algorithm = sent.get("algorithm")
    if algorithm not in ALGORITHMS:
        raise RequestRefused("This passkey uses a kind of key the collector does not take.")
    client_data = _client_data(fields["client_data_json"], "webauthn.create", rp)
    if client_data.get("challenge") != registration_challenge(row):
        raise RequestRefused("This passkey was made for another signing request.")
    data = _decode(fields["authenticator_data"])
    _check_authenticator_data(data, rp)
    credential = _decode(fields["credential_id"])
    if (
        len(data) < 55
        or data[53:55] != len(credential).to_bytes(2, "big")
        or (data[55 : 55 + len(credential)] != credential)
    ):
        raise RequestRefused("The authenticator did not name this passkey.")
    try:
        check_public_key(fields["public_key"], algorithm)
    except SignatureInvalid as error:
        raise RequestRefused(f"The passkey's public key is not usable ({error}).") from None
    if session.get(PasskeyCredential, fields["credential_id"]) is not None:
        raise RequestRefused("This passkey is already registered.")
    check_code(row, code[:20], now)  # last: a wrong code counts, a malformed answer does not
    row.code_hash = None  # used up
    session.add(PasskeyCredential(
        credential_id=fields["credential_id"], email_hash=email_hash(row.email), rp_id=rp.rp_id,
        public_key=fields["public_key"], algorithm=algorithm,
        sign_count=int.from_bytes(data[33:37], "big"), created_at=now,
    ))  # fmt: skip
    session.flush()
    return fields["credential_id"]


def sign(
    session: Session,
    row: SignOffRequest,
    rp: RelyingParty,
    sent: Mapping[str, Any],
    key: SigningKey,
    now: datetime,
) -> dict[str, Any]:
    """Check the assertion against the person's passkey and make the `passkey` attestation."""
    fields = _texts(sent, ("credential_id", "authenticator_data", "client_data_json", "signature"))
    stored = session.get(PasskeyCredential, fields["credential_id"])
    if stored is None or stored.email_hash != email_hash(row.email) or stored.rp_id != rp.rp_id:
        raise RequestRefused("This passkey is not registered for you here.")
    _client_data(fields["client_data_json"], "webauthn.get", rp)  # the origin
    passkey = {**fields, "public_key": stored.public_key, "algorithm": stored.algorithm,
               "rp_id": rp.rp_id}  # fmt: skip
    problem = check_passkey_attestation(
        {"passkey": passkey}, content_sha256=row.content_sha256, role=row.role, rp_id=rp.rp_id
    )
    if problem is not None:
        raise RequestRefused(f"The passkey signature was not accepted: {problem}.")
    count = int.from_bytes(_decode(fields["authenticator_data"])[33:37], "big")
    if count and count <= stored.sign_count:
        raise RequestRefused("This passkey's counter went backwards: it may have been copied.")
    stored.sign_count, stored.last_used_at = max(count, stored.sign_count), now
    attestation = sign_attestation(key, content_sha256=row.content_sha256, role=row.role,
                                   name=row.name, verified_at=rfc3339(now), method="passkey")  # fmt: skip
    attestation["passkey"] = passkey
    row.status, row.finished_at, row.code_hash = "signed", now, None
    row.attestation = json.dumps(attestation, sort_keys=True)
    return attestation


def _texts(sent: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    values = {name: sent.get(name) for name in names}
    if any(not isinstance(v, str) or not v or len(v) > MAX_FIELD for v in values.values()):
        raise RequestRefused("The browser's answer was incomplete. Try again.")
    return {name: str(value) for name, value in values.items()}


def _decode(text: str) -> bytes:
    try:
        return b64url_decode(text)
    except SignatureInvalid:
        raise RequestRefused("The browser's answer was not in the expected form.") from None


def _client_data(text: str, kind: str, rp: RelyingParty) -> dict[str, Any]:
    try:
        client_data = json.loads(_decode(text))
    except ValueError:
        client_data = None
    if not isinstance(client_data, dict) or client_data.get("type") != kind:
        raise RequestRefused("The browser's answer was not of the expected kind.")
    if client_data.get("origin") != rp.origin:
        raise RequestRefused("The passkey was used on another site.")
    return client_data


def _check_authenticator_data(data: bytes, rp: RelyingParty) -> None:
    if len(data) < 37 or data[:32] != hashlib.sha256(rp.rp_id.encode("utf-8")).digest():
        raise RequestRefused("The passkey is for another site.")
    if not data[32] & USER_PRESENT:
        raise RequestRefused("The authenticator did not confirm you were present.")
    if not data[32] & 0x40:
        raise RequestRefused("The authenticator sent no new passkey.")
