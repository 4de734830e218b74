"""Drill-down lists, sort and filter by address, search and a setting's page (LA staff only).

Seeded: Hollybank First School (100001, Redditch, every standard met) and Brookside Primary
School (100002, Wychavon, A1 not met; revised once, so its first return is superseded).
"""

from __future__ import annotations

import re

from school_audit.collector.db.tables import Establishment, ReminderSent

HOLLYBANK, BROOKSIDE = "Hollybank First School", "Brookside Primary School"


def _names(html: str) -> list[str]:
    """The settings in the list, in order (each name links to its page)."""
    return re.findall(r'<a href="/settings/\d+">([^<]+)</a>', html)


def test_compliance_figures_link_to_the_settings_behind_them(as_role, seeded):
    client = as_role("la_officer")
    compliance = client.get("/compliance").text
    link = re.search(r'href="(/settings\?[^"]*standard=A1[^"]*rating=not_met)"', compliance)
    assert link, "the A1 not-met share links to its settings"
    listed = client.get(link.group(1).replace("&amp;", "&")).text
    assert _names(listed) == [BROOKSIDE]
    assert "Standard A1, rated not met" in listed
    # The link goes on to the return that was counted: the current revision, not the first.
    assert f'href="/returns/{seeded["weak"]}"' in listed
    assert seeded["weak_first"] not in listed


def test_a_met_standard_lists_both_current_returns_once(as_role, seeded):
    listed = as_role("admin").get("/settings?standard=C4&rating=met").text
    assert sorted(_names(listed)) == [BROOKSIDE, HOLLYBANK]  # one row per setting


def test_overview_and_themes_figures_link_to_lists(as_role, seeded):
    client = as_role("la_officer")
    overview = client.get("/").text
    assert re.search(r'href="/settings\?cycle=[^"]+&amp;status=received"', overview)
    themes = client.get("/themes").text
    link = re.search(r'href="(/settings\?[^"]*standard=A1[^"]*not_fully_met)"', themes)
    assert link
    assert _names(client.get(link.group(1).replace("&amp;", "&")).text) == [BROOKSIDE]
    trends = client.get("/trends").text
    link = re.search(r'href="(/settings\?[^"]*standard=A2[^"]*rating=met)"', trends)
    assert link, "this cycle's share met links to its settings"
    # A2 is met in both current returns (Brookside's revision put it right).
    listed = client.get(link.group(1).replace("&amp;", "&")).text
    assert sorted(_names(listed)) == [BROOKSIDE, HOLLYBANK]


def test_support_requested_counts_link_to_the_settings_asking(as_role, seeded):
    client = as_role("la_officer")
    themes = client.get("/themes").text
    link = re.search(r'href="(/settings\?[^"]*support=A1)"', themes)
    assert link, "the settings-asking count links to its list"
    listed = client.get(link.group(1).replace("&amp;", "&")).text
    assert _names(listed) == [BROOKSIDE] and "Asking for support on A1" in listed
    assert _names(client.get("/settings?support=C4").text) == []


def test_triage_counts_link_to_the_flagged_settings(as_role, seeded):
    client = as_role("la_officer")
    triage = client.get("/triage").text
    assert 'href="/settings/100002"' in triage
    listed = client.get("/settings?flag=statutory_not_met").text
    assert _names(listed) == [BROOKSIDE]


def test_filters_live_in_the_address(as_role, seeded):
    client = as_role("la_officer")
    assert _names(client.get("/settings?district=Wychavon").text) == [BROOKSIDE]
    assert _names(client.get("/settings?phase=first").text) == [HOLLYBANK]
    assert _names(client.get("/settings?district=Nowhere").text) == []
    # Neither return has been reviewed yet, nor reminded.
    assert sorted(_names(client.get("/settings?reviewed=no").text)) == [BROOKSIDE, HOLLYBANK]
    assert _names(client.get("/settings?reviewed=yes").text) == []


