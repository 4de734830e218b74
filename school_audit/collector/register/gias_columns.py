"""The columns of the GIAS all-establishments extract ("edubasealldata") as DfE publishes it.

Only `USED` matters to the import; the full list documents the layout and lets tests write a file
laid out exactly as the download.
"""

from __future__ import annotations

URN = "URN"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
ESTAB_NUMBER = "EstablishmentNumber"
NAME = "EstablishmentName"
TYPE_NAME = "TypeOfEstablishment (name)"
TYPE_GROUP_NAME = "EstablishmentTypeGroup (name)"
STATUS_NAME = "EstablishmentStatus (name)"
PHASE_NAME = "PhaseOfEducation (name)"
LOW_AGE = "StatutoryLowAge"
HIGH_AGE = "StatutoryHighAge"
BOARDERS_NAME = "Boarders (name)"
NURSERY_NAME = "NurseryProvision (name)"
SIXTH_FORM_NAME = "OfficialSixthForm (name)"
TRUSTS_NAME = "Trusts (name)"
TRUSTS_CODE = "Trusts (code)"
PUPILS = "NumberOfPupils"
FEDERATION_FLAG = "FederationFlag (name)"
TOWN = "Town"
POSTCODE = "Postcode"
WEBSITE = "SchoolWebsite"
TELEPHONE = "TelephoneNum"
HEAD_TITLE = "HeadTitle (name)"
HEAD_FIRST = "HeadFirstName"
HEAD_LAST = "HeadLastName"
DISTRICT_NAME = "DistrictAdministrative (name)"
OPEN_DATE = "OpenDate"

REQUIRED = [URN, LA_CODE, NAME, TYPE_NAME, TYPE_GROUP_NAME, STATUS_NAME, PHASE_NAME, DISTRICT_NAME]

OPEN_STATUSES = {"open", "open, but proposed to close"}
PROPOSED_STATUS = "proposed to open"  # expected from its OpenDate, neither open nor closed

_SEN = [f"SEN{n} (name)" for n in range(1, 14)]

# fmt: off
ALL_COLUMNS: list[str] = [
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (code)", "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)",
    "OfficialSixthForm (code)", "OfficialSixthForm (name)", "Gender (code)", "Gender (name)",
    "ReligiousCharacter (code)", "ReligiousCharacter (name)", "ReligiousEthos (name)",
    "Diocese (code)", "Diocese (name)", "AdmissionsPolicy (code)", "AdmissionsPolicy (name)",
    "SchoolCapacity", "SpecialClasses (code)", "SpecialClasses (name)", "CensusDate",
    "NumberOfPupils", "NumberOfBoys", "NumberOfGirls", "PercentageFSM",
    "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)",
    "Federations (code)", "Federations (name)", "UKPRN", "FEHEIdentifier",
    "FurtherEducationType (name)", "OfstedLastInsp", "OfstedSpecialMeasures (code)",
    "OfstedSpecialMeasures (name)", "LastChangedDate", "Street", "Locality", "Address3", "Town",
    "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum", "HeadTitle (name)",
    "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle", "BSOInspectorateName (name)",
    "InspectorateReport", "DateOfLastInspectionVisit", "NextInspectionVisit", "TeenMoth (name)",
    "TeenMothPlaces", "CCF (name)", "SENPRU (name)", "EBD (name)", "PlacesPRU", "FTProv (name)",
    "EdByOther (name)", "Section41Approved (name)", *_SEN,
    "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity",
    "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)", "GOR (name)",
    "DistrictAdministrative (code)", "DistrictAdministrative (name)",
    "AdministrativeWard (code)", "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)", "ParliamentaryConstituency (name)",
    "UrbanRural (code)", "UrbanRural (name)", "GSSLACode (name)", "Easting", "Northing",
    "MSOA (name)", "LSOA (name)", "InspectorateName (name)", "SENStat", "SENNoStat",
    "BoardingEstablishment (name)", "PropsName", "PreviousLA (code)", "PreviousLA (name)",
    "PreviousEstablishmentNumber", "OfstedRating (name)", "RSCRegion (name)", "Country (name)",
    "UPRN", "SiteName", "QABName (code)", "QABName (name)", "EstablishmentAccredited (code)",
    "EstablishmentAccredited (name)", "QABReport", "CHNumber", "MSOA (code)", "LSOA (code)", "FSM",
    "AccreditationExpiryDate",
]
# fmt: on
