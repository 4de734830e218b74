"""Register upload: a preview of what would be added, changed and closed (nothing kept), then
the import itself; bad files refused with every problem in words."""

from __future__ import annotations

from school_audit.collector.db.tables import AuditLogEntry, Establishment
from school_audit.collector.register.samples import gias_csv
from tests.collector_la.gias_rows import gias_row
from tests.collector_web.conftest import csrf_from


def _preview(client, data: bytes, kind: str = "gias", la_code: str = "885"):
    token = csrf_from(client.get("/admin/register").text)
    return client.post("/admin/register/preview",
                       data={"csrf_token": token, "kind": kind, "la_code": la_code},
                       files={"file": ("edubase.csv", data, "text/csv")})  # fmt: skip


def _apply(client, page: str):
    import re

    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    return client.post(
        "/admin/register/apply", data={"csrf_token": csrf_from(page), "token": token}
    )


def _establishments(app) -> dict[str, tuple[str, str]]:
    with app.state.database.read() as session:
        return {e.urn: (e.name, e.status) for e in session.query(Establishment)}


def test_preview_changes_nothing_and_apply_does_what_it_showed(as_role, app):
    admin = as_role("admin")
    first = gias_csv(
        [gias_row("900001", "Hollybank First School"), gias_row("900002", "Brookside Primary")]
    )
    applied = _apply(admin, _preview(admin, first).text)
    assert applied.status_code == 200 and "2 added" in applied.text
    second = gias_csv(
        [gias_row("900001", "Hollybank First School"), gias_row("900003", "Larkspur Primary")]
    )
    shown = _preview(admin, second)
    assert shown.status_code == 200
    assert "1 would be added" in shown.text and "1 would be closed" in shown.text
    assert "900002" in shown.text and "Import this register" in shown.text
    assert set(_establishments(app)) == {"900001", "900002"}  # the preview kept nothing
    with app.state.database.read() as session:
        imports = session.query(AuditLogEntry).filter_by(action="register.import.gias").all()
        assert [e.actor for e in imports] == ["ada"]
    done = _apply(admin, shown.text)
    assert "1 added" in done.text and "1 closed" in done.text
    assert _establishments(app)["900002"][1] == "closed"
    assert _establishments(app)["900003"] == ("Larkspur Primary", "open")
    again = _apply(admin, shown.text)  # the same preview cannot be applied twice
    assert again.status_code == 422 and "expired or was already applied" in again.text


def test_bad_files_are_refused_with_their_problems(as_role, app):
    admin = as_role("admin")
    broken = gias_csv([gias_row("900001", "Hollybank First School", StatutoryLowAge="four")])
    refused = _preview(admin, broken)
    assert refused.status_code == 422 and "Nothing was imported" in refused.text
    assert "StatutoryLowAge" in refused.text
    other_la = _preview(admin, gias_csv([gias_row("900001", "Hollybank")]), la_code="999")
    assert other_la.status_code == 422 and "no establishment of LA 999" in other_la.text
    no_code = _preview(admin, gias_csv([gias_row("900001", "Hollybank")]), la_code="")
    assert no_code.status_code == 422 and "three-digit code" in no_code.text
    assert _establishments(app) == {}


def test_another_admins_preview_token_does_not_apply(as_role, app):
    from school_audit.collector.db.tables import User
    from tests.collector_web.conftest import _password_hash

    with app.state.database.write() as session:
        session.add(User(username="bea", role="admin", password_hash=_password_hash()))
    admin = as_role("admin")
    shown = _preview(admin, gias_csv([gias_row("900001", "Hollybank First School")])).text
    other = as_role(None)
    page = other.get("/login")
    other.post("/login", data={"username": "bea", "password": "correct horse battery",
               "csrf_token": csrf_from(page.text)})  # fmt: skip
    import re

    token = re.search(r'name="token" value="([^"]+)"', shown).group(1)
    own_csrf = csrf_from(other.get("/admin/register").text)
    response = other.post("/admin/register/apply", data={"csrf_token": own_csrf, "token": token})
    assert response.status_code == 422 and "another user" in response.text
    assert _establishments(app) == {}


