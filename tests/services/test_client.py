"""The composition root: one store, one template catalogue, each service built once."""

from __future__ import annotations

import threading

from school_audit.services.client import ClientServices


def test_the_services_share_one_store_and_one_catalogue(school_profile, mini_template):
    services = ClientServices.open_default()
    try:
        services.audits.save_profile(school_profile)
        audit = services.audits.start_audit(mini_template)
        submission = services.submission
        assert submission.store is services.store
        assert submission.template_of(audit) == mini_template
        assert submission._audits is services.audits  # the same catalogue, not a second one
        assert services.submission is submission
    finally:
        services.close()


def test_both_lanes_asking_at_once_get_one_submission_service():
    services = ClientServices.open_default()
    try:
        got = []
        threads = [
            threading.Thread(target=lambda: got.append(services.submission)) for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len({id(service) for service in got}) == 1
    finally:
        services.close()


def test_a_report_from_the_composition_root(school_profile, mini_template):
    services = ClientServices.open_default()
    try:
        services.audits.save_profile(school_profile)
        audit = services.audits.start_audit(mini_template)
        path = services.governors_report(audit.audit_id)
        assert path.read_bytes()[:5] == b"%PDF-"
    finally:
        services.close()
