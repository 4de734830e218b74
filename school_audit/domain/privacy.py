"""Warnings when free text looks as if it identifies a child.

An audit must never carry a child's name, date of birth, NHS number, UPN or case reference. This is
a warning shown where the text is typed (and before signing), not a block: it must rarely fire on
ordinary evidence such as "CP policy reviewed 12/09/2025, approved by FGB" or "DSL Mrs Patel".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from school_audit.domain.first_names import COMMON_FIRST_NAMES


class PrivacyKind(StrEnum):
    CHILD_NAME = "child_name"
    PERSON_NAME = "person_name"
    DATE_OF_BIRTH = "date_of_birth"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    CASE_REFERENCE = "case_reference"
    SMALL_COUNT = "small_count"


MESSAGES = {
    PrivacyKind.CHILD_NAME: "This looks like a child's name. Describe the evidence without naming children.",
    PrivacyKind.PERSON_NAME: (
        "This looks like a person's full name. Name staff only where the audit asks, with their role;"
        " never name a child."
    ),
    PrivacyKind.DATE_OF_BIRTH: "This looks like a date of birth. Leave personal details out of the audit.",
    PrivacyKind.NHS_NUMBER: "This looks like an NHS number. Leave personal details out of the audit.",
    PrivacyKind.UPN: "This looks like a unique pupil number (UPN). Leave it out of the audit.",
    PrivacyKind.CASE_REFERENCE: "This looks like a case reference. Refer to records in general terms instead.",
    PrivacyKind.SMALL_COUNT: "A count this small can identify someone. Write <5 instead of the number.",
}

# The one rule for small numbers. Every template's description states it in these words, and
# `small_counts` warns where free text breaks it.
SMALL_COUNT_THRESHOLD = 5
SMALL_COUNT_RULE = "Where a count is fewer than 5, write <5 instead of the number."


@dataclass(frozen=True)
class PrivacyWarning:
    kind: PrivacyKind
    start: int
    end: int

    @property
    def message(self) -> str:
        return MESSAGES[self.kind]


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    rf"\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
)
# "born" and "birthday" with a month and year only ("born in March 2016") are a date of birth too;
# "is", "was", "on", "in" may stand between the word and the date ("his birthday is on …").
_DOB = re.compile(
    rf"\b(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|born|birthday)(?:\s+(?:is|was|on|in))*\s*[:\-]?\s*"
    rf"(?:{_DATE}|{_MONTH}\s+\d{{4}})",
    re.IGNORECASE,
)
_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
# UPN: check letter, LA (3), establishment (4), year (2), serial (3, the last may be a letter).
_UPN = re.compile(r"\b[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]\b")
_CASE_REF = re.compile(
    r"\b(?:case|referral|cp|cin|lac|cla|mash|fft|child|family|mosaic|lcs|csc|section\s+47|s47)\s*"
    r"(?:ref(?:erence)?(?:\s+(?:no|number|id))?|no|number|id)\.?\s*[:#]?\s*(?=[A-Z0-9/-]*\d)[A-Z0-9][A-Z0-9/-]{2,}"
    # The number of a referral or case that has no "ref" before it: "MASH/2231", "S47-2025-0482",
    # "Referral 2025-0459", "open case 2025-0620". Policy and document numbers ("HR-COC-2025",
    # "SG-POL-014") start with other letters and are left alone.
    r"|\b(?:mash|cp|cin|lac|cla|csc|ffd|s47|marac|eh)[/-]\d[\dA-Z/-]{2,}"
    r"|\b(?:referral|case)\s+(?:\d{2,}[/-]\d[\dA-Z/-]*|\d{4,})",
    re.IGNORECASE,
)
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
# A first name as typed, capitalised or not ("mohammed in yr 4"), with an initial after it ("ava p.").
_INITIAL = r"[A-Za-z]\.(?!\w)"
_CHILD_NAME = rf"{_NAME}(?:\s+(?:{_NAME}|{_INITIAL}))?|[a-z]{{2,}}(?:-[a-z]+)?(?:\s+{_INITIAL})?"
_CHILD_WORD = re.compile(
    rf"\b(?i:pupil|child|student|learner|boy|girl|son|daughter|baby|toddler|sibling|brother|sister|twin|cousin|"
    rf"stepson|stepdaughter|little)"
    rf"(?:\s+(?i:called|named))?,?\s+['\"\u2018\u201c]?(?P<name>{_NAME}(?:\s+{_NAME})?)"
)
_CALLED = re.compile(rf"\b(?:called|named)\s+['\"\u2018\u201c]?(?P<name>{_NAME}(?:\s+{_NAME})?)")
# A year group, class or room straight after a name: "Olivia (Year 4)", "Zainab, Year 1", "Leo in
# Year 2", "matilda from reception", "ava p. in class 2"; or an age: "Alfie, 9, told staff".
_GROUP = (
    r"(?i:y(?:ea)?r\s*\d{1,2}\b|y\d{1,2}\b|class\s+\d{1,2}\b|reception\b|nursery\b|"
    r"aged?\s+\d{1,2}\b|\d{1,2}\s*(?:yrs?|years?\s+old)\b)"
)
_NAME_WITH_AGE = re.compile(
    rf"\b(?P<name>(?:{_CHILD_NAME}))(?:\s*(?:,\s*|\()(?P<group>{_GROUP}|\d{{1,2}}\s*[,)](?!\d))"
    rf"|\s+(?i:in|from|of)\s+(?i:the\s+)?(?P<group2>{_GROUP}))"
)
# Initials with an age or year group: "J.S., aged 7", "AB (age 9)", "K.M. (Year 4)". Undotted capitals
# need an age, since "PE (Year 6)" or "RE, Year 4" name subjects.
_AGE = r"(?i:aged?\s+\d{1,2}\b|\d{1,2}\s*(?:yrs?|years?\s+old)\b)"
_INITIALS = re.compile(
    rf"\b(?P<name>[A-Z]\.(?:\s?[A-Z]\.){{1,2}})\s*,?\s*\(?(?:{_AGE}|(?i:y(?:ea)?r\s*\d{{1,2}}\b|y\d{{1,2}}\b))"
    rf"|\b(?P<name2>(?!CP|PE|RE|IT|HR|TA|HT|EY|SE)[A-Z]{{2}})\s*(?:,\s*|\()\s*{_AGE}"
)
_FAMILY = (
    r"mum|mom|mummy|mother|dad|daddy|father|parents?|carers?|family|foster(?:\s+carers?)?|nan|nana|gran|granny|"
    r"grandma|grandad|granddad|grandpa|grandmother|grandfather|grandparents?|aunt|aunty|auntie|uncle|cousin|"
    r"step-?(?:mum|dad|mother|father|parent)|sister|brother|siblings?|twin|half-(?:brother|sister)|guardian|"
    r"social\s+worker|key\s+(?:person|worker)|class(?:\s+teacher)?|teacher"
)
_POSSESSIVE = re.compile(
    rf"\b(?P<name>(?:{_CHILD_NAME}))['\u2019]s\s+(?i:(?:older|younger|little|big|baby|twin|elder|new)\s+)?"
    rf"(?P<what>(?i:{_FAMILY}))\b(?!\s+(?i:support|services?|hubs?|centres?|days?|workers?|groups?|team|liaison|"
    rf"learning|rooms?|lines?|links?|time|fun|engagement|partnerships?|network|meetings?))"
)
# What happens to a child, said of a name: "Sophie Turner's allegation", "Mason's CIN plan".
_POSSESSIVE_RECORD = re.compile(
    rf"\b(?P<name>(?:{_CHILD_NAME}))['\u2019]s\s+(?i:allegation|disclosure|attendance|referral|ehcp|cp\s+plan|cin\s+plan|"
    rf"safety\s+plan|care\s+plan|plan|file|chronology|case|needs|behaviour|absence|exclusion|suspension)\b"
)
# A name with a brother or sister: "Ruby and her sister", "Logan Price and his brother".
_WITH_SIBLING = re.compile(
    rf"\b(?P<name>(?:{_CHILD_NAME}))\s+(?:and|&|with)\s+(?i:his|her|their)\s+(?i:(?:older|younger|little|big|baby|twin)\s+)?"
    rf"(?i:brothers?|sisters?|siblings?|twin|cousins?|mum|dad|mother|father|parents?|carers?|foster\s+carers?)\b"
)
# A name next to something that happens to a child: "Sienna was collected by an unknown adult",
# "CIN plan for Mason", "referral for Amira", "Strategy discussion held re: Ethan".
_CHILD_EVENT = re.compile(
    rf"\b(?P<name>(?:{_CHILD_NAME}))(?:\s*\([^)]{{1,20}}\))?\s+(?i:disclosed|was\s+(?:referred|collected|seen|found|"
    rf"left|excluded|suspended|missing|taken|placed|reported|harmed|injured|hurt|bullied|groomed)|went\s+missing|"
    rf"told\s+(?:staff|a\s+member|his|her|the\s+(?:teacher|dsl))|has\s+(?:a|an|had\s+a)\s+(?:social\s+worker|"
    rf"child\s+protection|cp|cin|ehcp|safety\s+plan|open)|is\s+(?:on\s+a\s+(?:cp|child\s+protection|part-time|"
    rf"reduced)|subject\s+to|known\s+to|open\s+to|looked\s+after|a\s+(?:young\s+carer|looked-after|child\s+in\s+need))|"
    rf"attends\s+(?:the|our)\s+(?:breakfast|after-school|nursery|pupil\s+referral|alternative))"
    rf"|\b(?i:referral|referred|concerns?|disclosure|allegation|plan|file|strategy\s+(?:meeting|discussion)(?:\s+held)?|"
    rf"notification|assessment|screening|outcome)\s+(?i:for|about|re:?|regarding|concerning|following|of)\s+"
    rf"(?P<name2>{_NAME})\b"
)
_ADULT_TITLES = {"mr", "mrs", "ms", "miss", "dr", "mx", "sir", "dame", "rev", "cllr", "prof"}


def check_text(text: str) -> list[PrivacyWarning]:
    """Every place in `text` that looks like child-identifiable information, in order."""
    return list(_check_text(text))


@lru_cache(maxsize=4096)
def _check_text(text: str) -> tuple[PrivacyWarning, ...]:
    """Kept for each text: the readiness check goes over every text of the audit at each change,
    and all but the one just edited are as they were."""
    warnings = [
        *_matches(_DOB, text, PrivacyKind.DATE_OF_BIRTH),
        *_nhs_numbers(text),
        *_matches(_UPN, text, PrivacyKind.UPN),
        *_matches(_CASE_REF, text, PrivacyKind.CASE_REFERENCE),
        *_child_names(text),
    ]
    # A full name already flagged as a child's ("pupil Jack Smith") is said once, the stronger way.
    warnings += [n for n in _full_names(text) if not any(w.start < n.end and n.start < w.end for w in warnings)]
    return tuple(sorted(set(warnings), key=lambda w: (w.start, w.kind)))


# A count of 1 to 4 of something that happens to a child or a member of staff: "3 referrals",
# "two LADO consultations". Counts of policies, panels, governors or meetings are left alone.
_SMALL_COUNT = re.compile(
    r"(?<![\d.,/:<-])\b(?P<count>[1-4]|one|two|three|four)\s+(?:[a-z-]+\s+){0,2}?"
    r"(?:referrals?|allegations?|consultations?|notifications?|disclosures?|incidents?|cases?|"
    r"children|child|pupils?|learners?|students?|families|carers?|removals?|exclusions?|"
    r"suspensions?|plans?|timetables?|assessments?)\b",
    re.IGNORECASE,
)
# "Year 4 pupils", "Level 3 learners": the number names a group, not how many.
_NOT_A_COUNT = {"year", "yr", "stage", "level", "version", "part", "section", "annex", "phase"}


def small_counts(text: str) -> list[PrivacyWarning]:
    """Counts below `SMALL_COUNT_THRESHOLD` of children, cases or referrals in `text`: the place
    to write <5 instead. Kept apart from `check_text` (which looks for identifying details) so that
    each caller chooses to show it."""
    found = []
    for match in _SMALL_COUNT.finditer(text):
        before = text[: match.start()].split()
        if before and before[-1].lower().strip("(") in _NOT_A_COUNT:
            continue
        found.append(PrivacyWarning(PrivacyKind.SMALL_COUNT, match.start("count"), match.end()))
    return found


def _matches(pattern: re.Pattern[str], text: str, kind: PrivacyKind) -> list[PrivacyWarning]:
    return [PrivacyWarning(kind, m.start(), m.end()) for m in pattern.finditer(text)]


def _nhs_numbers(text: str) -> list[PrivacyWarning]:
    return [
        PrivacyWarning(PrivacyKind.NHS_NUMBER, m.start(), m.end())
        for m in _NHS.finditer(text)
        if nhs_checksum_ok("".join(m.groups()))
    ]


def nhs_checksum_ok(digits: str) -> bool:
    """The NHS number modulus-11 check (weights 10..2; 11 → 0; 10 is never valid)."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


