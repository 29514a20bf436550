"""Each recognizer on real-looking cells, with and without header context."""

from __future__ import annotations

import pytest
from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.batch import detect_batch


def _entities(analyzer: AnalyzerEngine, value: str, context: list[str]) -> set[str]:
    [hits] = detect_batch(analyzer, [value], context=context, threshold=0.5)
    return {h.entity for h in hits}


@pytest.mark.parametrize(
    ("value", "context", "entity"),
    [
        ("jane.doe@example.co.uk", [], e.EMAIL_ADDRESS),
        ("+44 20 7946 0123", [], e.PHONE_NUMBER),
        ("020 7946 0123", [], e.PHONE_NUMBER),
        ("(415) 555-0132", [], e.PHONE_NUMBER),
        ("+49 30 901820", [], e.PHONE_NUMBER),
        ("4155550132", ["phone"], e.PHONE_NUMBER),  # bare digits need the header
        ("SW1A 1AA", [], e.POSTCODE),
        ("75008", ["postal", "code"], e.POSTCODE),
        ("1984-03-07", ["birthday"], e.DATE_OF_BIRTH),
        ("07/03/1984", ["date", "of", "birth"], e.DATE_OF_BIRTH),
        ("Jane", ["first", "name"], e.PERSON),
        ("Jane Smith", [], e.PERSON),
        ("Müller", ["nachname"], e.PERSON),
        ("825 Johnson Circles", [], e.STREET_ADDRESS),
        ("Hauptstraße 5", [], e.STREET_ADDRESS),
        ("12, rue de la Paix", [], e.STREET_ADDRESS),
        ("51.5074", ["latitude"], e.GEO_COORDINATE),
        ("51.5074, -0.1278", [], e.GEO_COORDINATE),
        ("192.168.10.20", ["optin", "ip"], e.IP_ADDRESS),
        ("2001:db8::8a2e:370:7334", [], e.IP_ADDRESS),
        ("123456789", ["leid"], e.CRM_ID),
        ("a1b2c3d4e5", ["euid"], e.CRM_ID),
    ],
)
def test_recognised(analyzer: AnalyzerEngine, value: str, context: list[str], entity: str) -> None:
    assert entity in _entities(analyzer, value, context)


@pytest.mark.parametrize(
    ("value", "context"),
    [
        ("2021-06-14 09:31:00", ["date", "created"]),  # a creation date is not a birth date
        ("1234.50", ["total", "spent"]),  # an amount
        ("4155550132", []),  # bare digits without a phone header
        ("75008", []),  # five digits without a postcode header
        ("123456789", ["number", "of", "pageviews"]),  # a count
        ("51.5074", []),  # a decimal without a coordinate header
        ("Jane", []),  # one first name alone could be a word ("May", "Will")
        ("Europe/London", ["timezone"]),
        ("Customer opted in through webform", ["opt", "in", "reason"]),
        ("", []),
        ("Ünïcödé ☃", []),
    ],
)
def test_not_recognised(analyzer: AnalyzerEngine, value: str, context: list[str]) -> None:
    assert _entities(analyzer, value, context) == set()


def test_an_ip_address_is_not_a_phone_number(analyzer: AnalyzerEngine) -> None:
    assert _entities(analyzer, "192.168.10.20", ["phone"]) == {e.IP_ADDRESS}


def test_no_hit_crosses_a_value_boundary(analyzer: AnalyzerEngine) -> None:
    # two cells that, run together, would read as one e-mail address
    hits = detect_batch(analyzer, ["jane.doe@", "example.com"], threshold=0.5)
    assert hits == [[], []]


def test_spans_inside_free_text(analyzer: AnalyzerEngine) -> None:
    note = "Called Jane Doe on 07700 900123, prefers jane@example.com, lives SW1A 1AA"
    [hits] = detect_batch(analyzer, [note], threshold=0.5)
    found = {(h.entity, note[h.start : h.end]) for h in hits}
    assert {
        (e.PERSON, "Jane Doe"),
        (e.PHONE_NUMBER, "07700 900123"),
        (e.EMAIL_ADDRESS, "jane@example.com"),
        (e.POSTCODE, "SW1A 1AA"),
    } <= found
