"""The dashboard's PDF pack download: a real PDF for the steering group, naming no setting."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


def test_steering_user_downloads_the_pdf_pack(as_role, seeded):
    response = as_role("steering").get("/exports/steering-pack.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "steering-pack-school-" in response.headers["content-disposition"]
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "summary for the steering group" in text
    # Two schools only: every group is below five, so the whole view is suppressed.
    assert "Suppressed" in text
    for name in ("Hollybank", "Brookside", "100001", "100002"):
        assert name not in text, name
    assert 'href="/exports/steering-pack.pdf?' in as_role("steering").get("/exports").text


@pytest.mark.parametrize(
    "path", ["/exports/steering-pack.pdf", "/exports/aggregates.xlsx", "/exports/returns.csv"]
)
def test_no_cycle_yet_is_a_plain_not_found(as_role, path):
    response = as_role("la_officer").get(path)
    assert response.status_code == 404
    assert "Traceback" not in response.text