def test_reviewed_and_reminded_filters_follow_the_records(as_role, seeded, app):
    from tests.collector_web.conftest import csrf_from

    client = as_role("la_officer")
    token = csrf_from(client.get("/returns").text)
    client.post(
        f"/returns/{seeded['strong']}/review",
        data={"csrf_token": token, "decision": "accepted"},
    )
    with app.state.database.write() as session:
        cycle = session.query(ReminderSent).count()  # none yet
        assert cycle == 0
        from datetime import date

        session.add(
            ReminderSent(
                cycle="2025-26", urn="100002", step="first", due_on=date(2026, 1, 5),
                wording="not_returned", recipients="dsl:dsl100002@school.example",
            )
        )  # fmt: skip
    assert _names(client.get("/settings?reviewed=yes").text) == [HOLLYBANK]
    assert _names(client.get("/settings?status=accepted").text) == [HOLLYBANK]
    assert _names(client.get("/settings?status=awaiting").text) == [BROOKSIDE]
    assert _names(client.get("/settings?reminded=yes").text) == [BROOKSIDE]


def test_sort_links_in_column_headers_say_their_order(as_role, seeded):
    client = as_role("la_officer")
    first = client.get("/settings").text
    assert _names(first) == [BROOKSIDE, HOLLYBANK]  # by name
    assert re.search(
        r'<th scope="col" aria-sort="ascending"><a href="/settings\?[^"]*order=desc', first
    )
    down = client.get("/settings?order=desc").text
    assert _names(down) == [HOLLYBANK, BROOKSIDE]
    assert 'aria-sort="descending"' in down
    by_district = client.get("/settings?sort=district").text
    assert _names(by_district) == [HOLLYBANK, BROOKSIDE]  # Redditch before Wychavon


def test_unknown_filter_values_are_ignored_not_an_error(as_role, seeded):
    client = as_role("la_officer")
    response = client.get("/settings?status=bogus&sort=evil&rating=x&reviewed=maybe")
    assert response.status_code == 200
    assert sorted(_names(response.text)) == [BROOKSIDE, HOLLYBANK]


def test_search_finds_by_name_urn_and_postcode(as_role, seeded, app):
    with app.state.database.write() as session:
        session.get(Establishment, "100001").postcode = "WR1 2AB"
    client = as_role("la_officer")
    assert 'id="site-q"' in client.get("/returns").text  # the box is on every page
    for text in ("hollybank", "100001", "WR1 2AB", "wr12ab"):
        found = client.get(f"/search?q={text}", follow_redirects=False)
        assert found.status_code == 303, text
        assert found.headers["location"] == "/settings/100001"
    several = client.get("/search?q=School").text
    assert sorted(_names(several)) == [BROOKSIDE, HOLLYBANK]
    assert "No setting" in client.get("/search?q=zzzz").text


