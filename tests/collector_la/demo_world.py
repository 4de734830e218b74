"""The demo county, seeded once per test module, and an oracle that recounts it from the raw
signed envelopes (never from the answer rows the aggregates read)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from school_audit.collector.db import Database, init_database
from school_audit.collector.db.tables import Establishment, Submission
from school_audit.collector.demo.seed import seed_demo
from school_audit.collector.keys import ensure_key_file
from school_audit.collector.register.sizes import size_band

TODAY = date(2026, 3, 2)


@dataclass
class DemoWorld:
    database: Database
    today: date

    def envelopes(
        self, cycle: str, setting_type: str | None = None, counted: bool = True
    ) -> list[tuple[Submission, dict]]:
        """The returns that count (not superseded, not quarantined), or with `counted=False`
        every return not superseded (those "received" in the completeness sense)."""
        left_out = ["superseded", "quarantined"] if counted else ["superseded"]
        with self.database.read() as session:
            rows = session.scalars(
                select(Submission).where(
                    Submission.cycle == cycle, Submission.status.not_in(left_out)
                )
            ).all()
        return [
            (row, json.loads(row.envelope))
            for row in rows
            if setting_type is None or row.setting_type == setting_type
        ]

    def register(self) -> dict[str, Establishment]:
        with self.database.read() as session:
            return {row.urn: row for row in session.scalars(select(Establishment))}

    def rating_counts(self, cycle: str, setting_type: str, dimension: str | None = None):
        """(group, standard id) -> Counter of ratings, from the envelopes."""
        register = self.register()
        counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for row, envelope in self.envelopes(cycle, setting_type):
            group = {
                None: "",
                "phase": row.phase,
                "district": row.district,
                "type": register[row.urn].type_group,
                "trust": register[row.urn].trust_name or "Not in a trust",
                "size": size_band(register[row.urn].pupils, row.setting_type),
            }[dimension]
            for response in envelope["responses"]:
                counts[(group, response["standard_id"])][response["rating"]] += 1
        return counts


def seed_world(folder: Path, url: str) -> DemoWorld:
    database = init_database(url)
    key, _ = ensure_key_file(folder / "collector-key")
    seed_demo(database, key, folder / "demo", today=TODAY, create_users=False)
    return DemoWorld(database, TODAY)
