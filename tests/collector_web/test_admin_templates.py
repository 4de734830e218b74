"""Publishing templates and local packs through the admin form (JSON and XLSX), with every
problem in the file listed in words and nothing published when there is one."""

from __future__ import annotations

import json
from pathlib import Path

from school_audit.collector.db.tables import AuditLogEntry, LocalPackRow, TemplateRow
from school_audit.collector.pack_xlsx import export_pack_workbook
from school_audit.collector.template_xlsx import export_workbook
from school_audit.collector.web.pages.admin_templates import MAX_UPLOAD
from school_audit.domain.local_pack import load_local_pack
from school_audit.domain.template_loading import load_template
from tests.collector_web.conftest import csrf_from

FIXTURES = Path(__file__).parent.parent / "fixtures"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client, name: str, data: bytes, kind: str = "template", follow: bool = False):
    token = csrf_from(client.get("/admin/templates").text)
    return client.post("/admin/templates", data={"csrf_token": token, "kind": kind},
                       files={"file": (name, data, XLSX if name.endswith(".xlsx") else "application/json")},
                       follow_redirects=follow)  # fmt: skip


def _published(app) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    with app.state.database.read() as session:
        templates = [(r.template_id, r.version) for r in session.query(TemplateRow)]
        packs = [(r.pack_id, r.version) for r in session.query(LocalPackRow)]
    return sorted(templates), sorted(packs)


def test_a_json_template_then_a_json_pack_are_published_and_logged(as_role, app):
    admin = as_role("admin")
    done = _upload(
        admin, "mini.json", (FIXTURES / "mini_school_template.json").read_bytes(), follow=True
    )
    assert done.status_code == 200 and "Published: devices are offered it" in done.text
    assert "mini-school" in done.text
    again = _upload(
        admin, "mini.json", (FIXTURES / "mini_school_template.json").read_bytes(), follow=True
    )
    assert "Already published with exactly this content" in again.text
    pack = _upload(
        admin,
        "pack.json",
        (FIXTURES / "mini_local_pack.json").read_bytes(),
        kind="pack",
        follow=True,
    )
    assert "Mini County local pack" in pack.text
    assert _published(app) == ([("mini-school", "2025-26.1")], [("mini-county", "2025-26.1")])
    with app.state.database.read() as session:
        logged = {(r.actor, r.action) for r in session.query(AuditLogEntry)}
    assert {("ada", "template_published"), ("ada", "local_pack_published")} <= logged


def test_workbooks_are_read_as_the_command_line_reads_them(as_role, app):
    admin = as_role("admin")
    template = load_template((FIXTURES / "mini_school_template_2024.json").read_bytes())
    assert _upload(admin, "t.xlsx", export_workbook(template)).status_code == 303
    pack = load_local_pack((FIXTURES / "mini_local_pack.json").read_bytes())
    wrong_kind = _upload(admin, "p.xlsx", export_pack_workbook(pack), kind="template")
    assert wrong_kind.status_code == 422 and "is a local pack, not a template" in wrong_kind.text
    assert _published(app) == ([("mini-school", "2024-25.1")], [])


def test_problems_are_listed_in_words_and_nothing_is_published(as_role, app):
    admin = as_role("admin")
    broken = json.loads((FIXTURES / "mini_school_template.json").read_text(encoding="utf-8"))
    del broken["title"]
    response = _upload(admin, "broken.json", json.dumps(broken).encode())
    assert response.status_code == 422
    assert "Nothing was published: the file is not a usable template." in response.text
    assert "title" in response.text and "<li>" in response.text
    # A pack for a national template that is not published does not fit.
    unfit = _upload(
        admin, "pack.json", (FIXTURES / "mini_local_pack.json").read_bytes(), kind="pack"
    )
    assert unfit.status_code == 422 and "Nothing was published" in unfit.text
    too_big = _upload(admin, "big.json", b" " * (MAX_UPLOAD + 1))
    assert too_big.status_code == 422 and "larger than 5 MB" in too_big.text
    assert _upload(admin, "empty.json", b"").status_code == 422
    assert _published(app) == ([], [])