def test_steering_users_reach_no_list_and_see_no_search_box(as_role, seeded):
    client = as_role("steering")
    for path in ("/settings", "/settings/100001", "/search?q=Holly"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert HOLLYBANK not in response.text
    assert 'id="site-q"' not in client.get("/steering").text


def test_a_settings_page_shows_its_history(as_role, seeded, app):
    from tests.collector_web.conftest import csrf_from

    client = as_role("la_officer")
    token = csrf_from(client.get("/triage").text)
    client.post(
        "/triage/notes",
        data={"csrf_token": token, "urn": "100002", "note": "Rang the DSL; plan agreed."},
    )
    page = client.get("/settings/100002").text
    assert BROOKSIDE in page
    assert page.count('href="/returns/') == 2  # both revisions, each linked
    assert "Superseded" in page and "Rang the DSL; plan agreed." in page
    assert client.get("/settings/999999").status_code == 404
    assert client.get("/settings/" + "9" * 40).status_code == 404


def test_dates_are_written_one_way():
    from datetime import UTC, date, datetime

    from school_audit.collector.web.rendering import environment

    day, when = environment.filters["day"], environment.filters["when"]
    assert day(date(2026, 11, 1)) == "1 Nov 2026"
    assert day(datetime(2026, 11, 21, 9, 5, tzinfo=UTC)) == "21 Nov 2026"
    assert when(datetime(2026, 11, 21, 9, 5, tzinfo=UTC)) == "21 Nov 2026, 09:05"
    assert day(None) == ""
    assert day("2026-03-31") == "31 Mar 2026"  # the ISO days inside a return
    assert day("not a day") == "not a day"


def test_the_returns_list_sorts_and_filters_by_address(as_role, seeded):
    client = as_role("la_officer")

    def names(html: str) -> list[str]:
        return re.findall(r'<a href="/returns/[0-9a-f-]+">([^<]+)</a>', html)

    assert names(client.get("/returns?sort=name").text) == [BROOKSIDE, HOLLYBANK]
    assert names(client.get("/returns?sort=name&order=desc").text) == [HOLLYBANK, BROOKSIDE]
    assert names(client.get("/returns?phase=first").text) == [HOLLYBANK]
    assert names(client.get("/returns?district=Wychavon").text) == [BROOKSIDE]
    page = client.get("/returns?sort=district&district=Redditch").text
    assert 'aria-sort="ascending"><a href="/returns?' in page
    link = re.search(r'aria-sort="ascending"><a href="([^"]+)"', page).group(1)
    assert "district=Redditch" in link and "order=desc" in link  # the filter is kept
    assert client.get("/returns?sort=evil&phase=x").status_code == 200


def test_received_by_a_deadline_counts_as_the_overview_does(as_role, app, mini_template_loaded):
    from datetime import date, timedelta

    from tests.collector_web import seeding

    database, key, template = app.state.database, app.state.collector_key, mini_template_loaded
    # The first deadline passed yesterday; the final one is a week away. Both returns came today.
    today = date.today()
    seeding.publish(database, template, today - timedelta(days=1), today + timedelta(days=7))
    late = seeding.add_school(database, "100003", "Lateham Primary", "primary", "Wychavon")
    seeding.submit(database, key, late, seeding.envelope_for(late, template, seeding.ALL_MET))
    client = as_role("la_officer")
    overview = client.get("/").text
    assert 'deadline=first">0</a>' in overview and 'deadline=final">1</a>' in overview
    assert _names(client.get("/settings?deadline=first").text) == []
    assert _names(client.get("/settings?deadline=final").text) == ["Lateham Primary"]


def test_overview_links_list_only_expected_settings(as_role, seeded, app):
    from school_audit.collector.cycles import exempt

    with app.state.database.write() as session:
        exempt(session, "2025-26", "100001", "Closing at Christmas.", "ada")
    client = as_role("la_officer")
    overview = client.get("/").text
    link = re.search(r'href="(/settings\?[^"]*expected=yes[^"]*status=received)"', overview)
    assert link
    assert _names(client.get(link.group(1).replace("&amp;", "&")).text) == [BROOKSIDE]
    everyone = client.get("/settings").text  # without the choice: the exempt one, marked
    assert sorted(_names(everyone)) == [BROOKSIDE, HOLLYBANK]
    assert "not expected this cycle" in everyone


def test_a_quarantined_return_is_shown_but_never_counted(
    as_role, seeded, app, mini_template_loaded
):
    from tests.collector_web import seeding

    database, key, template = app.state.database, app.state.collector_key, mini_template_loaded
    held = seeding.add_school(database, "100004", "Quarry Bank Primary", "primary", "Wychavon")
    ratings = dict(seeding.ALL_MET, A1="not_applicable")  # statutory: the return is quarantined
    held_id = seeding.submit(database, key, held, seeding.envelope_for(held, template, ratings))
    client = as_role("la_officer")
    listed = client.get("/settings?status=quarantined").text
    assert _names(listed) == ["Quarry Bank Primary"]
    assert f'href="/returns/{held_id}"' in listed and "Quarantined only" in listed
    assert "Quarry Bank Primary" not in client.get("/settings?status=received").text
    assert "Quarry Bank Primary" not in client.get("/settings?status=missing").text
    assert "Quarry Bank Primary" not in client.get("/settings?standard=A1").text


def test_search_matches_percent_and_underscore_as_typed(as_role, seeded):
    client = as_role("la_officer")
    for text in ("%25", "_", "%25%25"):  # %25 is "%" in the address
        assert "No setting" in client.get(f"/search?q={text}").text, text
    assert sorted(_names(client.get("/search?q=School").text)) == [BROOKSIDE, HOLLYBANK]