_SURNAME_NEXT = re.compile(rf"\s+{_NAME}\b")


def _child_names(text: str) -> list[PrivacyWarning]:
    found = []
    for pattern, strong in (
        (_CHILD_WORD, False),
        (_CALLED, False),
        (_NAME_WITH_AGE, True),
        (_POSSESSIVE, True),
        (_POSSESSIVE_RECORD, False),
        (_WITH_SIBLING, True),
        (_CHILD_EVENT, False),
    ):
        for match in pattern.finditer(text):
            group = "name2" if "name2" in pattern.groupindex and match.group("name2") else "name"
            words = match.group(group).split()
            full = (len(words) > 1 and not words[1].endswith(".")) or _SURNAME_NEXT.match(text, match.end(group))
            if pattern is _CHILD_EVENT and full:
                continue  # a full name is said by `_full_names`, with a role nearby read as staff
            if _looks_like_child_name(text, match, group, strong):
                found.append(PrivacyWarning(PrivacyKind.CHILD_NAME, match.start(group), match.end(group)))
    for m in _INITIALS.finditer(text):
        group = "name" if m.group("name") else "name2"
        found.append(PrivacyWarning(PrivacyKind.CHILD_NAME, m.start(group), m.end(group)))
    return found


# A first name from the list followed by a capitalised surname: "Jamie Smith was referred". Staff
# are named in evidence too, nearly always with their role or a title nearby ("DSL Emma Clarke",
# "Sarah Jones, chair of governors", "delivered by Tom Ellis"), so a role or title close before the
# name, or a role or staff verb right after it, marks an adult; so does a word that makes it a
# place or a thing ("Grace Academy", "Rose Lane Nursery", "Harry Potter day").
_FULL_NAME = re.compile(rf"\b(?P<name>{_NAME}\s+(?:O['\u2019])?{_NAME})\b")
_ADULT_BEFORE = {
    "dsl", "ddsl", "deputy", "head", "headteacher", "headmaster", "headmistress", "principal",
    "governor", "governors", "chair", "vice", "clerk", "manager", "lead", "leader", "senco", "lado",
    "teacher", "officer", "trustee", "ceo", "nurse", "practitioner", "childminder", "assistant",
    "person", "designated", "supervisor", "administrator", "bursar", "caretaker", "coordinator",
    "aider", "aiders", "by", "from", "staff", "cover", "contact", "trainer", "tutor", "mentor",
}
_ADULT_AFTER = {
    "dsl", "ddsl", "deputy", "head", "headteacher", "principal", "governor", "chair", "clerk",
    "manager", "lead", "senco", "lado", "teacher", "trustee", "ceo", "nurse", "practitioner",
    "childminder", "assistant", "registered", "designated", "from", "completed", "leads", "chairs",
    "delivered", "trained", "signed", "reviewed", "approved", "audited", "attended", "supervises",
}
_NOT_A_PERSON = {
    "academy", "primary", "school", "schools", "nursery", "pre-school", "preschool", "playgroup",
    "college", "high", "infant", "infants", "junior", "juniors", "church", "centre", "center",
    "room", "house", "hall", "trust", "lane", "road", "street", "avenue", "close", "park", "way",
    "court", "ward", "unit", "day", "week", "club", "award", "fund", "project", "foundation",
    "federation", "partnership", "board", "team", "service", "services", "books", "book",
}


