"""Names written "Doe, Jane", "DOE Jane", "J. Doe": each column of them was kept in
clear under a header that says nothing, since no run of dictionary names covered a cell."""

from __future__ import annotations

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.classifier import classify_column
from detectors.name_shapes import is_name_shaped
from detectors.recognizers.dictionaries import first_names, last_names
from detectors.settings import DetectionSettings

_PEOPLE = [
    ("Amelia", "Wright"), ("James", "Walker"), ("Olivia", "Hughes"), ("Harry", "Green"),
    ("Emily", "Baker"), ("Jack", "Turner"), ("Sophie", "Clarke"), ("George", "Hall"),
    ("Anna", "Kowalska"), ("Jan", "Berg"), ("Marie", "Dubois"), ("Luca", "Rossi"),
]  # fmt: skip

_FORMS = {
    "last, first": lambda f, la: f"{la}, {f}",
    "LAST first": lambda f, la: f"{la.upper()} {f}",
    "initial last": lambda f, la: f"{f[0]}. {la}",
    "initials last": lambda f, la: f"{f[0]}.{la[0]}. {la}",
    "with particles": lambda f, la: f"{f} van der {la}",
    "particles first": lambda f, la: f"van der {la}, {f}",
    "titled": lambda f, la: f"Dr {f} {la}",
    "title and last": lambda f, la: f"Mrs {la}",
    "last first": lambda f, la: f"{la} {f}",
    # a last name outside the dictionaries, in a name's form
    "unknown last, first": lambda f, la: f"{la}zbigowski, {f}",
    "UNKNOWN first": lambda f, la: f"{la.upper()}ZBIGOWSKI {f}",
    "titled unknown": lambda f, la: f"Dr {f} {la}zbigowski",
    "with bin": lambda f, la: f"{f} bin {la}",
}


def _shaped(value: str) -> bool:
    return is_name_shaped(value, first_names(), last_names())


@pytest.mark.parametrize("form", sorted(_FORMS))
def test_each_form_of_a_name_is_name_shaped(form: str) -> None:
    assert all(_shaped(_FORMS[form](f, la)) for f, la in _PEOPLE)


@pytest.mark.parametrize(
    "value",
    [
        "Smith & Sons",
        "Pearce Ltd",
        "Thierry Maury SA",
        "Smith, Jones and Brown",
        "Plan B",
        "Gold Plan",
        "Active Member",
        "United Kingdom",
        "Via Claudia",
        "Rua Luisa Cardoso",
        "Calle de Juan Antonio",
        "West Anne",
        "Lake Derek",
        "Jenna Plains",
        "Hotel de Paris",
        "james walker",  # lower case: a login, a slug
        "Walker",  # one name alone: the header decides
        "de Vries",
        "Amelia Wright 2",
        "Wright, Amelia, Walker, James",
        # a first name and any word: events, tiers, products, firms
        "April Webinar",
        "May Newsletter",
        "Max Plus",
        "Grace Period",
        "Summer Special",
        "Chase Bank",
        "Amelia Zbigowski",  # the recognizer's form: both names must be known
    ],
)
def test_companies_places_and_single_names_are_not(value: str) -> None:
    assert not _shaped(value)


@pytest.mark.parametrize("form", sorted(_FORMS))
@pytest.mark.parametrize("header", ["Contact", "Customer", "Holder"])
def test_a_column_of_names_in_any_form_is_a_person_column(
    analyzer: AnalyzerEngine, form: str, header: str
) -> None:
    cells = [_FORMS[form](f, la) for f, la in _PEOPLE * 4]
    finding = classify_column(header, pl.Series(cells), analyzer, DetectionSettings())
    assert finding.entity == e.PERSON
    assert finding.evidence.hit_rate > 0.5


def test_names_outvote_a_not_personal_header_only_in_most_cells(
    analyzer: AnalyzerEngine,
) -> None:
    names = [f"{la.upper()} {f}" for f, la in _PEOPLE]
    companies = ["Acme Widgets Ltd", "Northwind Traders", "Globex Corp", "Initech Inc"]
    mostly = pl.Series(names * 4 + companies)  # 48 of 52 cells
    half = pl.Series(names + companies * 3)  # 12 of 24
    settings = DetectionSettings()
    assert classify_column("Company", mostly, analyzer, settings).entity == e.PERSON
    assert classify_column("Company", half, analyzer, settings).entity is None


def test_a_bare_name_header_is_backed_by_names_in_any_form(analyzer: AnalyzerEngine) -> None:
    people = pl.Series([f"{f[0]}. {la}" for f, la in _PEOPLE * 3])
    plans = pl.Series(["Gold Plan", "Silver Plan", "Basic", "Premium Plus"] * 9)
    settings = DetectionSettings()
    assert classify_column("Name", people, analyzer, settings).entity == e.PERSON
    assert classify_column("Name", plans, analyzer, settings).entity is None


def test_a_handful_of_names_repeated_is_a_flag_as_before(analyzer: AnalyzerEngine) -> None:
    # two reps' names over many rows under a header that says nothing: kept, as the
    # classifier keeps any such column (a tier, a status)
    cells = pl.Series(["WRIGHT Amelia"] * 20 + ["WALKER James"] * 20)
    assert classify_column("Field 7", cells, analyzer, DetectionSettings()).entity is None
