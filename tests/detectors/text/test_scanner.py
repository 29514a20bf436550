"""The vectorised scanner finds what Presidio's analyzer finds, cell by cell (real
Presidio, no mocks), with Python once per distinct candidate, never per cell."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine

from detectors.analyzer import build_analyzer
from detectors.settings import DetectionSettings
from detectors.text import TextScanner, build_scanner, scan

Span = tuple[str, int, int, float]


@pytest.fixture(scope="module")
def analyzer() -> AnalyzerEngine:
    return build_analyzer(DetectionSettings())


@pytest.fixture(scope="module")
def scanner(analyzer: AnalyzerEngine) -> TextScanner:
    return build_scanner(analyzer)


def ours(scanner: TextScanner, cells: list[str | None]) -> list[set[Span]]:
    spans = scan(scanner, pl.Series(cells, dtype=pl.String))
    found: list[set[Span]] = [set() for _ in cells]
    for row, entity, start, end, score in spans.iter_rows():
        found[row].add((entity, start, end, round(score, 6)))
    return found


def presidio(analyzer: AnalyzerEngine, cell: str) -> set[Span]:
    return {
        (r.entity_type, r.start, r.end, round(r.score, 6))
        for r in analyzer.analyze(cell, language="en")
    }


TRICKY = {
    "EMAIL_ADDRESS": [
        "mail jane.doe+crm@mail.example.co.uk, today",
        "(j_o'neil@sub.domain.org)",
        "two: a@b.com;c.d@e-f.io.",
        "x@localhost is not one, nor is a@b.zzzzinvalid",
        "cordier.anais@mace-s.a.r.l..fr",
        "Zoë.Ångström@exämple.de",
    ],
    "PHONE_NUMBER": [
        "call +44 7700 900123.",
        "+44 (0)20 7946 0123 or 020-7946-0123",
        "US: (555) 010-1234, +1 415-555-0128",
        "Rappeler au 06 49 50 00 64 avant vendredi",
        "order 12345678 paid 1.234,56 on 2024-01-02 at 10:30",
        "ref07700900123 and 07700900123x and 0044 7700 900123",
        # extensions glued on or after a blank are part of the hit
        "ring 212-736-5000x12 or +44 20 7946 0958 ext.3 (020 7946 0958X4)",
        "not 212-736-5000x1234567, 020 7946 0958x12abc; 020 7946 0958 x 2 units",
        "Call 020 7946 0958 ext. 07700900123 please, or ext. 02079460000",
    ],
    "IP_ADDRESS": [
        "from 192.168.0.1, and 2001:db8::1.",
        "::ffff:10.0.0.1 then fe80::1%eth0 and 10.0.0.256",
        "time 10:30:00 is not an address; ::",
    ],
    "CREDIT_CARD": [
        "card 4111 1111 1111 1111 ok",
        "card 4111 1111 1111 1112 fails Luhn",
        "5500-0000-0000-0004, 1234567890123",
    ],
    "IBAN_CODE": [
        "IBAN GB82 WEST 1234 5698 7654 32 paid",
        "DE89370400440532013000 2 days",
        "GB82 WEST 1234 5698 7654 33 has a bad checksum",
        "XX12 ABCD 1234 5678 is no IBAN",
    ],
    "UK_NINO": ["NI AB 12 34 56 C, not GB 12 34 56 C", "qq123456c and ab123456d"],
    "POSTCODE": ["lives in SW1A 1AA, or sw1a1aa, or EC1A1BB.", "Glasgow\nG12 4YT"],
    "STREET_ADDRESS": [
        "Flat 3, 12 Baker Street; 776 Cheryl Hills\nLeeds",
        "Hauptstraße 5, 60, chemin de Goncalves",
    ],
    "GEO_COORDINATE": ["at 51.5074, -0.1278.", "v1.2345,6.7890.123 is not"],
    "PERSON": [
        "Called Laura Weiss on Monday",
        "Jean-Luc O'Neil met Anne Müller",
        "Annabel Smith, not Ann Smithers; JANE DOE",
        "will may mark the date; Will May",
        "Called  Laura  Weiss; Laura-Weiss",
        "Spoke to Chinedu Okafor, Priya Sharma and Mehmet Yılmaz; Akira Sato",
        "Claire Evans-Thompson met Jeanne-Agathe Foucher at Self-Service",
        "Can An call Wei Zhang? Lei said no",
        "Met Ann O’Brien, then Sean O'Brien-Smith",
        "Ann Evans–Thompson and Jean‑Luc Picard‐Smith called",
        "Spoke to Nagy István, Suzuki Yuta; moved to North Carolina; 5 Barnes Glen",
        "John Smith–he called; Sarah Smith–Fotheringham; The May invoice; Early June",
        # decomposed accents (NFD): Rust's word class holds the combining marks
        "Met Zoe\u0308 Smith, Smith Zoe\u0308 and Rene\u0301e Dupont",
    ],
}


@pytest.mark.parametrize(
    "cell", [c for cells in TRICKY.values() for c in cells], ids=lambda c: c[:24]
)
def test_same_spans_as_the_analyzer(
    cell: str, analyzer: AnalyzerEngine, scanner: TextScanner
) -> None:
    (found,) = ours(scanner, [cell])
    assert found == presidio(analyzer, cell)


def test_checksums_reject_invalid_numbers(scanner: TextScanner) -> None:
    valid, invalid, iban, bad_iban = ours(
        scanner,
        [
            "card 4111 1111 1111 1111",
            "card 4111 1111 1111 1112",
            "GB82 WEST 1234 5698 7654 32",
            "GB82 WEST 1234 5698 7654 33",
        ],
    )
    assert {s[0] for s in valid} == {"CREDIT_CARD"}
    assert "CREDIT_CARD" not in {s[0] for s in invalid}
    assert {s[0] for s in iban} == {"IBAN_CODE"}
    assert "IBAN_CODE" not in {s[0] for s in bad_iban}


def test_names_keep_word_boundaries(scanner: TextScanner) -> None:
    (found,) = ours(scanner, ["Met Annabel Smith and Xann Smithers"])
    cell = "Met Annabel Smith and Xann Smithers"
    assert {cell[s:e] for _, s, e, _ in found} == {"Annabel Smith"}


def test_nulls_and_blanks_have_no_spans(scanner: TextScanner) -> None:
    assert ours(scanner, [None, "", "  "]) == [set(), set(), set()]


def test_python_runs_once_per_distinct_candidate(
    analyzer: AnalyzerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    scanner = build_scanner(analyzer)
    email = next(f for f in scanner.forms if "Email" in type(f.recognizer).__name__)
    phone = next(f for f in scanner.forms if "Phone" in type(f.recognizer).__name__)
    calls: dict[str, int] = {"validate": 0, "hits_in_many": 0, "snippets": 0}

    def counting(name: str, method: Callable[..., object]) -> Callable[..., object]:
        def wrapped(*args: object) -> object:
            calls[name] += 1
            if name == "hits_in_many":
                calls["snippets"] += len(args[0])  # type: ignore[arg-type]
            return method(*args)

        return wrapped

    monkeypatch.setattr(
        email.recognizer, "validate_result", counting("validate", email.recognizer.validate_result)
    )
    monkeypatch.setattr(
        phone.recognizer, "hits_in_many", counting("hits_in_many", phone.recognizer.hits_in_many)
    )
    cells = [
        f"mail {who}@{domain} or call {number}, row {i}"
        for i, (who, domain, number) in enumerate(
            [
                ("jane", "example.com", "+33 6 37 68 71 88"),
                ("john", "example.com", "06 49 50 00 64"),
                ("ann", "example.org", "+33 6 37 68 71 88"),
            ]
            * 400
        )
    ]
    spans = scan(scanner, pl.Series(cells))
    assert spans.filter(pl.col("entity") == "EMAIL_ADDRESS").height == 1200
    assert spans.filter(pl.col("entity") == "PHONE_NUMBER").height == 1200
    # two domains; the phone recognizer is asked once, about two distinct numbers
    assert calls == {"validate": 2, "hits_in_many": 1, "snippets": 2}


def test_disabled_recognizers_are_not_scanned() -> None:
    settings = DetectionSettings(recognizers=("EmailRecognizer",))
    scanner = build_scanner(build_analyzer(settings))
    assert scanner.entities == ("EMAIL_ADDRESS",)
    (found,) = ours(scanner, ["jane@example.com 07700 900123"])
    assert {s[0] for s in found} == {"EMAIL_ADDRESS"}


def test_a_higher_threshold_drops_weaker_hits() -> None:
    scanner = build_scanner(build_analyzer(DetectionSettings(threshold=0.8)))
    cell = "Called Laura Weiss on +33 6 37 68 71 88, 06 49 50 00 64"
    (found,) = ours(scanner, [cell])
    # the national number (0.75) and the full name (0.7) fall below 0.8
    assert {(s[0], cell[s[1] : s[2]]) for s in found} == {("PHONE_NUMBER", "+33 6 37 68 71 88")}
