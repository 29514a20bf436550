"""The names dictionary: contacts from many countries, double-barrelled names, and
the common words it must not take for names."""

from __future__ import annotations

import polars as pl
import pytest
from faker import Faker
from presidio_analyzer import AnalyzerEngine

from detectors import entities as e
from detectors.batch import detect_batch
from detectors.classifier import classify_column
from detectors.recognizers.dictionaries import (
    NAME_LOCALES,
    first_names,
    first_names_of,
    last_names,
    last_names_of,
)
from detectors.recognizers.wider_names import (
    FIRST_FILE,
    LAST_FILE,
    WIDER_NAME_LOCALES,
    wider_first_names,
    wider_last_names,
)
from detectors.recognizers.wider_names_build import build, names_file
from detectors.settings import DetectionSettings


def _names_found(analyzer: AnalyzerEngine, note: str) -> set[str]:
    [hits] = detect_batch(analyzer, [note], threshold=0.5)
    return {note[h.start : h.end] for h in hits if h.entity == e.PERSON}


def _faker_names(locale: str, count: int) -> list[str]:
    fake = Faker(locale)
    fake.seed_instance(11)
    if locale in ("zh_CN", "ja_JP"):  # their romanised forms, given name first
        return [f"{fake.first_romanized_name()} {fake.last_romanized_name()}" for _ in range(count)]
    return [f"{fake.first_name()} {fake.last_name()}" for _ in range(count)]


@pytest.mark.parametrize(
    "name",
    [
        "Chinedu Okafor",
        "Priya Sharma",
        "Mehmet Yılmaz",
        "Akira Sato",
        "Wei Zhang",
        "Kwame Mensah",
        "Siti Rahayu",
        "Jiří Novák",
        "Andrei Popescu",
    ],
)
def test_names_from_further_afield_are_found_in_notes(analyzer: AnalyzerEngine, name: str) -> None:
    assert _names_found(analyzer, f"Spoke to {name} about the renewal") == {name}


@pytest.mark.parametrize(
    "locale",
    ["en_IN", "en_PK", "yo_NG", "ig_NG", "en_KE", "tr_TR", "id_ID", "cs_CZ", "ro_RO", "ja_JP"],
)
def test_most_of_a_countrys_names_are_full_names(analyzer: AnalyzerEngine, locale: str) -> None:
    names = _faker_names(locale, 200)
    notes = [f"Spoke to {name} today" for name in names]
    hits = detect_batch(analyzer, notes, threshold=0.5)
    found = sum(
        any(h.entity == e.PERSON and note[h.start : h.end] == name for h in note_hits)
        for note, name, note_hits in zip(notes, names, hits, strict=True)
    )
    assert found >= 0.8 * len(names)  # 0-10% before these locales were read


@pytest.mark.parametrize("locale", ["en_IN", "yo_NG", "tr_TR", "cs_CZ"])
def test_a_column_of_such_names_is_a_names_column(analyzer: AnalyzerEngine, locale: str) -> None:
    # under a header that says nothing, the values alone decide: it was kept in clear
    cells = pl.Series(_faker_names(locale, 300))
    finding = classify_column("Contact", cells, analyzer, DetectionSettings())
    assert finding.entity == e.PERSON


def test_double_barrelled_names_are_names(analyzer: AnalyzerEngine) -> None:
    note = "Claire Evans-Thompson met Jeanne-Agathe Foucher at the Self-Service desk"
    assert _names_found(analyzer, note) == {"Claire Evans-Thompson", "Jeanne-Agathe Foucher"}
    # written with a word processor's en dash: the whole name, not "Ann Evans"
    assert _names_found(analyzer, "Ann Evans–Thompson called") == {"Ann Evans–Thompson"}
    # one part the dictionaries do not know: the whole name all the same
    assert _names_found(analyzer, "Sarah Smith–Fotheringham called") == {"Sarah Smith–Fotheringham"}


