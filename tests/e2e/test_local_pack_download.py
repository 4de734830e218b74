"""The LA publishes a local pack; a school's app downloads it with the templates over real HTTP,
answers on the merged view, and the return names both and is received."""

from __future__ import annotations

import json

import pytest

from school_audit.domain.setting import SettingType
from school_audit.services.catalogue import TemplateCatalogue
from school_audit.sync.http import HttpSettings
from tests.e2e.school import FIXTURES, School

HTTP = HttpSettings(connect_timeout=2, read_timeout=10)


@pytest.fixture
def school(tmp_path):
    opened = School(tmp_path / "school", "123456", http=HTTP)
    yield opened
    opened.close()


def test_the_app_fetches_the_pack_with_the_templates_and_the_return_names_it(
    make_running_collector, school, memory_keyring
):
    collector = make_running_collector(["123456"])
    collector.cli("template", "publish-pack", str(FIXTURES / "mini_local_pack.json"))
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")

    stored = school.store.stored_templates("school")
    assert any(json.loads(item.template_json).get("local_pack") for item in stored)  # at enrolment
    (merged,) = school.service.fetch_templates()
    assert merged.local_pack is not None and merged.core_sha256 == school.template.sha256
    assert merged.standard("A1").guidance.endswith("refer through the county's front door.")
    catalogue = TemplateCatalogue(school.store).templates(SettingType.SCHOOL)
    (offered,) = [t for t in catalogue if t.id == "mini-school"]
    assert offered.sha256 == merged.sha256  # the merged view stands in for the bare core

    school.template = offered
    signed = school.sign(school.complete_audit())
    report = school.service.send_now()
    assert report.sent == [str(signed.submission_id)]
    (row,) = collector.submissions()
    envelope = json.loads(bytes(row["envelope"]))
    assert envelope["template"]["sha256"] == school.template.core_sha256
    assert envelope["template"]["local_pack"]["sha256"] == merged.local_pack.sha256
    assert row["status"] == "received"


def test_a_collector_without_packs_gives_the_national_templates(
    make_running_collector, school, memory_keyring
):
    collector = make_running_collector(["123456"])
    school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    (template,) = school.service.fetch_templates()
    assert template.local_pack is None and template.sha256 == school.template.sha256


def test_enrolment_stands_when_the_template_download_fails(
    make_running_collector, school, memory_keyring, monkeypatch, caplog
):
    from school_audit.sync import errors, template_download

    def broken(client):
        raise errors.NetworkError("connection reset while downloading")

    monkeypatch.setattr(template_download, "download_templates", broken)
    collector = make_running_collector(["123456"])
    state = school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
    assert state.enrolled
    assert "templates could not be downloaded" in caplog.text