def test_a_form_larger_than_the_limit_is_refused_before_it_is_read(as_role, app, monkeypatch):
    from school_audit.collector.web import guard

    admin = as_role("admin")
    monkeypatch.setattr(guard, "FORM_LIMIT", 10_000)
    response = _preview(admin, gias_csv([gias_row(f"9{n:05d}", f"School {n}") for n in range(200)]))
    assert response.status_code == 413 and "larger than the collector accepts" in response.text
    assert _establishments(app) == {}


def test_a_file_that_closes_many_is_imported_only_when_the_admin_says_so(as_role, app):
    """Ten schools, then a file listing two: the guard stops it; the preview lists the eight it
    would close and offers the override; without the box ticked nothing happens; with it the
    import runs, and the audit log says the admin allowed it."""
    import re

    admin = as_role("admin")
    schools = [gias_row(f"9100{n:02d}", f"School {n}") for n in range(10)]
    _apply(admin, _preview(admin, gias_csv(schools)).text)
    shown = _preview(admin, gias_csv(schools[:2]))
    assert shown.status_code == 200
    assert "This file would close 8 of the 10 open settings" in shown.text
    assert "910009 School 9" in shown.text and "Import and close 8 settings" in shown.text
    assert set(_establishments(app)) == {f"9100{n:02d}" for n in range(10)}
    assert {status for _, status in _establishments(app).values()} == {"open"}
    token = re.search(r'name="token" value="([^"]+)"', shown.text).group(1)
    unticked = admin.post("/admin/register/apply", data={
        "csrf_token": csrf_from(shown.text), "token": token, "allow_closing": "8"})  # fmt: skip
    assert unticked.status_code == 422 and "tick the box" in unticked.text
    assert {status for _, status in _establishments(app).values()} == {"open"}
    wrong_count = admin.post("/admin/register/apply", data={
        "csrf_token": csrf_from(shown.text), "token": token, "allow_closing": "80",
        "confirm_closing": "yes"})  # fmt: skip
    assert wrong_count.status_code == 422
    ticked = admin.post("/admin/register/apply", data={
        "csrf_token": csrf_from(shown.text), "token": token, "allow_closing": "8",
        "confirm_closing": "yes"})  # fmt: skip
    assert ticked.status_code == 200 and "8 closed" in ticked.text
    statuses = [status for _, status in _establishments(app).values()]
    assert statuses.count("closed") == 8
    with app.state.database.read() as session:
        allowed = session.query(AuditLogEntry).filter_by(action="register.closing_allowed").all()
    assert [(e.actor, e.detail) for e in allowed] == [("ada", "allowed=8 closed=8")]
    log = admin.get("/admin").text
    assert "Register upload allowed to close settings" in log and "Allowed: 8 · Closed: 8" in log


def test_ofsteds_file_as_published_in_ods_is_previewed_and_imported(as_role, app):
    from tests.collector_la.ofsted_files import ofsted_ods
    from tests.collector_la.test_register_ofsted import sample

    admin = as_role("admin")
    token = csrf_from(admin.get("/admin/register").text)
    nameless = admin.post("/admin/register/preview",
                          data={"csrf_token": token, "kind": "ofsted", "local_authority": ""},
                          files={"file": ("providers.ods", ofsted_ods(sample()), "application/octet-stream")})  # fmt: skip
    assert (
        nameless.status_code == 422
        and "needs the LA&#39;s name as Ofsted writes it" in nameless.text
    )
    shown = admin.post("/admin/register/preview",
                       data={"csrf_token": token, "kind": "ofsted", "local_authority": "Worcestershire"},
                       files={"file": ("providers.ods", ofsted_ods(sample()), "application/octet-stream")})  # fmt: skip
    assert shown.status_code == 200 and "would be added" in shown.text
    done = _apply(admin, shown.text)
    assert done.status_code == 200 and "Register imported." in done.text
    names = {name for name, _ in _establishments(app).values()}
    assert "Little Acorns Day Nursery" in names and "Over the Border Nursery" not in names
