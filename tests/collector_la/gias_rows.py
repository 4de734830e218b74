"""Made-up establishments written as GIAS rows (fictional names, real column names)."""

from __future__ import annotations


def gias_row(urn: str, name: str, **fields: str) -> dict[str, str]:
    row = {
        "URN": urn,
        "LA (code)": "885",
        "LA (name)": "Worcestershire",
        "EstablishmentNumber": "2" + urn[-3:],
        "EstablishmentName": name,
        "TypeOfEstablishment (code)": "01",
        "TypeOfEstablishment (name)": "Community school",
        "EstablishmentTypeGroup (code)": "4",
        "EstablishmentTypeGroup (name)": "Local authority maintained schools",
        "EstablishmentStatus (code)": "1",
        "EstablishmentStatus (name)": "Open",
        "PhaseOfEducation (code)": "2",
        "PhaseOfEducation (name)": "Primary",
        "StatutoryLowAge": "4",
        "StatutoryHighAge": "11",
        "Boarders (name)": "No boarders",
        "NurseryProvision (name)": "No Nursery Classes",
        "OfficialSixthForm (name)": "Does not have a sixth form",
        "Town": "Redditch",
        "Postcode": "B97 4AA",
        "TelephoneNum": "01527 000000",
        "HeadTitle (name)": "Mrs",
        "HeadFirstName": "Anne",
        "HeadLastName": "Example",
        "DistrictAdministrative (code)": "E07000236",
        "DistrictAdministrative (name)": "Redditch",
        "NumberOfPupils": "212",
        "GOR (name)": "West Midlands",
        "Country (name)": "United Kingdom",
    }
    row.update(fields)
    return row


def sample_rows() -> list[dict[str, str]]:
    academy = {
        "TypeOfEstablishment (name)": "Academy converter",
        "EstablishmentTypeGroup (name)": "Academies",
        "Trusts (name)": "Severn Vale Learning Trust",
        "Trusts (code)": "16071",
    }
    return [
        gias_row("900001", "Hollybank First School", StatutoryHighAge="9"),
        gias_row(
            "900002", "Church Lench CE First School", StatutoryLowAge="5", StatutoryHighAge="10"
        ),
        gias_row(
            "900003",
            "St Mary's Catholic Primary School, Évesham",
            **{
                "DistrictAdministrative (name)": "Wychavon",
                "NurseryProvision (name)": "Has Nursery Classes",
            },
        ),
        gias_row(
            "900004",
            "Brontë Infant School",
            StatutoryHighAge="7",
            **{"DistrictAdministrative (name)": "Worcester"},
        ),
        gias_row(
            "900005",
            "Noël Coward Junior School",
            StatutoryLowAge="7",
            **{"DistrictAdministrative (name)": "Worcester"},
        ),
        gias_row(
            "900006",
            "Abbey Middle School",
            StatutoryLowAge="9",
            StatutoryHighAge="13",
            **{"PhaseOfEducation (name)": "Middle deemed secondary"},
        ),
        gias_row(
            "900007",
            "Walkwood Middle School",
            StatutoryLowAge="9",
            StatutoryHighAge="12",
            **{"PhaseOfEducation (name)": "Middle deemed primary"},
        ),
        gias_row(
            "900008",
            "Ridgeway High School",
            StatutoryLowAge="13",
            StatutoryHighAge="18",
            **{
                "PhaseOfEducation (name)": "Secondary",
                "OfficialSixthForm (name)": "Has a sixth form",
                **academy,
            },
        ),
        gias_row(
            "900009",
            "Kingsbridge Academy",
            StatutoryLowAge="11",
            StatutoryHighAge="16",
            **{
                "PhaseOfEducation (name)": "Secondary",
                "DistrictAdministrative (name)": "Wyre Forest",
                **academy,
            },
        ),
        gias_row(
            "900010",
            "Brook Valley Special School",
            StatutoryLowAge="2",
            StatutoryHighAge="19",
            **{
                "PhaseOfEducation (name)": "Not applicable",
                "TypeOfEstablishment (name)": "Community special school",
                "EstablishmentTypeGroup (name)": "Special schools",
            },
        ),
        gias_row(
            "900011",
            "Oakfield Pupil Referral Unit",
            StatutoryLowAge="11",
            StatutoryHighAge="16",
            **{
                "PhaseOfEducation (name)": "Not applicable",
                "TypeOfEstablishment (name)": "Pupil referral unit",
            },
        ),
        gias_row(
            "900012",
            "Malvern Côte Independent School",
            StatutoryLowAge="3",
            StatutoryHighAge="18",
            **{
                "PhaseOfEducation (name)": "Not applicable",
                "TypeOfEstablishment (name)": "Other independent school",
                "EstablishmentTypeGroup (name)": "Independent schools",
                "Boarders (name)": "Boarding school",
                "DistrictAdministrative (name)": "Malvern Hills",
            },
        ),
        gias_row(
            "900013",
            "Leafield Nursery School",
            StatutoryLowAge="2",
            StatutoryHighAge="5",
            **{"PhaseOfEducation (name)": "Nursery", "DistrictAdministrative (name)": "Bromsgrove"},
        ),
        gias_row(
            "900014",
            "Old Mill First School",
            StatutoryHighAge="9",
            **{"EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2024"},
        ),
        gias_row(
            "900015",
            "Chaddesley Primary School",
            **{
                "EstablishmentStatus (name)": "Open, but proposed to close",
                "DistrictAdministrative (name)": "Wyre Forest",
            },
        ),
        gias_row(
            "900016",
            "Zoë Children's Centre",
            **{
                "TypeOfEstablishment (name)": "Children's centre",
                "PhaseOfEducation (name)": "Not applicable",
                "EstablishmentTypeGroup (name)": "Children's centres",
            },
        ),
        gias_row(
            "700001", "Somewhere Else Primary School", **{"LA (code)": "886", "LA (name)": "Kent"}
        ),
    ]
