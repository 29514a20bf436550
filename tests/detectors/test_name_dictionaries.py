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
    WIDER_NAME_LOCALES,
    first_names,
    first_names_of,
    last_names,
    last_names_of,
)
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
    assert found >= 0.9 * len(names)  # 1-10% before these locales were read


@pytest.mark.parametrize("locale", ["en_IN", "yo_NG", "tr_TR", "cs_CZ"])
def test_a_column_of_such_names_is_a_names_column(analyzer: AnalyzerEngine, locale: str) -> None:
    # under a header that says nothing, the values alone decide: it was kept in clear
    cells = pl.Series(_faker_names(locale, 300))
    finding = classify_column("Contact", cells, analyzer, DetectionSettings())
    assert finding.entity == e.PERSON


def test_double_barrelled_names_are_names(analyzer: AnalyzerEngine) -> None:
    note = "Claire Evans-Thompson met Jeanne-Agathe Foucher at the Self-Service desk"
    assert _names_found(analyzer, note) == {"Claire Evans-Thompson", "Jeanne-Agathe Foucher"}


@pytest.mark.parametrize(
    "word",
    [
        "can",
        "an",
        "lei",
        "min",
        "na",
        "hills",
    ],  # Turkish, Vietnamese, Chinese first names; a street's suffix
)
def test_common_words_stay_words(word: str) -> None:
    assert word not in first_names() | last_names()


def test_the_wider_locales_only_add_words() -> None:
    # a word the core locales know keeps its kind: a surname there is no first name
    core_first, core_last = first_names_of(NAME_LOCALES), last_names_of(NAME_LOCALES)
    assert core_first <= first_names()
    assert core_last <= last_names()
    assert not (first_names() - core_first) & core_last
    assert not (last_names() - core_last) & core_first
    assert first_names_of(WIDER_NAME_LOCALES) - core_first  # and they add many
