"""Names written "Doe, Jane", "DOE Jane", "J. Doe": each column of them was kept in
clear under a header that says nothing, since no run of dictionary names covered a cell."""

from __future__ import annotations

import polars as pl
import pytest
from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.classifier import classify_column
from detectors.name_shapes import is_name_shaped, name_shaped_rate
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
    "with bin": lambda f, la: f"{f} bin {la}",
    # as exports and forms also write them
    "a couple": lambda f, la: f"Mr & Mrs {f[0]} {la}",
    "a couple, in words": lambda f, la: f"Mr and Mrs {la}",
    "with a company in brackets": lambda f, la: f"{f} {la} (Acme)",
    "with a nickname": lambda f, la: f'{f} "Bo" {la}',
    "last/first": lambda f, la: f"{la}/{f}",
    "first.last": lambda f, la: f"{f}.{la}",
    "lower case": lambda f, la: f"{f} {la}".lower(),
}
# a last name outside the dictionaries (a different one in each cell)
_UNKNOWN_FORMS = {
    "unknown last, first": lambda f, zb: f"{zb}, {f}",
    "UNKNOWN first": lambda f, zb: f"{zb.upper()} {f}",
    "titled unknown": lambda f, zb: f"Dr {f} {zb}",
    "first unknown": lambda f, zb: f"{f} {zb}",
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
        "james-walker",  # a slug
        "james zbigniewski",  # lower case, a word outside the dictionaries
        "Walker",  # one name alone: the header decides
        "de Vries",
        "Amelia Wright 2",
        "Wright, Amelia, Walker, James",
    ],
)
def test_companies_places_and_single_names_are_not(value: str) -> None:
    assert not _shaped(value)


def _cells(form: str) -> list[str]:
    if form in _FORMS:
        return [_FORMS[form](f, la) for f, la in _PEOPLE * 4]
    people = enumerate(_PEOPLE * 4)
    return [_UNKNOWN_FORMS[form](f, _unknown_surname(i)) for i, (f, _) in people]


@pytest.mark.parametrize("form", sorted(_FORMS) + sorted(_UNKNOWN_FORMS))
@pytest.mark.parametrize("header", ["Contact", "Customer", "Holder"])
def test_a_column_of_names_in_any_form_is_a_person_column(
    analyzer: AnalyzerEngine, form: str, header: str
) -> None:
    cells = _cells(form)
    finding = classify_column(header, pl.Series(cells), analyzer, DetectionSettings())
    assert finding.entity == e.PERSON
    assert finding.evidence.hit_rate > 0.5


def test_names_outvote_a_not_personal_header_only_in_most_cells(
    analyzer: AnalyzerEngine,
) -> None:
    names = [f"{la.upper()} {f}" for f, _ in _PEOPLE for _, la in _PEOPLE]  # 144, distinct
    companies = ["Acme Widgets Ltd", "Northwind Traders", "Globex Corp", "Initech Inc"]
    mostly = pl.Series(names[:48] + companies)  # 48 of 52 cells
    half = pl.Series(names[:12] + companies * 3)  # 12 of 24
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
    # two reps' names over many rows under a header that says nothing, in a form only
    # the name shapes read: kept, as the classifier keeps any such column (a tier, a
    # status); written so the recognizer takes them whole ("Amelia Wright", "WRIGHT
    # Amelia", family name first), they are names in every cell, as any such column is
    cells = pl.Series(["Wright, Amelia"] * 20 + ["Walker, James"] * 20)
    assert classify_column("Field 7", cells, analyzer, DetectionSettings()).entity is None


@pytest.mark.parametrize(
    "cells",
    [
        # a first name and a word that comes back: events, tiers, places
        [f"{m} Webinar" for m in ("April", "May", "June", "Julia", "Grace")] * 8,
        ["Max Plus"] * 30 + ["Basic", "Pro", "Team", "Free"] * 3,
        [f"{c}, Texas" for c in ("Austin", "Madison", "Tyler", "Dallas", "Irving")] * 8,
        [f"{m} WEBINAR" for m in ("April", "May", "June", "Julia", "Grace")] * 8,
    ],
)
def test_a_word_that_comes_back_is_no_surname(analyzer: AnalyzerEngine, cells: list[str]) -> None:
    assert name_shaped_rate(cells, [1] * len(cells)) < 0.5
    finding = classify_column("Field 3", pl.Series(cells), analyzer, DetectionSettings())
    assert finding.entity is None


def test_surnames_outside_the_dictionaries_count(analyzer: AnalyzerEngine) -> None:
    # each in a cell of its own, as surnames are: "Sarah Okonkwo", "David Raghunathan"
    firsts = ["Sarah", "David", "Amelia", "James", "Olivia", "Harry"]
    cells = [f"{firsts[i % 6]} {_unknown_surname(i)}" for i in range(30)]
    assert name_shaped_rate(cells, [1] * len(cells)) == 1.0
    finding = classify_column("Contact", pl.Series(cells), analyzer, DetectionSettings())
    assert finding.entity == e.PERSON


