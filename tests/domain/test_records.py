"""The domain's dataclasses read by two engines: pydantic for outside data, `from_trusted` for our
own stored data. Both must build equal objects, and the checks must still catch bad input."""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from school_audit.content import builtin_templates
from school_audit.domain.audit import Action, ActionStatus, Audit, Rating, Response, SignOff
from school_audit.domain.profile import EstablishmentProfile, Person
from school_audit.domain.setting import SettingType
from school_audit.domain.template import AnswerKind, Standard, Template
from tests.store.test_roundtrip_property import actions, responses


@pytest.mark.parametrize("template", list(builtin_templates()), ids=lambda t: f"{t.id}-{t.version}")
def test_trusted_reading_of_every_builtin_template_equals_validation(template):
    dumped = template.to_json()
    trusted = Template.from_trusted(dumped)
    assert trusted == Template.model_validate(dumped) == template
    assert trusted.sha256 == template.sha256
    assert isinstance(trusted.sections[0].standards[0].answer, AnswerKind)


@settings(max_examples=60, deadline=None)
@given(st.lists(responses, max_size=6), st.lists(actions, max_size=4))
def test_trusted_reading_of_random_audits_equals_validation(drawn, plan):
    audit = Audit(
        cycle="2025-26",
        profile=_profile(),
        template=_ref(),
        template_sha256="0" * 64,
        responses={r.standard_id: r for r in drawn},
        actions=plan,
        sign_off=[SignOff(role="dsl", name="A. Lead", statement="I confirm.",
                          signed_at=datetime(2025, 12, 1, 9, tzinfo=UTC))],  # fmt: skip
    )
    dumped = audit.model_dump(mode="json")
    assert Audit.from_trusted(dumped) == Audit.model_validate(dumped) == audit


def _ref():
    from school_audit.domain.template import TemplateRef

    return TemplateRef(id="mini", version="1")


def test_constructing_turns_enum_text_into_enums_as_validation_did():
    response = Response(standard_id="A1", rating="met")
    assert response.rating is Rating.MET and response.rating.label == "Met"
    assert Action(standard_id="A1", status="complete").status is ActionStatus.COMPLETE
    profile = EstablishmentProfile(urn="123456", name="A", setting_type="early_years", phase="childminder")
    assert profile.setting_type is SettingType.EARLY_YEARS
    assert profile.flags["childminder"] is True  # the phase keeps the flag in step


def test_validation_still_checks_patterns_lengths_strictness_and_unknown_fields():
    with pytest.raises(ValidationError) as caught:
        Standard.model_validate({"id": "-bad id", "text": "   ", "statutory": "yes", "colour": 1})
    problems = {(error["loc"][0], error["type"]) for error in caught.value.errors()}
    assert ("id", "string_pattern_mismatch") in problems
    assert ("text", "string_too_short") in problems  # whitespace is stripped first
    assert ("statutory", "bool_type") in problems  # strict: "yes" is not a boolean
    assert ("colour", "unexpected_keyword_argument") in problems
    fullwidth, arabic_indic = "\uff11\uff12\uff13\uff14\uff15\uff16", "\u0661\u0662\u0663\u0664\u0665\u0666"
    for urn in ("12", fullwidth, arabic_indic):
        with pytest.raises(ValidationError):  # too short; fullwidth and Arabic-Indic look-alikes
            EstablishmentProfile.model_validate(
                {"urn": urn, "name": "A", "setting_type": "school", "phase": "primary"}
            )
    assert EstablishmentProfile.model_validate(
        {"urn": " 123456 ", "name": " A ", "setting_type": "school", "phase": "primary"}
    ).urn == "123456"
    minder = {"name": "A", "setting_type": "early_years", "phase": "childminder"}
    assert EstablishmentProfile.model_validate({**minder, "urn": "VC123456"}).urn == "VC123456"


def test_trusted_reading_refuses_an_unknown_field_and_keeps_defaults():
    with pytest.raises(TypeError):
        Response.from_trusted({"standard_id": "A1", "colour": "red"})
    read = Response.from_trusted({"standard_id": "A1", "dates": {"trained": "2025-09-01"}})
    assert read == Response(standard_id="A1", dates={"trained": date(2025, 9, 1)})
    person = Person.from_trusted({"name": "Sam", "trained_on": None})
    assert person.trained_on is None and person.role == ""


def test_model_copy_updates_unchecked_and_deep_copies_on_request(school_profile):
    action = Action(standard_id="A1")
    done = action.model_copy(update={"status": ActionStatus.COMPLETE})
    assert done.status is ActionStatus.COMPLETE and action.status is ActionStatus.NOT_STARTED
    assert done.action_id == action.action_id
    deep = school_profile.model_copy(deep=True)
    deep.flags["copied_only"] = True
    assert "copied_only" not in school_profile.flags
    shallow = school_profile.model_copy()
    assert shallow == school_profile and shallow is not school_profile


def test_changed_template_copy_computes_its_own_hash(mini_template):
    first = mini_template.sha256
    changed = mini_template.model_copy(update={"version": "9"})
    assert changed.sha256 != first and mini_template.sha256 == first


def test_reading_an_audit_needs_no_pydantic(tmp_path):
    """The point of `from_trusted`: the desktop app shows an audit before pydantic is loaded."""
    code = (
        "import sys, json\n"
        "from school_audit.domain.audit import Audit\n"
        "from school_audit.domain.template import Template\n"
        "Audit.from_trusted(json.loads(sys.argv[1]))\n"
        "Template.from_trusted(json.loads(sys.argv[2]))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'rfc8785'))))\n"
    )
    template = next(iter(builtin_templates()))
    audit = Audit.start(template, _profile())
    audit.responses["X"] = Response(standard_id="X", rating=Rating.MET)
    import json

    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(audit.model_dump(mode="json")),
         json.dumps(template.to_json())],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "[]"


def _profile() -> EstablishmentProfile:
    return EstablishmentProfile(
        urn="123456", name="A School", setting_type=SettingType.SCHOOL, phase="primary"
    )


def test_uuid_and_datetime_fields_read_back_as_their_types(school_profile):
    audit = Audit(cycle="2025-26", profile=school_profile, template=_ref(), template_sha256="0" * 64,
                  supersedes=uuid.uuid4())  # fmt: skip
    read = Audit.from_trusted(audit.model_dump(mode="json"))
    assert isinstance(read.audit_id, uuid.UUID) and isinstance(read.supersedes, uuid.UUID)
    assert read == audit
