"""The demo's fictional register: made-up schools and early-years settings in a county laid out
like Worcestershire (LA 885: first, middle and high schools in some districts, primary and
secondary in others). Written in the published file layouts, then imported the real way.
"""

from __future__ import annotations

from school_audit.collector.register.samples import early_years_csv, gias_csv

LA_CODE = "885"
# (urn, name, district, GIAS type, GIAS phase, low age, high age, extra GIAS fields)
MAINTAINED = ("Community school", "Local authority maintained schools")
ACADEMY = ("Academy converter", "Academies")
SCHOOLS: list[tuple[str, str, str, tuple[str, str], str, int, int]] = [
    ("990101", "Hollybank First School", "Redditch", MAINTAINED, "Primary", 4, 9),
    ("990102", "Larkspur First School", "Redditch", ACADEMY, "Primary", 4, 9),
    ("990103", "Millbrook CE First School", "Redditch", MAINTAINED, "Primary", 4, 9),
    (
        "990104",
        "Foxlydiate Middle School",
        "Redditch",
        MAINTAINED,
        "Middle deemed secondary",
        9,
        13,
    ),
    ("990105", "Arrowvale High School", "Redditch", ACADEMY, "Secondary", 13, 18),
    ("990106", "Beoley Brook First School", "Bromsgrove", MAINTAINED, "Primary", 4, 9),
    ("990107", "Catshill Meadow First School", "Bromsgrove", MAINTAINED, "Primary", 4, 9),
    (
        "990108",
        "Lickey Edge Middle School",
        "Bromsgrove",
        ACADEMY,
        "Middle deemed secondary",
        9,
        13,
    ),
    ("990109", "Sanders Park High School", "Bromsgrove", ACADEMY, "Secondary", 13, 18),
    ("990110", "Wythall Green Primary School", "Bromsgrove", MAINTAINED, "Primary", 4, 11),
    ("990111", "St Égwin's CE First School, Évesham", "Wychavon", MAINTAINED, "Primary", 4, 9),
    ("990112", "Pershore Abbey First School", "Wychavon", ACADEMY, "Primary", 4, 9),
    ("990113", "Bredon Hill Middle School", "Wychavon", ACADEMY, "Middle deemed primary", 9, 12),
    ("990114", "Vale of Avon High School", "Wychavon", ACADEMY, "Secondary", 12, 18),
    ("990115", "Droitwich Spa Primary School", "Wychavon", MAINTAINED, "Primary", 4, 11),
    ("990116", "Claines Orchard Primary School", "Worcester", MAINTAINED, "Primary", 4, 11),
    ("990117", "Brontë Avenue Infant School", "Worcester", MAINTAINED, "Primary", 4, 7),
    ("990118", "Brontë Avenue Junior School", "Worcester", MAINTAINED, "Primary", 7, 11),
    ("990119", "Diglis Riverside Primary School", "Worcester", ACADEMY, "Primary", 4, 11),
    ("990120", "Perdiswell Secondary Academy", "Worcester", ACADEMY, "Secondary", 11, 16),
    ("990121", "Cathedral View Secondary School", "Worcester", ACADEMY, "Secondary", 11, 18),
    ("990122", "Malvern Wells Primary School", "Malvern Hills", MAINTAINED, "Primary", 4, 11),
    ("990123", "Upton Marina Primary School", "Malvern Hills", MAINTAINED, "Primary", 4, 11),
    ("990124", "Tenbury Teme Primary School", "Malvern Hills", ACADEMY, "Primary", 4, 11),
    ("990125", "Priory Ridge Secondary School", "Malvern Hills", ACADEMY, "Secondary", 11, 18),
    ("990126", "Habberley Woods Primary School", "Wyre Forest", MAINTAINED, "Primary", 4, 11),
    ("990127", "Stourport Basin Primary School", "Wyre Forest", ACADEMY, "Primary", 4, 11),
    ("990128", "Bewdley Bridge Primary School", "Wyre Forest", MAINTAINED, "Primary", 4, 11),
    ("990129", "Wolverley Chase Secondary School", "Wyre Forest", ACADEMY, "Secondary", 11, 18),
    ("990130", "Kidderminster Noël Primary School", "Wyre Forest", MAINTAINED, "Primary", 3, 11),
]
SPECIAL = [
    ("990131", "Riverside Special School", "Worcester", "Community special school", "Special schools", 2, 19),
    ("990132", "Hillcrest Special School", "Wyre Forest", "Foundation special school", "Special schools", 4, 19),
    ("990133", "Northwick Pupil Referral Unit", "Worcester", "Pupil referral unit", "Local authority maintained schools", 11, 16),
    ("990134", "Abberley Côte School", "Malvern Hills", "Other independent school", "Independent schools", 3, 18),
    ("990135", "Leafield Nursery School", "Redditch", "Local authority nursery school", "Local authority maintained schools", 2, 5),
]  # fmt: skip
CLOSED = ("990136", "Old Mill First School", "Bromsgrove", MAINTAINED, "Primary", 4, 9)

