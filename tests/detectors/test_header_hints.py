from __future__ import annotations

import pytest

from detectors import entities as e
from detectors.header_hints import context_words, header_words, hint_for


@pytest.mark.parametrize(
    ("header", "entity"),
    [
        ("Email", e.EMAIL_ADDRESS),
        ("E-Mail", e.EMAIL_ADDRESS),
        ("Courriel", e.EMAIL_ADDRESS),
        ("Phone 1", e.PHONE_NUMBER),
        ("Telefonnummer", e.PHONE_NUMBER),
        ("Nachname", e.PERSON),
        ("Prénom", e.PERSON),  # accent folded
        ("Code postal", e.POSTCODE),
        ("PLZ", e.POSTCODE),
        ("Billing Address City", e.LOCATION),  # city beats address
        ("Billing Address Postal Code", e.POSTCODE),
        ("Billing Address Street 1", e.STREET_ADDRESS),
        ("OPTIN_IP", e.IP_ADDRESS),  # ip beats the not-personal "optin"
        ("Date of birth", e.DATE_OF_BIRTH),
        ("Geburtsdatum", e.DATE_OF_BIRTH),
        ("LATITUDE", e.GEO_COORDINATE),
        ("Record ID", e.CRM_ID),
        ("contactId", e.CRM_ID),  # camelCase split
        ("Person Notes", e.FREE_TEXT),
        # not personal although they name a personal thing
        ("Phone 1 Type", None),
        ("Email Status", None),
        ("Billing Address Country", None),
        ("Date Created", None),
        ("OPTIN_TIME", None),
        ("Company", None),
        ("Job Title", None),
        ("Account Name", None),  # Salesforce: the company
        ("Product Name", None),
        ("Nickname", e.PERSON),
        # a company's word beside a contact's: the contact's ("Email Empresa")
        ("Email Empresa", e.EMAIL_ADDRESS),
        ("Teléfono Empresa", e.PHONE_NUMBER),
        ("E-Mail Unternehmen", e.EMAIL_ADDRESS),
        ("Company Phone", e.PHONE_NUMBER),
        ("Nome Azienda", None),
        ("Via/Piazza", e.STREET_ADDRESS),  # Italian forms
        ("Via e Numero Civico", e.STREET_ADDRESS),
        ("Via e N. Civico", e.STREET_ADDRESS),
        ("Phone Owner", e.PERSON),  # a role's column holds people, whatever they own
        ("Product Owner", e.PERSON),
    ],
)
def test_hint_for_known_headers(header: str, entity: str | None) -> None:
    hint = hint_for(header)
    assert hint is not None
    assert hint.entity == entity


@pytest.mark.parametrize(
    "header", ["Referrer", "", "Ω", "column_7", "Contacted Via", "Via Partner"]
)
def test_headers_that_say_nothing(header: str) -> None:
    assert hint_for(header) is None


def test_header_words_fold_accents_and_split_camel_case() -> None:
    assert header_words("Straße_NummerCity") == ["strasse", "nummer", "city"]


def test_context_words_leave_out_words_of_phrases() -> None:
    # "date" from "date of birth" must not back a birth date under "Date Created"
    words = context_words(e.DATE_OF_BIRTH)
    assert "birthday" in words
    assert "date" not in words


@pytest.mark.parametrize(
    ("header", "part"),
    [
        ("First Name", "first"),
        ("FirstName", "first"),
        ("Vorname", "first"),
        ("Prénom", "first"),
        ("Last Name", "last"),
        ("Surname", "last"),
        ("Nachname", "last"),
        ("Full Name", None),
        ("Contact Owner", None),
        ("First and Last Name", None),
    ],
)
def test_the_part_of_a_name_a_header_names(header: str, part: str | None) -> None:
    from detectors.header_hints import name_part

    assert name_part(header) == part


@pytest.mark.parametrize(
    ("header", "generic"),
    [
        ("Name", True),
        ("Nome", True),
        ("Nome Campagna", True),
        ("Nombre", True),
        ("Nombre y Apellidos", False),
        ("Nome Completo", False),
        ("Nombre de Contacto", False),
        ("Full Name", False),
        ("Email", False),
    ],
)
def test_a_generic_name_header_needs_dictionary_names(header: str, generic: bool) -> None:
    from detectors.header_hints import is_generic_name

    assert is_generic_name(header, hint_for(header)) is generic
