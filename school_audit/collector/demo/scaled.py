"""A made-up county the size of Worcestershire (about 240 schools and 500 early-years settings),
seeded, for measuring the steering pack at a real LA's scale (bench/bench_suppression.py and
its test). Names are invented ("School 17"); nothing is signed: the rows are written as ingest
would have stored them, then the kept counts are rebuilt, so every aggregate reads them as usual.

The mix follows a two-tier county: six districts of different sizes, first/middle/high schools
in some and primary/secondary in others, a handful of special schools, one pupil referral unit
and nursery schools; about half the schools in one of some forty trusts (most with two to six
schools); early-years settings mostly pre-schools, day nurseries and childminders.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert

from school_audit.collector.aggregate import kept
from school_audit.collector.catalog import publish_template
from school_audit.collector.cycles import close_cycle, open_cycle
from school_audit.collector.db import Database
from school_audit.collector.db.tables import (
    ActionRow,
    Answer,
    CurrentReturn,
    Establishment,
    Submission,
)
from school_audit.content import builtin_template

CURRENT, PREVIOUS = "2025-26", "2024-25"
TEMPLATES = {
    (PREVIOUS, "school"): ("school-s175", "2024-25.1"),
    (CURRENT, "school"): ("school-s175", "2025-26.1"),
    (CURRENT, "early_years"): ("early-years-eyfs", "2025-26.1"),
}
DISTRICTS = {  # district -> share of settings (two-tier districts first)
    "Wychavon": 0.22, "Worcester": 0.18, "Wyre Forest": 0.17, "Bromsgrove": 0.16,
    "Malvern Hills": 0.15, "Redditch": 0.12,
}  # fmt: skip
TWO_TIER = ("Wychavon", "Redditch", "Bromsgrove")  # a tuple: the seeded county is the same every run
SCHOOL_MIX = [  # (phase, schools); first/middle/high only in two-tier districts
    ("first", 55), ("middle_deemed_secondary", 14), ("high", 10), ("primary", 120),
    ("secondary", 20), ("special", 11), ("pru_ap", 2), ("nursery", 5), ("all_through", 3),
]  # fmt: skip
EARLY_YEARS_MIX = [
    ("childminder", 200), ("pre_school", 150), ("day_nursery", 110), ("out_of_school", 30),
    ("school_run_nursery", 7), ("domestic_premises", 3),
]  # fmt: skip
ROLL = {"first": (60, 300), "middle_deemed_secondary": (250, 600), "high": (700, 1500),
        "primary": (30, 650), "secondary": (600, 1700), "special": (40, 250),
        "pru_ap": (15, 60), "nursery": (40, 120), "all_through": (900, 1800)}  # fmt: skip
PLACES = {"childminder": (3, 6), "pre_school": (16, 40), "day_nursery": (30, 120),
          "out_of_school": (20, 60), "school_run_nursery": (20, 52),
          "domestic_premises": (6, 20)}  # fmt: skip


def seed_county(database: Database, seed: int = 885, today: date | None = None) -> dict[str, int]:
    """Seed an empty collector database; returns how many of each kind were written."""
    rng = random.Random(seed)
    today = today or date(2026, 3, 2)
    first = today - timedelta(days=7)
    with database.write() as session:
        for (cycle, _), ref in TEMPLATES.items():
            publish_template(session, builtin_template(*ref), cycle)
        for cycle, shift in ((PREVIOUS, 365), (CURRENT, 0)):
            refs = [ref for (c, _), ref in TEMPLATES.items() if c == cycle]
            start = first - timedelta(days=shift)
            open_cycle(session, cycle, refs, start, start + timedelta(days=28), "demo")
    places = _schools(rng) + _early_years(rng)
    with database.write() as session:
        session.execute(insert(Establishment), [p["row"] for p in places])
    written = {"settings": len(places), "returns": 0}
    for cycle in (PREVIOUS, CURRENT):
        written["returns"] += _returns(database, places, cycle, first, rng)
    with database.write() as session:
        close_cycle(session, PREVIOUS, "demo")
        kept.rebuild_all(session.connection())  # rows were written directly: every kept count
    return written


def _district(rng: random.Random, phase: str) -> str:
    names = list(DISTRICTS)
    if phase in ("first", "middle_deemed_secondary", "high"):
        names = [d for d in names if d in TWO_TIER]
    elif phase in ("primary", "secondary"):
        names = [d for d in names if d not in TWO_TIER] + list(TWO_TIER)[:1]
    return rng.choices(names, [DISTRICTS[d] for d in names])[0]


def _schools(rng: random.Random) -> list[dict[str, Any]]:
    trusts = [f"Trust {n}" for n in range(1, 41)]
    # A few large trusts and many small ones, as in most counties.
    weights = [12 if n < 4 else 3 if n < 15 else 1 for n in range(len(trusts))]
    found: list[dict[str, Any]] = []
    for phase, count in SCHOOL_MIX:
        for _ in range(count):
            number = len(found) + 1
            academy = phase not in ("nursery", "pru_ap") and rng.random() < 0.5
            kind = "academy" if academy else "maintained"
            if phase == "special" and rng.random() < 0.2:
                kind = "independent"
            trust = rng.choices(trusts, weights)[0] if academy else None
            low, high = ROLL[phase]
            row = _row(f"{980000 + number}", f"School {number}", "school", phase, kind,
                       _district(rng, phase), trust, rng.randint(low, high))  # fmt: skip
            found.append({"row": row, "quality": rng.uniform(0.72, 0.97)})
    return found


def _early_years(rng: random.Random) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for phase, count in EARLY_YEARS_MIX:
        for _ in range(count):
            number = len(found) + 1
            low, high = PLACES[phase]
            group = "childminder" if phase == "childminder" else "early_years_group"
            row = _row(f"EY98{number:04d}", f"Setting {number}", "early_years", phase,
                       group, _district(rng, phase), None, rng.randint(low, high))  # fmt: skip
            found.append({"row": row, "quality": rng.uniform(0.7, 0.97)})
    return found


def _row(urn: str, name: str, kind: str, phase: str, group: str, district: str,
         trust: str | None, pupils: int) -> dict[str, Any]:  # fmt: skip
    return {
        "urn": urn, "name": name, "setting_type": kind, "phase": phase, "district": district,
        "type_group": group, "status": "open", "source": "demo", "trust_name": trust,
        "pupils": pupils, "updated_at": datetime.now(UTC),
    }  # fmt: skip


def _flags(row: dict[str, Any], rng: random.Random) -> dict[str, bool]:
    """Profile facts as a school or setting of this kind would give them (they switch
    standards on and off, so some tables count only part of the register)."""
    phase = row["phase"]
    return {
        "has_eyfs": phase in ("primary", "first", "nursery", "all_through") or (
            phase == "special" and rng.random() < 0.5),
        "has_sixth_form": phase in ("high", "all_through") or (
            phase in ("secondary", "special") and rng.random() < 0.4),
        "boarding": phase == "special" and rng.random() < 0.2,
        "uses_alternative_provision": phase in ("secondary", "high", "middle_deemed_secondary")
        and rng.random() < 0.6,
        "lets_premises": rng.random() < 0.3,
        "is_mat_or_federation": bool(row["trust_name"]),
        "is_maintained": row["type_group"] == "maintained",
        "is_independent": row["type_group"] == "independent",
        "childminder": phase == "childminder",
        "works_alone": phase == "childminder" and rng.random() < 0.6,
    }  # fmt: skip


def _returns(
    database: Database, places: list[dict[str, Any]], cycle: str, first: date, rng: random.Random
) -> int:
    shift = timedelta(days=365 if cycle == PREVIOUS else 0)
    submissions, current, answers, actions = [], [], [], []
    for place in places:
        row = place["row"]
        ref = TEMPLATES.get((cycle, row["setting_type"]))
        if ref is None or rng.random() > (0.93 if cycle == PREVIOUS else 0.84):
            continue
        template = builtin_template(*ref)
        late = rng.random() < 0.12
        day = first - shift + timedelta(days=rng.randint(1, 10) if late else -rng.randint(1, 40))
        received = datetime.combine(day, time(10), UTC) + timedelta(minutes=rng.randint(0, 400))
        sid = str(uuid.UUID(int=rng.getrandbits(128)))
        submissions.append({
            "submission_id": sid, "audit_id": str(uuid.UUID(int=rng.getrandbits(128))),
            "revision": 1, "urn": row["urn"], "cycle": cycle, "setting_type": row["setting_type"],
            "phase": row["phase"], "district": row["district"], "template_id": ref[0],
            "template_version": ref[1], "template_sha256": "0" * 64, "envelope": b"{}",
            "envelope_sha256": "0" * 64, "signature": "-", "device_key_id": "demo",
            "status": rng.choice(["received", "accepted", "accepted"]), "received_at": received,
            "signed_at": received,
        })  # fmt: skip
        current.append({"submission_id": sid, "cycle": cycle, "urn": row["urn"],
                        "setting_type": row["setting_type"], "counted_as": "{}"})  # fmt: skip
        quality = place["quality"] - (0.05 if cycle == PREVIOUS else 0)
        applicable = template.applicable(row["phase"], _flags(row, rng))
        for index, standard in enumerate(s for s in applicable if s.is_rated):
            hard = 0.25 if index % 17 == 3 else 0.1 if index % 7 == 2 else 0.0
            roll = rng.random()
            rating = (
                "not_applicable" if roll < 0.02 else "met" if roll < quality - hard
                else "partially_met" if roll < quality - hard + (1 - quality + hard) * 0.7
                else "not_met"
            )  # fmt: skip
            answers.append({
                "submission_id": sid, "standard_id": standard.id, "rating": rating,
                "evidence": "", "na_reason": None, "dates": None, "urn": row["urn"],
                "cycle": cycle, "phase": row["phase"], "district": row["district"],
                "setting_type": row["setting_type"], "current": True,
            })  # fmt: skip
            if rating != "met" and rating != "not_applicable" and rng.random() < 0.35:
                actions.append({
                    "submission_id": sid, "action_id": str(uuid.UUID(int=rng.getrandbits(128))),
                    "standard_id": standard.id, "description": "Plan agreed.",
                    "owner_role": "DSL", "target_date": day + timedelta(days=90),
                    "status": "open", "support_requested": rng.random() < 0.4,
                    "urn": row["urn"], "cycle": cycle,
                })  # fmt: skip
    with database.write() as session:
        session.execute(insert(Submission), submissions)
        session.execute(insert(CurrentReturn), current)
        session.execute(insert(Answer), answers)
        if actions:
            session.execute(insert(ActionRow), actions)
    return len(submissions)