def _unknown_surname(i: int) -> str:
    """A made-up surname, a different one for each ``i`` below 125."""
    syllables = ("ak", "er", "ik", "or", "uk")
    return "Zb" + "".join(syllables[i // 5**p % 5] for p in range(3))


def test_one_persons_several_rows_are_one_name(analyzer: AnalyzerEngine) -> None:
    # a deals export: each contact on several rows, surnames outside the dictionaries
    firsts = ["Sarah", "David", "Grace", "James", "Olivia", "Harry", "Amelia", "Jack"]
    contacts = [f"{f} {_unknown_surname(i)}" for i, f in enumerate(firsts)]
    cells = pl.Series(contacts * 4)
    assert classify_column("Contact", cells, analyzer, DetectionSettings()).entity == e.PERSON


def test_a_not_personal_header_needs_names_in_a_names_form(analyzer: AnalyzerEngine) -> None:
    products = ["Billy Bookcase", "Emma Sofa", "Ruby Slippers", "Jack Hammer", "Grace Vase"]
    cells = pl.Series(products * 6)
    assert classify_column("Product", cells, analyzer, DetectionSettings()).entity is None


def test_a_column_one_contact_dominates_is_a_name_column(analyzer: AnalyzerEngine) -> None:
    # one account's contact on most rows: a name in a name's form, not a tier
    companies = [f"{c} Ltd" for c in ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Hooli")]
    cells = pl.Series(["Wright, Amelia"] * 80 + ["WALKER James", "Hughes, Olivia"] + companies)
    assert classify_column("Field 3", cells, analyzer, DetectionSettings()).entity == e.PERSON


@pytest.mark.parametrize("header", ["Name", "Contact"])
def test_a_few_people_with_colour_surnames_are_names(analyzer: AnalyzerEngine, header: str) -> None:
    # Brown, Green, Black and White are surnames: a rep column of a few such people
    cells = pl.Series(["James Brown", "Emma Green", "Raj Patel", "Tom Black"] * 6)
    assert classify_column(header, cells, analyzer, DetectionSettings()).entity == e.PERSON


@pytest.mark.parametrize("header", ["Shade", "Colour", "Variant", "Option1 Value"])
def test_colours_are_not_names(analyzer: AnalyzerEngine, header: str) -> None:
    shades = ["Rose Gold", "Olive Green", "Ruby Red", "Hazel Brown", "Amber Brown", "Jet Black"]
    cells = pl.Series(shades * 10 + ["Navy Blue"] * 5)
    assert classify_column(header, cells, analyzer, DetectionSettings()).entity is None


@pytest.mark.parametrize(
    ("header", "cells"),
    [
        ("Option1 Value", ["Rose/Gold", "Hazel/Brown", "Olive/Green", "Ruby/Red"] * 10),
        (
            "Colour",
            ["Rose Gold (Matte)", "Olive Green (Gloss)", "Hazel Brown (Satin)", "Ruby Red (Matte)"]
            * 10,
        ),
        ("Scent", ["rose jasmine", "lily rose", "rose marie", "jasmine lily"] * 10),
        ("Cultivar", ["rose marie", "daisy may", "ruby rose", "iris may"] * 10),
        ("Breed", ["jack russell", "king charles", "border collie", "shih tzu"] * 10),
        ("Plan", ["Grace.Period", "Max.Plus", "Max.Pro", "Grace.Lite"] * 10),
    ],
)
def test_lower_case_and_joined_words_that_are_no_names_stay_kept(
    analyzer: AnalyzerEngine, header: str, cells: list[str]
) -> None:
    # only a first name then a surname that is no first name counts, so written
    assert classify_column(header, pl.Series(cells), analyzer, DetectionSettings()).entity is None


def test_couples_whose_surname_is_a_colour_are_people(analyzer: AnalyzerEngine) -> None:
    couples = ["Mr & Mrs J Brown", "Mr and Mrs Green", "Mr & Mrs A White", "Mr & Mrs K Black"]
    cells = pl.Series(couples * 2 + ["Mr & Mrs P Gray", "Mr and Mrs Grey"])
    finding = classify_column("Household", cells, analyzer, DetectionSettings())
    assert finding.entity == e.PERSON


def test_a_long_cell_is_no_name_and_costs_no_more() -> None:
    # the patterns once scanned a long run of blanks from each of its positions (9.5 s)
    assert name_shaped_rate(["Ann" + " " * 40_000 + "Lee"], [1]) == 0.0