def test_a_name_written_with_decomposed_accents_is_found(analyzer: AnalyzerEngine) -> None:
    # as macOS and some exports write them: e, then a combining acute accent
    note = "Met Rene\u0301e Dupont and Zoe\u0308 Smith"
    assert _names_found(analyzer, note) == {"Rene\u0301e Dupont", "Zoe\u0308 Smith"}


def test_a_dash_before_a_word_ends_a_name(analyzer: AnalyzerEngine) -> None:
    # typed without blanks: "Smith–he" is a name, then a word
    assert _names_found(analyzer, "Spoke to John Smith–he will call back") == {"John Smith"}
    assert _names_found(analyzer, "Called Sarah Smith-no answer") == {"Sarah Smith"}


@pytest.mark.parametrize("name", ["Nagy István", "Suzuki Yuta", "Wang Wei", "Kovács Anna"])
def test_names_written_family_name_first_are_found(analyzer: AnalyzerEngine, name: str) -> None:
    assert _names_found(analyzer, f"Spoke to {name} about the renewal") == {name}


@pytest.mark.parametrize(
    "place",
    [
        *("North Carolina", "West Virginia", "South Dakota", "Port Elizabeth", "Mount Vernon"),
        # a phrase that opens with a common word, or closes on a month or a season
        *("The May invoice", "Early June", "Sales April targets", "Prince Edward Island"),
        *("THE MAY INVOICE", "Sales Summer campaign"),
    ],
)
def test_places_and_phrases_are_no_names_written_family_name_first(
    analyzer: AnalyzerEngine, place: str
) -> None:
    assert _names_found(analyzer, f"Moved to {place} last year") == set()


def test_a_typographic_apostrophe_is_an_apostrophe(analyzer: AnalyzerEngine) -> None:
    # phones and word processors write O’Brien; the dictionaries hold o'brien
    note = "Met Ann O’Brien, then Sean O'Brien-Smith"
    assert _names_found(analyzer, note) == {"Ann O’Brien", "Sean O'Brien-Smith"}


@pytest.mark.parametrize(
    "word",
    [
        *("can", "an", "lei", "min", "na"),  # Turkish, Vietnamese, Chinese given names
        *("queen", "forum", "ruby", "mentor", "server", "date"),  # English words
        *("france", "indiana", "alberta", "hills"),  # places, a street's suffix
    ],
)
def test_common_words_and_places_stay_words(word: str) -> None:
    # a name in a wider locale's Faker list, left out of what the dictionaries read
    assert word in first_names_of(WIDER_NAME_LOCALES) | last_names_of(WIDER_NAME_LOCALES)
    assert word not in wider_first_names() | wider_last_names()
    assert word not in first_names() | last_names()


@pytest.mark.parametrize("header", ["Project Name", "Room Name", "Interest"])
def test_codenames_and_events_are_no_names(analyzer: AnalyzerEngine, header: str) -> None:
    # words the wider lists have as names, but English ones, under a name-ish header
    codenames = ["Apollo", "Atlas", "Phoenix", "Mercury", "Gemini", "Orion", "Titan", "Hermes"]
    events = ["Partner Forum 2024", "Customer Forum", "Leadership Forum", "Tech Forum"]
    cells = pl.Series((codenames + events) * 3)
    assert classify_column(header, cells, analyzer, DetectionSettings()).entity is None


def test_the_wider_locales_only_add_words() -> None:
    # a word the core locales know keeps its kind: a surname there is no first name
    core_first, core_last = first_names_of(NAME_LOCALES), last_names_of(NAME_LOCALES)
    assert core_first <= first_names()
    assert core_last <= last_names()
    assert not (first_names() - core_first) & core_last
    assert not (last_names() - core_last) & core_first
    assert len(first_names() - core_first) > 10_000  # and they add many


def test_the_kept_lists_are_what_the_build_makes() -> None:
    # from the locked Faker and english-words: after an upgrade, run
    # `python -m detectors.recognizers.wider_names_build` and review the change
    first, last = build()
    assert FIRST_FILE.read_text(encoding="utf-8") == names_file(first, "Given")
    assert LAST_FILE.read_text(encoding="utf-8") == names_file(last, "Family")
