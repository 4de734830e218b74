"""Receiving a signed return: verify it, keep it byte-for-byte, copy its answers, sign a receipt."""

from school_audit.collector.ingest.errors import IngestRejected
from school_audit.collector.ingest.service import Ingestor, IngestResult

__all__ = ["IngestRejected", "IngestResult", "Ingestor"]
