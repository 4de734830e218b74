"""Who may open which page (ARCHITECTURE §4.3). The role × route tests check this table.

- admin: everything, including users and the audit log;
- la_officer: every return in full, per establishment; accept, return for changes, hide
  identifying text (redaction), export;
- steering: aggregates only, with small groups suppressed; may export the aggregate pack.
"""

from __future__ import annotations

from dataclasses import dataclass

ADMIN = "admin"
LA_OFFICER = "la_officer"
STEERING = "steering"
ROLES = (ADMIN, LA_OFFICER, STEERING)
ROLE_LABELS = {ADMIN: "Administrator", LA_OFFICER: "LA officer", STEERING: "Steering group"}

LA_STAFF = frozenset({ADMIN, LA_OFFICER})
EVERYONE = frozenset(ROLES)

# Pages that name settings or show small groups are for LA staff only; the steering group gets
# its own suppressed view and the aggregate export.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": LA_STAFF,
    "compliance": LA_STAFF,
    "triage": LA_STAFF,
    "themes": LA_STAFF,
    "trends": LA_STAFF,
    "returns": LA_STAFF,
    "settings": LA_STAFF,  # the settings behind each figure, search, a setting's history
    "review": LA_STAFF,
    "redact": LA_STAFF,
    "export_returns": LA_STAFF,
    "steering": EVERYONE,
    "exports": EVERYONE,
    "export_aggregates": EVERYONE,
    "admin": frozenset({ADMIN}),
    "mail": LA_STAFF,  # reminders, failed mail, contacts, feedback letters (collector/mail)
}


@dataclass(frozen=True)
class NavItem:
    page: str
    label: str
    href: str


NAVIGATION = (
    NavItem("overview", "Overview", "/"),
    NavItem("returns", "Returns", "/returns"),
    NavItem("compliance", "Compliance", "/compliance"),
    NavItem("triage", "Risk triage", "/triage"),
    NavItem("themes", "Themes", "/themes"),
    NavItem("trends", "Trends", "/trends"),
    NavItem("steering", "Steering view", "/steering"),
    NavItem("exports", "Exports", "/exports"),
    NavItem("mail", "Mail", "/mail"),
    NavItem("admin", "Admin", "/admin"),
)


def may_open(role: str, page: str) -> bool:
    return role in PAGE_ROLES.get(page, frozenset())


def navigation_for(role: str) -> list[NavItem]:
    return [item for item in NAVIGATION if may_open(role, item.page)]


def home_for(role: str) -> str:
    return "/" if may_open(role, "overview") else "/steering"
