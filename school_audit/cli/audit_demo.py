"""The demo behind `school-audit audit demo`: a fictional first school and a partly done audit
(the answers come from `school_audit.services.demo_audits`).

Everything here is invented (names, URN, evidence); nothing identifies a child or a real person.
"""

from __future__ import annotations

from school_audit.domain.profile import EstablishmentProfile, Person
from school_audit.domain.setting import SettingType
from school_audit.domain.template import Template

DEMO_PROFILE = EstablishmentProfile(
    urn="999101",
    name="Larkfield First School (demo)",
    setting_type=SettingType.SCHOOL,
    phase="first",
    la_code="999",
    district="Demo district",
    flags={"has_eyfs": True, "is_maintained": True, "lets_premises": True},
    dsl=Person(name="Sam Example", role="Designated safeguarding lead"),
    head=Person(name="Alex Sample", role="Head teacher"),
    chair_of_governors=Person(name="Jo Placeholder", role="Chair of governors"),
)
SHARE_ANSWERED = 0.6  # answer the first 60 % of the applicable standards


def demo_template(templates: list[Template]) -> Template | None:
    """The newest built-in school template, or None if there is none."""
    schools = [t for t in templates if t.setting_type is SettingType.SCHOOL]
    return max(schools, key=lambda t: (t.cycle, t.version)) if schools else None
