"""The reasons risk triage flags a setting, in words, most urgent first (triage and lists)."""

from __future__ import annotations

FLAG_LABELS = {
    "statutory_not_met": "Statutory standard not met",
    "dsl_training_expired": "DSL training expired",
    "dsl_training_missing": "DSL training date missing",
    "dsl_training_expiring": "DSL training expiring within six months",
    "no_filtering_review": "No filtering and monitoring review",
    "missing_return": "Return missing",
    "late_return": "Return late",
}
URGENT = {"statutory_not_met", "dsl_training_expired", "missing_return", "no_filtering_review"}
