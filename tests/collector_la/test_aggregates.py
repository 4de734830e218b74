"""The aggregates against an oracle that recounts the demo county from the signed envelopes."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from school_audit.collector.aggregate.common import RATINGS
from school_audit.collector.aggregate.compliance import compliance
from school_audit.collector.aggregate.overview import missing_returns, overview
from school_audit.collector.aggregate.risk import add_months, risk_triage
from school_audit.collector.aggregate.themes import support_requests, themes
from school_audit.collector.aggregate.trends import trends
from school_audit.collector.cycles import expected_establishments
from school_audit.collector.demo.seed import CURRENT, EXEMPT_URN, PREVIOUS
from school_audit.collector.register.sizes import BAND_ORDER, size_band


def test_compliance_by_standard_matches_the_envelopes(demo_world):
    oracle = demo_world.rating_counts(CURRENT, "school")
    with demo_world.database.read() as session:
        report = compliance(session, CURRENT, "school")
    assert report.returns == len(demo_world.envelopes(CURRENT, "school")) > 20
    checked = 0
    for row in report.standards:
        assert row.counts.as_dict() == {r: oracle[("", row.standard_id)][r] for r in RATINGS}
        checked += row.counts.total > 0
    assert checked > 100
    section_a = next(s for s in report.sections if s.section_id == "A")
    a_rows = [s for s in report.standards if s.section_id == "A"]
    assert section_a.counts.met == sum(s.counts.met for s in a_rows)


def test_compliance_breakdowns_match_the_envelopes(demo_world):
    kinds = {"type": "early_years", "size": "early_years"}
    for dimension in ("phase", "district", "type", "trust", "size"):
        oracle = demo_world.rating_counts(CURRENT, kinds.get(dimension, "school"), dimension)
        kind = kinds.get(dimension, "school")
        with demo_world.database.read() as session:
            report = compliance(session, CURRENT, kind, dimension)
        assert report.groups and report.dimension == dimension
        for row in report.standards:
            for group, counts in row.by_group.items():
                assert counts.as_dict() == {r: oracle[(group, row.standard_id)][r] for r in RATINGS}
        shares = report.standards[0].counts
        assert shares.share_met == shares.met / shares.rated


def test_overview_counts_and_deadlines(demo_world):
    register = demo_world.register()
    with demo_world.database.read() as session:
        data = overview(session, CURRENT, today=demo_world.today)
        expected = {e.urn for e in expected_establishments(session, CURRENT)}
    returns = {row.urn: row for row, _ in demo_world.envelopes(CURRENT, counted=False)}
    first = data.cycle.first_deadline
    assert data.totals.expected == len(expected) and EXEMPT_URN not in expected
    assert data.exempt == 1
    assert data.totals.received == len(expected & set(returns))
    on_time = [u for u in expected & set(returns) if returns[u].received_at.date() <= first]
    assert data.totals.received_by_first == len(on_time) < data.totals.received
    assert data.totals.overdue == len(expected - set(returns)) > 0
    assert data.totals.accepted == sum(
        returns[u].status == "accepted" for u in expected & set(returns)
    )
    by_district = Counter(register[u].district for u in expected)
    assert {g: c.expected for g, c in data.by["district"].items()} == dict(by_district)
    assert sum(c.expected for c in data.by["phase"].values()) == data.totals.expected
    assert not any(r.status == "closed" for u, r in register.items() if u in expected)


def test_trust_and_size_breakdowns(demo_world):
    register = demo_world.register()
    with demo_world.database.read() as session:
        data = overview(session, CURRENT, today=demo_world.today)
        expected = {e.urn for e in expected_establishments(session, CURRENT)}
        schools = compliance(session, CURRENT, "school", "size")
        trusts = compliance(session, CURRENT, "school", "trust")
    by_trust = Counter(register[u].trust_name or "Not in a trust" for u in expected)
    assert {g: c.expected for g, c in data.by["trust"].items()} == dict(by_trust)
    assert len(by_trust) == 4 and list(data.by["trust"])[-1] == "Not in a trust"
    by_size = Counter(size_band(register[u].pupils, register[u].setting_type) for u in expected)
    assert {g: c.expected for g, c in data.by["size"].items()} == dict(by_size)
    # Bands run smallest first, schools' before early years', "Size not known" last.
    assert list(data.by["size"]) == [b for b in BAND_ORDER if b in by_size]
    assert "Size not known" in by_size and "Over 80 places" in by_size
    assert schools.groups == [b for b in BAND_ORDER if b in schools.returns_by_group]
    returned = {row.urn for row, _ in demo_world.envelopes(CURRENT, "school")}
    assert trusts.returns_by_group == dict(
        Counter(register[u].trust_name or "Not in a trust" for u in returned)
    )


def test_missing_returns_list_contact_details(demo_world):
    with demo_world.database.read() as session:
        missing = missing_returns(session, CURRENT, demo_world.today)
        before_deadline = missing_returns(session, CURRENT, demo_world.today - timedelta(days=30))
    returned = {row.urn for row, _ in demo_world.envelopes(CURRENT, counted=False)}
    assert missing and not {m.urn for m in missing} & returned
    assert all(m.overdue == "past first deadline" for m in missing)
    assert all(m.telephone for m in missing)
    assert {m.overdue for m in before_deadline} == {"not yet due"}


def test_risk_triage_matches_the_envelopes(demo_world):
    with demo_world.database.read() as session:
        entries = {e.urn: e for e in risk_triage(session, CURRENT, demo_world.today)}
    from school_audit.content import builtin_template

    template = builtin_template("school-s175", "2025-26.1")
    statutory = {s.id for s in template.standards() if s.statutory}
    for row, envelope in demo_world.envelopes(CURRENT, "school"):
        not_met = {
            r["standard_id"] for r in envelope["responses"] if r["rating"] == "not_met"
        } & statutory
        flags = entries[row.urn].kinds if row.urn in entries else set()
        assert ("statutory_not_met" in flags) == bool(not_met)
        trained = next(
            r["dates"]["dsl_training"] for r in envelope["responses"] if r["standard_id"] == "C4"
        )
        expires = add_months(date.fromisoformat(trained), 24)
        assert ("dsl_training_expired" in flags) == (expires < demo_world.today)
        late = row.received_at.date() > date(2026, 2, 23)
        assert ("late_return" in flags) == late
    kinds = Counter(kind for e in entries.values() for kind in e.kinds)
    assert kinds["missing_return"] > 0 and kinds["dsl_training_expired"] > 0


def test_themes_and_support_requests(demo_world):
    oracle = demo_world.rating_counts(CURRENT, "school")
    with demo_world.database.read() as session:
        top = themes(session, CURRENT, "school", limit=5)
        needs = support_requests(session, CURRENT, "school")
    most = max(c["partially_met"] + c["not_met"] for (_, sid), c in oracle.items())
    assert top[0].not_fully_met == most
    assert [t.not_fully_met for t in top] == sorted((t.not_fully_met for t in top), reverse=True)
    asked = Counter()
    for _, envelope in demo_world.envelopes(CURRENT, "school"):
        for sid in {a["standard_id"] for a in envelope["actions"] if a.get("support_requested")}:
            asked[sid] += 1
    assert {n.standard_id: n.settings for n in needs} == dict(asked)


def test_trends_follow_the_replaces_mappings(demo_world):
    previous = demo_world.rating_counts(PREVIOUS, "school")
    with demo_world.database.read() as session:
        report = trends(session, CURRENT, "school")
    rows = {r.standard_id: r for r in report.rows}
    assert report.previous_cycle == PREVIOUS
    assert (
        rows["E12"].mapping == "renamed"
        and rows["E12"].previous.met == previous[("", "N10")]["met"]
    )
    merged = previous[("", "F2a")]["met"] + previous[("", "F2b")]["met"]
    assert rows["F2"].mapping == "merged" and rows["F2"].previous.met == merged
    assert rows["F7"].previous == rows["F8"].previous and rows["F7"].previous_ids == ("F10",)
    assert rows["A1"].mapping == "same" and rows["A1"].previous.met == previous[("", "A1")]["met"]
    assert [old for old, _ in report.retired] == ["G9"]
    # Red to green: not met last cycle (on the mapped id), met now, recounted from envelopes.
    before = {(r.urn, x["standard_id"]) for r, e in demo_world.envelopes(PREVIOUS, "school")
              for x in e["responses"] if x["rating"] == "not_met"}  # fmt: skip
    now = {(r.urn, x["standard_id"]) for r, e in demo_world.envelopes(CURRENT, "school")
           for x in e["responses"] if x["rating"] == "met"}  # fmt: skip
    assert rows["A1"].red_to_green == len({p for p in before if p[1] == "A1"} & now)
    assert sum(r.red_to_green for r in report.rows) > 0