def _full_names(text: str) -> list[PrivacyWarning]:
    found = []
    adult_until = -1  # the end of the last name read as an adult's: "Lucy Khan and Adam Scott"
    for match in _FULL_NAME.finditer(text):
        first, surname = match.group("name").split(maxsplit=1)
        if first.lower() not in COMMON_FIRST_NAMES or surname.lower() in _NOT_A_PERSON:
            continue
        if re.match(r"\s+and\s+the\s+[A-Z]", text[match.end() :]):
            continue  # a title: "Harry Potter and the Philosopher's Stone", "Jack and the Beanstalk"
        before = [w.strip(".,:;()'\u2019").lower() for w in text[: match.start()].split()[-4:]]
        after = [w.removesuffix("'s").removesuffix("\u2019s").strip(".,:;()'\u2019").lower() for w in text[match.end() :].split()[:3]]
        after = [w for w in after if w][:2]
        listed_with_adult = adult_until >= 0 and text[adult_until : match.start()].strip(" ,") in {"", "and", "or", "&"}
        if (
            listed_with_adult
            or (before and before[-1] in _ADULT_TITLES)
            or _ADULT_BEFORE.intersection(before)
            or _ADULT_AFTER.intersection(after)
        ):
            adult_until = match.end()
            continue
        if after and after[0] in _NOT_A_PERSON:
            continue
        found.append(PrivacyWarning(PrivacyKind.PERSON_NAME, match.start("name"), match.end("name")))
    return found


