"""Request and response bodies of the device API (kept apart from the tables)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SkipValidation, StringConstraints

from school_audit.collector.mail.config import checked_address
from school_audit.domain.envelope import Envelope

EmailText = Annotated[
    str,
    StringConstraints(max_length=320, strip_whitespace=True),
    AfterValidator(checked_address),
]
Signature = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class EnrolmentRequest(BaseModel):
    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    public_key: Annotated[str, StringConstraints(min_length=1, max_length=100)] = Field(
        description="base64url (no padding) of the device's 32-byte Ed25519 public key"
    )
    device_name: Annotated[
        str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)
    ]
    # Optional (mail, docs/mail.md): the DSL's address, kept unless an LA officer set another.
    dsl_email: EmailText | None = None


class EstablishmentOut(BaseModel):
    urn: str
    name: str
    setting_type: str
    phase: str
    la_code: str | None = None
    district: str | None = None


class EnrolmentResponse(BaseModel):
    device_id: str
    device_key_id: str
    token: str
    establishment: EstablishmentOut
    collector_public_key: str
    collector_key_id: str


class TemplateSummary(BaseModel):
    id: str
    version: str
    sha256: str
    setting_type: str
    cycle: str
    title: str


class SubmissionRequest(BaseModel):
    # Checked against Envelope by the ingestor, in the thread pool: a large envelope takes tens of
    # milliseconds to validate, which on the event loop would hold up every other request. The
    # OpenAPI description still shows the Envelope schema.
    envelope: Annotated[Envelope, SkipValidation]
    signature: Signature


class ReceiptOut(BaseModel):
    """Signed over everything but `signature`; may carry `quarantine_reason` when quarantined."""

    model_config = ConfigDict(extra="allow")

    submission_id: str
    received_at: str
    envelope_sha256: str
    status: str
    collector_key_id: str
    signature: str


class SubmissionResponse(BaseModel):
    receipt: ReceiptOut


class ReviewOut(BaseModel):
    decision: str
    comments: dict[str, Any]
    general_comment: str
    reviewed_at: str


class FeedbackLetterOut(BaseModel):
    issued_at: str  # when the LA issued it; fetch it from /submissions/{id}/feedback-letter


class SubmissionStatus(BaseModel):
    submission_id: str
    status: str
    review: ReviewOut | None = None
    # Optional: once accepted, the collector's signed acceptance record (signing/acceptance.py).
    acceptance: dict[str, Any] | None = None
    # Optional: present once the LA has issued its feedback letter on this return.
    feedback_letter: FeedbackLetterOut | None = None
