"""The establishment profile: who the setting is, which decides what it must answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, ClassVar

from school_audit.domain.records import Record, Rule
from school_audit.domain.setting import PROFILE_FLAGS, SettingType

# A GIAS or Ofsted URN: 123456, 2654321, EY123456 or VC123456. [0-9], not \d: the pattern
# engine's \d takes Arabic-Indic and fullwidth digits, which make look-alike URNs.
URN_PATTERN = r"(EY|VC)?[0-9]{6,7}"
Urn = Annotated[str, Rule(pattern=f"^{URN_PATTERN}$", strip_whitespace=True)]
STRIP: dict[str, Any] = {"extra": "forbid", "str_strip_whitespace": True}


@dataclass(kw_only=True)
class Person(Record):
    """A named adult the audit needs (DSL, deputies, governors). Never a child."""

    __pydantic_config__: ClassVar[dict[str, Any]] = STRIP

    name: str = ""
    role: str = ""
    trained_on: date | None = None  # last full training (DSL: renew every two years)
    updated_on: date | None = None  # last refresher or update (DSL: at least yearly)


@dataclass(kw_only=True)
class EstablishmentProfile(Record):
    __pydantic_config__: ClassVar[dict[str, Any]] = STRIP

    urn: Urn
    name: Annotated[str, Rule(min_length=1, strip_whitespace=True)]
    setting_type: SettingType
    phase: str
    la_code: str = ""
    district: str = ""
    flags: dict[str, bool] = field(default_factory=dict)
    dsl: Person = field(default_factory=lambda: Person(role="Designated safeguarding lead"))
    deputies: list[Person] = field(default_factory=list)
    head: Person = field(default_factory=lambda: Person(role="Head teacher"))
    chair_of_governors: Person = field(default_factory=lambda: Person(role="Chair of governors"))
    safeguarding_governor: Person = field(
        default_factory=lambda: Person(role="Safeguarding governor")
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        # A childminder is both a kind of provider (phase) and a switch for standards (flag):
        # keep the two in step so templates only need the flag.
        if self.setting_type is SettingType.EARLY_YEARS:
            self.flags["childminder"] = self.phase == "childminder"
            if not self.flags["childminder"]:
                self.flags.pop("works_alone", None)  # only a childminder can work alone
        elif self.phase == "independent":
            self.flags["is_independent"] = True

    @property
    def is_childminder(self) -> bool:
        return self.flags.get("childminder", False)

    def envelope_establishment(self) -> dict[str, Any]:
        """The `establishment` object of the submission envelope.

        `flags` is an optional extension of §4.1: every profile flag, true or false, so the
        collector can tell exactly which standards applied (e.g. EYFS ones) and check none is
        missing. They describe the setting, never a person.
        """
        value: dict[str, Any] = {
            "urn": self.urn,
            "name": self.name,
            "setting_type": self.setting_type.value,
            "phase": self.phase,
            "flags": {flag: bool(self.flags.get(flag, False)) for flag in sorted(PROFILE_FLAGS)},
        }
        if self.la_code:
            value["la_code"] = self.la_code
        if self.district:
            value["district"] = self.district
        return value