# First names that are ordinary words too: typed in lower case they are read as the word ("over the
# summer in Year 6", "the rose's"), never as a name.
_NAMES_THAT_ARE_WORDS = {
    "amber", "aria", "bonnie", "daisy", "eden", "faith", "grace", "hazel", "holly", "ivy", "jack", "lily",
    "luna", "max", "penny", "poppy", "rose", "ruby", "summer", "violet", "willow", "harley", "frankie",
    "billy", "bobby", "teddy", "sam", "tom", "will", "hope", "joy", "mark", "dawn", "june", "may", "art",
}
# Capitalised words that stand where a name could in school text but are not names: read at the
# start of a sentence or as a place or group ("Staff in Year 3", "Children in Nursery", "Mother's
# Day", "Barnardo's family support", "Visit to Chester, Year 2").
_NOT_A_NAME = {
    "the", "a", "an", "this", "that", "these", "those", "our", "your", "their", "his", "her", "its", "my",
    "all", "each", "every", "some", "any", "one", "two", "three", "other", "another", "both", "most", "many",
    "pupil", "pupils", "child", "children", "student", "students", "learner", "learners", "staff", "parent",
    "parents", "carer", "carers", "family", "families", "boy", "boys", "girl", "girls", "baby", "babies",
    "mother", "father", "mum", "dad", "women", "men", "people", "everyone", "someone", "nobody", "anyone",
    "year", "years", "class", "classes", "group", "groups", "reception", "nursery", "school", "schools",
    "academy", "trust", "council", "governors", "governor", "team", "teams", "setting", "settings", "room",
    "today", "yesterday", "tomorrow", "term", "week", "month", "day", "last", "next", "first", "new",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "june", "july", "august", "september", "october", "november", "december",
    "spring", "autumn", "winter", "barnardo", "there", "here", "where", "when", "after", "before", "since",
    "assembly", "trip", "visit", "training", "lessons", "lesson", "sessions", "session", "tutors", "teachers",
    "referral", "referrals", "concern", "concerns", "plan", "plans", "attendance", "safeguarding", "early",
    "help", "health", "social", "care", "support", "services", "service", "police", "office", "site",
}
# Before a place rather than a person: "Visit to Chester (Year 5)", "the Owls (Year 2)".
_PLACE_BEFORE = {"to", "at", "in", "into", "near", "from", "of", "visit", "trip", "the", "st", "saint", "via"}