EARLY_YEARS = [
    ("EY990201", "Little Acorns Pré-school", "pre_school", "Redditch"),
    ("EY990202", "Rainbow Day Nursery", "day_nursery", "Redditch"),
    ("EY990203", "Buttercups Nursery", "day_nursery", "Bromsgrove"),
    ("EY990204", "Tiddlers Playgroup", "pre_school", "Bromsgrove"),
    ("EY990205", "Orchard Kids Club", "out_of_school", "Wychavon"),
    ("EY990206", "Sunflowers Day Nursery", "day_nursery", "Wychavon"),
    ("EY990207", "Cathedral Tots", "day_nursery", "Worcester"),
    ("EY990208", "Riverside Pre-school", "pre_school", "Worcester"),
    ("EY990209", "Hills and Dales Nursery", "day_nursery", "Malvern Hills"),
    ("EY990210", "Teme Valley Playgroup", "pre_school", "Malvern Hills"),
    ("EY990211", "Forest Friends Nursery", "day_nursery", "Wyre Forest"),
    ("EY990212", "Little Owls Holiday Club", "out_of_school", "Wyre Forest"),
    ("EY990213", "Jo Whitfield (childminder)", "childminder", "Redditch"),
    ("EY990214", "Priya Shah (childminder)", "childminder", "Worcester"),
    ("EY990215", "Chloé Martin (childminder)", "childminder", "Wyre Forest"),
]
# Academies' multi-academy trusts (name, GIAS "Trusts (code)"); one is small enough for the
# steering view to suppress it.
TRUSTS = {
    "990102": ("Severn Vale Learning Trust", "4101"), "990105": ("Severn Vale Learning Trust", "4101"),
    "990108": ("Severn Vale Learning Trust", "4101"), "990109": ("Severn Vale Learning Trust", "4101"),
    "990112": ("Severn Vale Learning Trust", "4101"), "990113": ("Avon and Teme Academies", "4102"),
    "990114": ("Avon and Teme Academies", "4102"), "990119": ("Avon and Teme Academies", "4102"),
    "990124": ("Avon and Teme Academies", "4102"), "990125": ("Avon and Teme Academies", "4102"),
    "990120": ("Forest Learning Partnership", "4103"), "990121": ("Forest Learning Partnership", "4103"),
    "990127": ("Forest Learning Partnership", "4103"), "990129": ("Forest Learning Partnership", "4103"),
}  # fmt: skip
# Number on roll by phase: (smallest, step between schools); the independent school's is left
# out, as GIAS can leave it.
ROLLS = {"Primary": (60, 37), "Middle deemed secondary": (380, 41), "Middle deemed primary": (320, 0),
         "Secondary": (640, 97), "Not applicable": (90, 19), "Nursery": (85, 0)}  # fmt: skip
