"""The staging area: frames by path, in memory within the budget, on disk beyond it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from anonymise.config import MemoryConfig
from anonymise.errors import InputError, RunError
from anonymise.staging import StagingArea, read_input, rows_of


@pytest.fixture
def frame() -> pl.DataFrame:
    return pl.DataFrame({"Email": ["a@x.com", None, "b@y.org"], "Amount": ["1", "2", "3"]})


def test_a_frame_within_budget_stays_in_memory(tmp_path: Path, frame: pl.DataFrame) -> None:
    area = StagingArea(budget_bytes=10_000)
    path = tmp_path / "input-0.arrow"
    assert area.put(path, frame) == "memory"
    assert not path.exists()
    assert area.get(path) is frame
    assert area.held() == 1


def test_a_frame_beyond_budget_goes_to_disk_and_reads_back_equal(
    tmp_path: Path, frame: pl.DataFrame
) -> None:
    area = StagingArea(budget_bytes=10_000)
    first, second = tmp_path / "input-0.arrow", tmp_path / "input-1.arrow"
    big = pl.concat([frame] * 1000)
    assert area.put(first, frame) == "memory"
    assert area.put(second, big) == "disk"
    assert second.exists()
    assert_frame_equal(area.get(second), big)
    assert area.held() == 1


def test_discard_forgets_the_frame_and_deletes_its_file(
    tmp_path: Path, frame: pl.DataFrame
) -> None:
    area = StagingArea(budget_bytes=0)
    path = tmp_path / "input-0.arrow"
    area.put(path, frame)
    area.discard(path)
    assert not path.exists()
    with pytest.raises(RunError, match=r"input-0\.arrow"):
        area.get(path)


def test_discard_under_forgets_only_that_runs_frames(tmp_path: Path, frame: pl.DataFrame) -> None:
    area = StagingArea(budget_bytes=10_000)
    run_a, run_b = tmp_path / "run-a", tmp_path / "run-ab"
    area.put(run_a / "input-0.arrow", frame)
    area.put(run_b / "input-0.arrow", frame)
    area.discard_under(run_a)
    assert area.held() == 1
    assert area.get(run_b / "input-0.arrow") is frame


def test_a_missing_frame_is_a_run_error_naming_only_the_path(tmp_path: Path) -> None:
    with pytest.raises(RunError) as caught:
        StagingArea().get(tmp_path / "input-3.arrow")
    assert "input-3.arrow" in str(caught.value)
    assert "one process" in str(caught.value)


NESTED = pl.DataFrame(
    {
        "id": [1, 2],
        "emails": [["ann@example.com"], []],
        "name": [{"first": "Ann", "last": "Smith"}, None],
        "blob": [[b"\x00\x01"], None],  # Polars cannot even write this as JSON text
    }
)


@pytest.mark.parametrize("suffix", ["json", "ndjson", "parquet"])
def test_lists_and_records_are_refused_by_position(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"nested.{suffix}"
    frame = NESTED if suffix == "parquet" else NESTED.drop("blob")
    getattr(frame, f"write_{suffix}")(path)
    with pytest.raises(InputError) as refused:
        read_input(str(path), MemoryConfig())
    lists = "fields 2, 4" if suffix == "parquet" else "field 2"
    assert str(refused.value) == (
        f"input '{path}': some fields hold nested values, which are not read (lists: "
        f"{lists}; records: field 3); export it again with one column per field (a "
        "record's fields, a list's items)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # NDJSON: a record in one line and a string in another is read as text
        (
            '{"id": 1, "address": ""}\n{"id": 2, "address": {"street": "1 High St"}}\n',
            "(JSON lists or records written as text: field 2)",
        ),
        (
            '{"id": 1, "email": "ann@example.com"}\n{"id": 2, "email": ["b@x.com"]}\n',
            "(JSON lists or records written as text: field 2)",
        ),
        # a string that is JSON text beside a record; the same past a line set aside
        (
            '{"id": 1, "tags": "[]"}\n\n{"id": 2, "tags": {"owner": "Ann Smith"}}\n',
            "(JSON lists or records written as text: field 2)",
        ),
        (
            '{"id": 1, "address": ""}\nnot json\n{"id": 2, "address": {"street": "1 High St"}}\n',
            "(JSON lists or records written as text: field 2)",
        ),
        # many texts that only look like it do not hide the one record among them
        (
            "".join(f'{{"note": "[Call] about [order {i}]"}}\n' for i in range(2000))
            + '{"note": {"author": "Ann Smith"}}\n',
            "(JSON lists or records written as text: field 1)",
        ),
        # an object keyed by person: by e-mail address, or by id with records as values
        (
            '{"ann.smith@example.com": {"name": "Ann"}, "bob@example.com": {"name": "Bob"}}\n',
            "its field names look like data, not names (e-mail addresses, phone numbers or "
            "postcodes, fields 1, 2)",
        ),
        (
            '{"0035g00000AbCdEAAA": {"name": "Ann Smith"}, "1001": {"name": "Bob"}}\n',
            "(records: fields 1, 2)",
        ),
        (
            '{"+447700900123": "opted out", "+447700900456": "subscribed"}\n',
            "(e-mail addresses, phone numbers or postcodes, fields 1, 2)",
        ),
        # a number with its + inside a field name, outside brackets
        (
            '{"id": 1, "Mobile +44 7700 900461": "x", "tel:+447700900461": "y"}\n',
            "(e-mail addresses, phone numbers or postcodes, fields 2, 3)",
        ),
        # a national number, a postcode, a fullwidth address: over cells of their kind
        (
            '{"07700 900877": "07700 900123", "ZZ9 9ZZ": "SW1A 1AA", "zq\uff20example.org": 1}\n'
            * 6,
            "(e-mail addresses, phone numbers or postcodes, fields 1, 2, 3)",
        ),
    ],
)
def test_json_that_is_not_one_value_a_named_cell_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "contacts.ndjson"
    path.write_text(text)
    with pytest.raises(InputError) as refused:
        read_input(str(path), MemoryConfig())
    assert message in str(refused.value)
    for value in ("ann", "Ann", "High", "b@x", "0035g", "1001", "7700"):
        assert value not in str(refused.value).replace(str(path), "")


def test_json_text_that_only_looks_nested_is_read(tmp_path: Path) -> None:
    path = tmp_path / "contacts.ndjson"
    path.write_text('{"note": "[VIP] called back"}\n{"note": "{braces} and [brackets]"}\n')
    assert rows_of(read_input(str(path), MemoryConfig())).height == 2


def test_numbers_as_field_names_are_read(tmp_path: Path) -> None:
    path = tmp_path / "pivot.ndjson"  # epochs and product codes as fields
    path.write_text('{"product": "Tea", "1704067200": 3, "4006381333931": 1}\n')
    assert rows_of(read_input(str(path), MemoryConfig())).columns[1] == "1704067200"


def test_json_text_in_a_string_field_is_read_as_the_string_it_is(tmp_path: Path) -> None:
    path = tmp_path / "contacts.ndjson"
    lines = ['{"id": 1, "tags": "[]"}', '{"id": 2, "tags": "[\\"vip\\"]"}', "", '{"id": 3}']
    path.write_text("\n".join(lines) + "\n")
    staged = rows_of(read_input(str(path), MemoryConfig()))
    assert staged["tags"].to_list() == ["[]", '["vip"]', None]


def test_a_duration_column_is_read_as_iso_text(tmp_path: Path) -> None:
    path = tmp_path / "calls.parquet"
    pl.DataFrame(
        {"Email": ["a@x.com", "b@x.com"], "Call Duration": [timedelta(seconds=30), None]}
    ).write_parquet(path)
    staged = rows_of(read_input(str(path), MemoryConfig()))
    assert staged["Call Duration"].to_list() == ["PT30S", None]
    assert staged.schema["Email"] == pl.String


def test_a_pivots_number_field_beside_a_duration_is_read(tmp_path: Path) -> None:
    # the field names' check read a Duration column as text and crashed
    path = tmp_path / "pivot.parquet"
    pl.DataFrame(
        {
            "Store": ["a", "b", "c"],
            "4006381333931": [3, 4, 5],
            "Avg call": [timedelta(seconds=30)] * 3,
        }
    ).write_parquet(path)
    staged = rows_of(read_input(str(path), MemoryConfig()))
    assert staged["Avg call"].to_list() == ["PT30S"] * 3


def test_bytes_that_are_not_text_are_refused_by_position(tmp_path: Path) -> None:
    path = tmp_path / "photos.parquet"
    pl.DataFrame(
        {
            "Email": ["a@x.com", "b@x.com"],
            "Note": [b"plain text", None],
            "Photo": [b"\xff\xd8", None],
        }
    ).write_parquet(path)
    with pytest.raises(InputError) as refused:
        read_input(str(path), MemoryConfig())
    assert str(refused.value) == (
        f"input '{path}': field 3 holds bytes that are not text (an image, a file, a hash), "
        "which cannot be checked for personal data; export them as text, or leave them out "
        "of the export"
    )
