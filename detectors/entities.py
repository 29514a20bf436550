"""Entity names the engine speaks, and what each defaults to.

Presidio's own name is used where Presidio has one (EMAIL_ADDRESS, PHONE_NUMBER,
PERSON, LOCATION, IP_ADDRESS, CREDIT_CARD, IBAN_CODE, UK_NINO); the rest are the
project's names. ``None`` means a column holds no personal data.
"""

from __future__ import annotations

from typing import Final

EMAIL_ADDRESS: Final = "EMAIL_ADDRESS"
PHONE_NUMBER: Final = "PHONE_NUMBER"
PERSON: Final = "PERSON"
LOCATION: Final = "LOCATION"
IP_ADDRESS: Final = "IP_ADDRESS"
CREDIT_CARD: Final = "CREDIT_CARD"
IBAN_CODE: Final = "IBAN_CODE"
UK_NINO: Final = "UK_NINO"
POSTCODE: Final = "POSTCODE"
DATE_OF_BIRTH: Final = "DATE_OF_BIRTH"
STREET_ADDRESS: Final = "STREET_ADDRESS"
CRM_ID: Final = "CRM_ID"
GEO_COORDINATE: Final = "GEO_COORDINATE"
FREE_TEXT: Final = "FREE_TEXT"

ALL_ENTITIES: Final[tuple[str, ...]] = (
    EMAIL_ADDRESS,
    PHONE_NUMBER,
    PERSON,
    LOCATION,
    IP_ADDRESS,
    CREDIT_CARD,
    IBAN_CODE,
    UK_NINO,
    POSTCODE,
    DATE_OF_BIRTH,
    STREET_ADDRESS,
    CRM_ID,
    GEO_COORDINATE,
    FREE_TEXT,
)

# Entities whose values carry their own proof (syntax or checksum): enough on their own
# to flag a column whatever its header says.
SELF_EVIDENT: Final[frozenset[str]] = frozenset(
    {EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, IBAN_CODE, UK_NINO}
)

# The default action of each entity, with its params.
DEFAULT_ACTIONS: Final[dict[str, tuple[str, dict[str, object]]]] = {
    EMAIL_ADDRESS: ("pseudonymise", {}),
    PHONE_NUMBER: ("pseudonymise", {}),
    # names and places are pseudonymised rather than faked by default: a fake name can
    # collide with a real one elsewhere in the export, a token cannot
    PERSON: ("pseudonymise", {}),
    LOCATION: ("pseudonymise", {}),
    IP_ADDRESS: ("redact", {}),
    CREDIT_CARD: ("redact", {}),
    IBAN_CODE: ("redact", {}),
    UK_NINO: ("redact", {}),
    POSTCODE: ("generalise", {"to": "outward_code"}),
    DATE_OF_BIRTH: ("generalise", {"to": "year"}),
    STREET_ADDRESS: ("redact", {}),
    CRM_ID: ("pseudonymise", {}),
    GEO_COORDINATE: ("generalise", {"to": "decimals", "decimals": 2}),
    FREE_TEXT: ("redact_text", {}),
}

# Plain-language categories of personal data (Art. 30(1)(c)).
CATEGORIES: Final[dict[str, str]] = {
    EMAIL_ADDRESS: "contact details",
    PHONE_NUMBER: "contact details",
    PERSON: "names",
    LOCATION: "location data",
    IP_ADDRESS: "online identifiers",
    CREDIT_CARD: "financial data",
    IBAN_CODE: "financial data",
    UK_NINO: "national identifiers",
    POSTCODE: "postal address",
    DATE_OF_BIRTH: "date of birth",
    STREET_ADDRESS: "postal address",
    CRM_ID: "identifiers",
    GEO_COORDINATE: "location data",
    FREE_TEXT: "free-text notes",
}