# Registered places by kind of early-years provider: (fewest, step between settings).
PLACES = {"childminder": (6, 0), "pre_school": (18, 7), "day_nursery": (36, 17),
          "out_of_school": (30, 11)}  # fmt: skip
HEADS = ["Mrs A Price", "Mr D Okafor", "Ms R Kaur", "Dr S Whitmore", "Mr J Ellis", "Mrs H Müller"]


def _school_row(spec: tuple, type_name: str, group: str, status: str = "Open") -> dict[str, str]:  # type: ignore[type-arg]
    urn, name, district, _, phase, low, high = spec[:7]
    index = int(urn[-2:])
    title, first, last = (HEADS[index % len(HEADS)].split(" ", 2) + ["", ""])[:3]
    return {
        "URN": urn, "LA (code)": LA_CODE, "LA (name)": "Worcestershire",
        "EstablishmentNumber": f"{2000 + index if phase == 'Primary' else 4000 + index}",
        "EstablishmentName": name, "TypeOfEstablishment (name)": type_name,
        "EstablishmentTypeGroup (name)": group, "EstablishmentStatus (name)": status,
        "PhaseOfEducation (name)": phase, "StatutoryLowAge": str(low), "StatutoryHighAge": str(high),
        "Boarders (name)": "No boarders",
        "NurseryProvision (name)": "Has Nursery Classes" if low <= 3 else "No Nursery Classes",
        "OfficialSixthForm (name)": "Has a sixth form" if high >= 18 and low >= 11 else "Does not have a sixth form",
        "Town": district, "Postcode": f"WR{index % 15 + 1} {index % 9 + 1}AB",
        "TelephoneNum": f"01905 {600000 + index * 37}", "HeadTitle (name)": title,
        "HeadFirstName": first, "HeadLastName": last,
        "DistrictAdministrative (name)": district, "Country (name)": "United Kingdom",
    }  # fmt: skip


def _roll(urn: str, phase: str, type_name: str) -> str:
    if type_name == "Other independent school":
        return ""
    smallest, step = ROLLS[phase]
    return str(smallest + step * (int(urn[-2:]) % 9))


def gias_file() -> bytes:
    rows = [_school_row(spec, *spec[3]) for spec in SCHOOLS]
    for row in rows:
        if row["URN"] in TRUSTS:
            row["Trusts (name)"], row["Trusts (code)"] = TRUSTS[row["URN"]]
            row["TrustSchoolFlag (name)"] = "Supported by a multi-academy trust"
    rows += [
        _school_row((*spec[:3], None, "Not applicable", *spec[5:]), spec[3], spec[4])
        for spec in SPECIAL
    ]
    rows[-1]["PhaseOfEducation (name)"] = "Nursery"
    for row in rows:
        phase, kind = row["PhaseOfEducation (name)"], row["TypeOfEstablishment (name)"]
        row["NumberOfPupils"] = _roll(row["URN"], phase, kind)
    rows.append(_school_row(CLOSED, *CLOSED[3], status="Closed"))
    # The national file holds every LA: one row of another LA shows the filter at work.
    other = _school_row(
        ("700001", "Elsewhere Primary School", "Elsewhere", None, "Primary", 4, 11), *MAINTAINED
    )
    other["LA (code)"], other["LA (name)"] = "886", "Kent"
    return gias_csv([*rows, other])


def early_years_file() -> bytes:
    return early_years_csv(
        {"urn": urn, "name": name, "provider_type": kind, "district": district,
         "contact_name": "Setting manager", "email": f"{urn.lower()}@example.org",
         "telephone": f"01905 {700000 + int(urn[-2:]) * 41}",
         "registered_places": str(PLACES[kind][0] + PLACES[kind][1] * (int(urn[-2:]) % 6))}
        for urn, name, kind, district in EARLY_YEARS
    )  # fmt: skip
