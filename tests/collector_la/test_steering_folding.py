"""Folding small groups before suppression: the rule, its stability across snapshots, and what it
saves on a county the size of Worcestershire, read back from the real PDF pack."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import insert

from school_audit.collector.aggregate import snapshots
from school_audit.collector.aggregate.folding import fold_map, parse_areas
from school_audit.collector.aggregate.steering import steering_view
from school_audit.collector.db import init_database
from school_audit.collector.db.tables import Establishment
from school_audit.collector.demo.scaled import CURRENT, seed_county
from school_audit.collector.exports.steering_pack import export_steering_pack

LA = "Worcestershire County Council"


def test_small_groups_go_to_other_and_a_lone_middling_one_stays():
    folding = fold_map(
        {
            "trust": {"A": 40, "B": 12, "C": 3, "D": 2, "E": 5},
            "type": {"academy": 50, "maintained": 45, "independent": 7},
            "district": {"North": 6, "South": 7},  # every group small: not folded
        }
    )
    assert folding["trust"] == {
        "A": "A", "B": "B", "C": "Other trusts", "D": "Other trusts", "E": "Other trusts"
    }  # fmt: skip
    assert set(folding["type"].values()) == {"academy", "maintained", "independent"}
    assert folding["district"] == {"North": "North", "South": "South"}


def test_other_grows_until_it_is_big_enough():
    folding = fold_map(
        {"phase": {"primary": 80, "first": 30, "pru": 2, "nursery": 3, "special": 11}}
    )
    # pru + nursery hold 5: the next smallest (special) joins them to make ten or more.
    assert {g for g, shown in folding["phase"].items() if shown == "Other phases"} == {
        "pru", "nursery", "special"
    }  # fmt: skip


def test_areas_and_a_fixed_folding_for_the_cycle():
    areas = parse_areas("Redditch=North; Bromsgrove=North\nMalvern Hills=South")
    sizes = {"district": {"Redditch": 4, "Bromsgrove": 5, "Malvern Hills": 30, "Worcester": 40}}
    first = fold_map(sizes, areas=areas)
    assert first["district"] == {
        "Redditch": "North", "Bromsgrove": "North", "Malvern Hills": "South", "Worcester": "Worcester"
    }  # fmt: skip
    # Later the register changes: known groups keep their folding, a new small one goes to Other.
    later = fold_map({"district": {**sizes["district"], "Redditch": 50, "Wyre": 2}}, previous=first)
    assert (
        later["district"]["Redditch"] == "North" and later["district"]["Wyre"] == "Other districts"
    )
    with pytest.raises(ValueError, match="District=Area"):
        parse_areas("Redditch North")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    folder = tmp_path_factory.mktemp("county")
    database = init_database(f"sqlite:///{folder / 'county.sqlite3'}")
    seed_county(database)
    yield database
    database.dispose()


def _shown_sizes_ok(view) -> bool:
    return all(
        row.suppressed or not row.settings or row.settings >= view.threshold
        for table in view.tables()
        for row in table.rows
    )


def test_folding_hides_far_fewer_cells_on_a_county_sized_register(county):
    with county.read() as session:
        before = steering_view(session, CURRENT, "school", fold=False)
        after = steering_view(session, CURRENT, "school")
    hidden_before, _ = before.cells()
    hidden_after, shown_after = after.cells()
    assert hidden_after < hidden_before / 4, (hidden_before, hidden_after)
    assert hidden_after < (hidden_after + shown_after) / 10
    assert _shown_sizes_ok(before) and _shown_sizes_ok(after)
    trusts = [row.group for row in after.completeness["trust"].rows]
    assert "Other trusts" in trusts and not after.completeness["trust"].total.suppressed


def _text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _received_column(pages: list[str]) -> list[int]:
    """The "Received" figure of every shown row of the completeness tables, read from the PDF."""
    text = "\n".join(pages[3:])  # after the cover (whose contents name the parts) and summary
    start = text.index("Completeness")
    end = text.index("Compliance by section")
    lines = text[start:end].splitlines()
    found = []
    for at, line in enumerate(lines):
        cells = lines[at + 1 : at + 6]
        if (
            len(cells) == 5
            and all(re.fullmatch(r"\d+", c) for c in cells)
            and not re.fullmatch(r"\d+", line)
        ):
            found.append(int(cells[1]))
    return found


def test_the_pack_reads_back_with_summary_pages_and_few_suppressed_cells(county):
    with county.write() as session:
        folded = export_steering_pack(
            session, CURRENT, "steering", la_name=LA, today=date(2026, 3, 2)
        )
        plain = export_steering_pack(
            session, CURRENT, "steering", la_name=LA, today=date(2026, 3, 2),
            view=steering_view(session, CURRENT, "school", fold=False),
        )  # fmt: skip
    pages = _text(folded.content)
    cover = re.sub(r"\s+", " ", pages[0])
    assert LA in cover and "Audit cycle" in cover and CURRENT in cover
    assert "fewer than 10 settings on the register are put together as “Other”" in cover
    assert "Other trusts" in cover and "2 Mar 2026" in cover
    assert "Summary: returns, the weakest standards and risks" in pages[1]
    assert "By the first deadline (23 Feb 2026)" in pages[1]
    assert "Weakest standards LA-wide" in pages[1]
    assert "Risk counts" in pages[1] and "A statutory standard not met" in pages[1]
    summary_two = re.sub(r"\s+", " ", pages[2])
    for heading in ("Share met by section: this year and 2024-25", "Training needs asked for"):
        assert heading in summary_two, heading
    assert "Completeness" in pages[3]
    suppressed_after = sum(p.count("Suppressed") for p in pages[3:])
    suppressed_before = sum(p.count("Suppressed") for p in _text(plain.content)[3:])
    assert suppressed_after * 10 < suppressed_before, (suppressed_after, suppressed_before)
    received = _received_column(pages)
    assert len(received) > 20 and min(received) >= 5, received


def test_snapshots_keep_the_first_folding_when_the_register_changes(county):
    with county.write() as session:
        first = snapshots.take(session, CURRENT, "school", "test")
        # Ten new schools join a trust folded into Other: it is not broken out mid-cycle.
        small = next(
            g for g, shown in first.view.folding["trust"].items() if shown == "Other trusts"
        )
        session.execute(insert(Establishment), [
            {"urn": f"97{n:04d}", "name": f"New {n}", "setting_type": "school", "phase": "primary",
             "district": "Worcester", "type_group": "academy", "status": "open", "source": "demo",
             "trust_name": small, "pupils": 200}
            for n in range(10)
        ])  # fmt: skip
    with county.write() as session:
        second = snapshots.take(session, CURRENT, "school", "test", "by hand")
    assert second.view.folding["trust"][small] == "Other trusts"
    for dimension, mapping in first.view.folding.items():
        assert {g: second.view.folding[dimension][g] for g in mapping} == mapping
    groups = [[row.group for row in t.rows] for t in first.view.completeness.values()]
    assert [[row.group for row in t.rows] for t in second.view.completeness.values()] == groups
    assert second.view.summary["returns"] is not None  # the summary is kept with the snapshot


def test_the_areas_setting_is_checked_when_read_and_reaches_the_snapshot_rule():
    from pydantic import ValidationError

    from school_audit.collector.settings import CollectorSettings

    settings = CollectorSettings(steering_areas="Redditch=North; Bromsgrove=North")
    assert snapshots.rule_from(settings).areas == (("Bromsgrove", "North"), ("Redditch", "North"))
    with pytest.raises(ValidationError, match="expected District=Area"):
        CollectorSettings(steering_areas="Redditch North")


def test_districts_go_into_the_areas_the_la_names(county):
    areas = parse_areas("Bromsgrove=North; Redditch=North; Wyre Forest=North; Worcester=South")
    with county.read() as session:
        view = steering_view(session, CURRENT, "school", areas=areas)
        plain = steering_view(session, CURRENT, "school")
    rows = {row.group: row for row in view.completeness["district"].rows}
    assert {"North", "South", "Wychavon", "Malvern Hills"} <= set(rows)
    by_district = {row.group: row.counts["expected"] for row in plain.completeness["district"].rows}
    assert rows["North"].counts["expected"] == sum(
        by_district[d] for d in ("Bromsgrove", "Redditch", "Wyre Forest")
    )
