"""https to a collector whose certificate comes from the local authority's own CA."""

from __future__ import annotations

import pytest

from school_audit.sync.errors import NetworkError
from tests.e2e.school import School
from tests.e2e.tls import make_ca_and_server


@pytest.mark.parametrize("collector_db_url", ["sqlite"], indirect=True)
def test_the_las_own_ca_is_trusted_only_when_configured(make_running_collector, tmp_path,
                                                        monkeypatch):  # fmt: skip
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    ca, cert, key = make_ca_and_server(tmp_path)
    collector = make_running_collector(["123456"], tls=(cert, key))
    assert collector.url.startswith("https://")
    school = School(tmp_path / "school", "123456")
    try:
        code = collector.issue_code("123456")
        with pytest.raises(NetworkError, match="certificate"):
            school.service.enrol(collector.url, code, "Office PC")  # the public CAs do not know it
        state = school.service.enrol(collector.url, code, "Office PC", ca_bundle=str(ca))
        assert state.enrolled  # the code was not spent by the failed attempt
        signed = school.sign(school.complete_audit())
        assert school.service.send_now().sent == [str(signed.submission_id)]  # bundle remembered
    finally:
        school.close()


def test_a_ca_in_the_operating_systems_trust_store_is_trusted(make_running_collector, tmp_path, monkeypatch):
    """A school whose IT installed a certificate (e.g. of an HTTPS-inspecting filter) in the OS store
    needs no CA bundle: the app verifies against the system store, not only certifi's list."""
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    ca, cert, key = make_ca_and_server(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca))  # stands for "installed in the system store" on Linux
    collector = make_running_collector(["123456"], tls=(cert, key))
    school = School(tmp_path / "school", "123456")
    try:
        state = school.service.enrol(collector.url, collector.issue_code("123456"), "Office PC")
        assert state.enrolled
    finally:
        school.close()
