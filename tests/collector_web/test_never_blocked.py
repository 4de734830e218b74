"""No officer action holds up the collector: `/healthz` (and so every school's upload) answers while
the heaviest dashboard work runs, on the real server started with `serve`.

The heavy work: hiding a word that occurs 1,500 times in a legal 1 MB return (27 s on the event
loop before the fix, with every other request waiting), hiding 500 occurrences of another, the
return's page with all of them shown, and the returns XLSX export of that return.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import requests

from school_audit.collector.db import init_database
from school_audit.collector.db.tables import User
from school_audit.collector.keys import create_key_file
from school_audit.collector.web import passwords
from school_audit.domain.template_loading import load_template
from tests.collector.served import Served, serve
from tests.collector_web import seeding

TEMPLATE = Path(__file__).parent.parent / "fixtures" / "mini_school_template.json"
PASSWORD = "correct horse battery"
ANSWER_WITHIN = 1.0  # seconds: generous for a health check that waits on nothing


def _big_return(database, key) -> str:
    """A legal return of about 1 MB: "Sam" 1,500 times in A1's evidence, "Kit" 500 times in
    A2's, and 40 actions with long descriptions."""
    template = load_template(TEMPLATE.read_bytes())
    seeding.publish(database, template, date(2026, 1, 31), date(2026, 3, 31))
    school = seeding.add_school(database, "100002", "Brookside Primary School")
    evidence = {"A1": "Sam met. " * 1500, "A2": "Kit ok. " * 500}
    envelope = seeding.envelope_for(school, template, seeding.WEAK, evidence_for=evidence)
    action = dict(envelope["actions"][0], standard_id="C4")
    envelope["actions"] += [
        dict(action, action_id=f"00000000-0000-4000-8000-{n:012d}",
             description="Check the single central record again. " * 500)
        for n in range(40)
    ]  # fmt: skip
    return seeding.submit(database, key, school, envelope)


@pytest.fixture(scope="module")
def collector(tmp_path_factory):
    home = tmp_path_factory.mktemp("collector")
    url = f"sqlite:///{home / 'collector.sqlite3'}"
    database = init_database(url)
    key = create_key_file(home / "collector-signing-key")
    with database.write() as session:
        session.add(User(username="olive", role="la_officer",
                         password_hash=passwords.hash_password(PASSWORD)))  # fmt: skip
    submission_id = _big_return(database, key)
    database.dispose()
    served = serve(home, url)
    yield served, submission_id
    served.stop()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def _officer(served: Served) -> requests.Session:
    browser = requests.Session()
    page = browser.get(served.url + "/login", timeout=30)
    signed_in = browser.post(served.url + "/login", timeout=30, allow_redirects=False,
                             data={"username": "olive", "password": PASSWORD,
                                   "csrf_token": _csrf(page.text)})  # fmt: skip
    assert signed_in.status_code == 303, signed_in.text[:500]
    return browser


def _heavy_work(served: Served, browser: requests.Session, submission_id: str) -> list[int]:
    page = browser.get(f"{served.url}/returns/{submission_id}", timeout=300).text
    statuses = []
    for item, word in (("A1", "Sam"), ("A2", "Kit")):
        answer = browser.post(
            f"{served.url}/returns/{submission_id}/redactions",
            data={"csrf_token": _csrf(page), "item": item, "text": word, "reason": "A name"},
            timeout=300,
            allow_redirects=False,
        )
        statuses.append(answer.status_code)
        if answer.status_code == 422:
            assert "more than 500 times in A1" in answer.text
    statuses.append(browser.get(f"{served.url}/returns/{submission_id}", timeout=300).status_code)
    export = browser.get(f"{served.url}/exports/returns.xlsx?cycle=2025-26", timeout=300)
    statuses.append(export.status_code)
    return statuses


def test_healthz_answers_while_the_heaviest_officer_actions_run(collector):
    served, submission_id = collector
    browser = _officer(served)
    results: list[list[int]] = []
    worker = threading.Thread(
        target=lambda: results.append(_heavy_work(served, browser, submission_id)), daemon=True
    )
    worker.start()
    answered_meanwhile = 0
    while worker.is_alive():
        started = time.monotonic()
        try:
            health = requests.get(served.url + "/api/v1/healthz", timeout=ANSWER_WITHIN)
        except requests.Timeout:
            pytest.fail(f"/healthz did not answer within {ANSWER_WITHIN} s during officer work")
        assert health.status_code == 200
        if worker.is_alive():
            answered_meanwhile += 1
        time.sleep(max(0.0, 0.05 - (time.monotonic() - started)))
    worker.join()
    # 422: 1,500 is more than one request may hide; 303: the 500 were hidden; then the page
    # with all 500 shown and the export.
    assert results == [[422, 303, 200, 200]]
    assert answered_meanwhile >= 3, "the heavy work was over before /healthz was asked"