def _looks_like_child_name(text: str, match: re.Match[str], group: str = "name", strong: bool = False) -> bool:
    """Whether the word `match` found where a child's name would stand is a name. A word from the list of
    first names is one, in any case; in the strongest places (a year group or age straight after it,
    a family word after its possessive, a brother or sister with it) an unlisted capitalised word is
    one too unless it is a word that stands there in ordinary text, so that names the list lacks
    ("Zainab, Year 1", "Kian's mum") are caught."""
    word = match.group(group).split()[0]
    first = word.split("-")[0]
    lower = first.lower()
    if lower in _ADULT_TITLES:
        return False  # "Mrs Khan's class"
    before = text[: match.start(group)].split()
    previous = before[-1].rstrip(".,:;").lower() if before else ""
    if previous in _ADULT_TITLES or previous in _ADULT_BEFORE - {"by", "from"}:
        return False
    if first[0].islower():
        return lower in COMMON_FIRST_NAMES and lower not in _NAMES_THAT_ARE_WORDS
    if lower in COMMON_FIRST_NAMES:
        return True
    if not strong or lower in _NOT_A_NAME or lower in _ADULT_BEFORE or not first[1:].islower():
        return False
    if match.re is _NAME_WITH_AGE:
        # Unlisted and before a year group: only a name mid-sentence, not after a place word, and not
        # a plural ("Robins (Year 1)", the name of a class).
        # An age says a person even at the start ("Kian, aged 6, …"); a year group does not ("Staff in Year 3").
        at_start = not before or before[-1][-1] in ".!?;:"
        if at_start and (match.group("group") or match.group("group2"))[0].lower() in "a0123456789":
            at_start = False
        if at_start or previous in _PLACE_BEFORE or lower.endswith("s"):
            return False
    return True
