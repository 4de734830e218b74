"""What the dashboard and the exports show: counts computed in SQL, returned as plain dataclasses.

- `overview.overview(session, cycle)`: completeness against both deadlines, by phase, type,
  district, trust and size band, and the list of settings yet to return (with contact details, LA officers only).
- `compliance.compliance(session, cycle, setting_type, dimension)`: met / partially / not met
  per standard and section, optionally broken down by phase, district, type, trust or size band.
- `by_source.compliance_by_source(session, report)`: the same standards under the source
  documents their references name (KCSIE 2025, EYFS, Working Together 2023...).
- `risk.risk_triage(session, cycle)`: settings needing a follow-up, with the reasons.
- `themes.themes(...)`, `themes.support_requests(...)`: what is most often not fully met, and
  the training-needs list from actions where support was requested.
- `trends.trends(session, cycle, setting_type)`: each standard against the previous cycle,
  through the `replaces` mappings of every edition between the two cycles' templates.
- `editions`: every figure reads a return in the ids of its cycle's template, whichever edition
  the school answered (kept counts, and `CycleEditions` for the queries over answer rows).
- `steering.steering_view(session, cycle, setting_type)`: aggregates only, small groups folded
  into "Other" (`folding`) and those still small suppressed (`suppression`); `snapshots` keeps
  it still between dated snapshots, with the pack's summary (`steering_summary`).
"""
