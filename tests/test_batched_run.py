"""Runs in batches (``memory: batched``) write what whole runs write, on real files."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest

from anonymise import pipeline
from anonymise.config import MemoryConfig, PipelineConfig, load_config
from anonymise.io.csv_batches import BatchedRead, read_csv_batched
from anonymise.io.read_result import ReadResult
from anonymise.io.readers import read_table
from anonymise.io.writers import guard_formulas
from anonymise.keys import SecretKey
from anonymise.scanning import InputSpec, scan
from anonymise.staged_table import StagedTable
from anonymise.staging import STAGING, runs_batched
from anonymise.suppression import Identifier, IdentifierKind, SuppressionList
from tests.io.samples import DIRTY_TEXT

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
KEY = bytes(range(32))
SAMPLE_FILES = ["keap_contacts.csv", "mailchimp_audience.csv", "hubspot_contacts.tsv"]

NOTES = (
    "Id,First Name,Last Name,Email,Phone 1,Person Notes\n"
    "001,Jane,Doe,Jane.Doe@Example.com,'+44 20 7946 0123   ,"
    '"Called on 020 7946 0999, wrote to jd@example.org, lives SW1A 1AA"\n'
    "002,John,Smith,john.smith@example.net,(415) 555-0132,Interested.\n"
    "003,Ann,Lee,ann@example.org,,\n"
    ",,,,,\n"
    "004,Omar,Said,omar@example.com,07700 900123,Omar asked for Jane\n"
)


@pytest.fixture(autouse=True)
def _let_staged_inputs_go(tmp_path: Path) -> Iterator[None]:
    yield
    STAGING.discard_under(tmp_path)


def _clean_sample(tmp: Path, name: str) -> Path:
    """A sample export as the batched reader takes it: UTF-8, no ragged record."""
    original = SAMPLES / name
    read = read_table(str(original))
    text = original.read_bytes().decode("utf-8-sig" if read.encoding == "utf-8-sig" else "cp1252")
    lines = text.splitlines(keepends=True)
    for row in sorted(read.quarantined, key=lambda r: -r.line):
        del lines[row.line - 1]  # the sample's ragged records are one line each
    clean = tmp / name
    clean.write_bytes(b"\xef\xbb\xbf" + "".join(lines).encode("utf-8"))
    return clean


def _config(tmp: Path, body: str) -> PipelineConfig:
    path = tmp / "pipeline.yaml"
    path.write_text(f"pipeline: test\n{body}")
    return load_config(path)


def _run(source: Path, config: PipelineConfig, out: Path) -> tuple[pl.DataFrame, object]:
    """One run through the pipeline's steps; the published frame and the record."""
    work = out / "work"
    work.mkdir(parents=True)
    staged = pipeline.stage(
        str(source), work, work / "q", 0, config=config, key=SecretKey(KEY), warm_detection=False
    )
    batched = isinstance(STAGING.get(staged.staged), StagedTable)
    assert batched == (config.memory.mode == "batched")
    planned = pipeline.plan_staged(staged, config, dict(config.columns), None, "")
    done = pipeline.transform(staged, planned, KEY, config, out, 0)
    pipeline.publish([done])
    fmt = config.output.format
    read = pl.read_parquet if fmt == "parquet" else pl.read_csv
    frame = read(done.target)
    record = (
        staged.rows,
        staged.rows_read,
        staged.blank_rows,
        staged.blocked,
        staged.sha256,
        planned.columns,
        done.rows_out,
        done.columns_out,
        done.residuals,
    )
    return frame, record


def _batched_residuals(tmp: Path, source: Path, body: str, rows: int) -> list[tuple[str, str]]:
    """(column, entity) of what verification finds after a batched run."""
    config = _config(tmp, body + f"memory: {{mode: batched, batch_rows: {rows}}}\n")
    work = tmp / "again"
    work.mkdir()
    staged = pipeline.stage(str(source), work, work, 0, config=config, key=SecretKey(KEY))
    planned = pipeline.plan_staged(staged, config, dict(config.columns), None, "")
    done = pipeline.transform(staged, planned, KEY, config, work, 0)
    return [(r.column, r.entity) for r in done.residuals]


def _both(tmp: Path, source: Path, body: str = "", rows: int = 7) -> None:
    """A whole run and a batched one of ``source`` give the same output and record."""
    whole = _config(tmp, body + "memory: {mode: whole}\n")
    batched = _config(tmp, body + f"memory: {{mode: batched, batch_rows: {rows}}}\n")
    expected, expected_record = _run(source, whole, tmp / "whole")
    got, record = _run(source, batched, tmp / "batched")
    assert got.equals(expected)
    assert record == expected_record


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_a_batched_run_writes_what_a_whole_run_writes(tmp_path: Path, name: str) -> None:
    _both(tmp_path, _clean_sample(tmp_path, name), rows=37)


def test_windows_of_any_size_write_what_a_whole_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Notes and phone numbers are computed several slices at a time; a window cut short
    # by its text budget (here a few rows) ends inside a slice, and the next one starts
    # there.
    from anonymise import batch_transform

    monkeypatch.setattr(batch_transform, "WINDOW_TEXT_BYTES", 200)
    _both(tmp_path, _clean_sample(tmp_path, "keap_contacts.csv"), rows=3)


def test_a_column_read_with_another_column_is_not_windowed(tmp_path: Path) -> None:
    # Phone numbers are windowed, but not one whose action reads another column: a
    # window holds only its own column.
    source = tmp_path / "crm.csv"
    source.write_text(NOTES, encoding="utf-8")
    body = "columns:\n  Phone 1: {action: date_shift, params: {by_column: Id}}\n"
    _both(tmp_path, source, body, rows=1)


def test_csv_output_in_batches_has_one_header_and_guards_formulas(tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(NOTES + '005,=cmd,X,x@example.com,,"=1+1"\n', encoding="utf-8")
    _both(tmp_path, source, "output: {format: csv}\n", rows=2)
    text = (tmp_path / "batched" / "crm.csv").read_text()
    assert text.count("Person Notes") == 1
    assert "'=" in text


def test_residuals_and_the_input_names_are_found_across_batches(tmp_path: Path) -> None:
    # Jane's name is in row 1, the note naming her in row 5: another batch.
    source = tmp_path / "crm.csv"
    source.write_text(NOTES, encoding="utf-8")
    body = (
        "columns:\n  Person Notes:\n"
        "    {entity: FREE_TEXT, action: redact_text, params: {entities: [PHONE_NUMBER]}}\n"
    )
    _both(tmp_path, source, body, rows=2)
    notes = pl.read_parquet(tmp_path / "batched" / "crm.parquet").get_column("Person Notes")
    assert notes.to_list()[-1] == "<PERSON> asked for <PERSON>"
    # verification still sees the e-mail address the phone-only redaction left
    assert _batched_residuals(tmp_path, source, body, rows=2) == [
        ("Person Notes", "EMAIL_ADDRESS"),
        ("Person Notes", "POSTCODE"),
    ]


def test_suppressed_people_are_dropped_from_batches_as_from_a_whole_frame(tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(NOTES, encoding="utf-8")
    listing = tmp_path / "blocklist.jsonl"
    SuppressionList(listing, SecretKey(KEY)).add(
        [Identifier(IdentifierKind.EMAIL, " JANE.doe@example.com")], reason="objection"
    )
    body = f"suppression:\n  path: {listing}\n  blocked_domains: [example.net]\n"
    _both(tmp_path, source, body, rows=2)
    kept = pl.read_parquet(tmp_path / "batched" / "crm.parquet")
    assert kept.height == 2


def test_every_row_blocked_still_writes_the_columns(tmp_path: Path) -> None:
    source = tmp_path / "crm.csv"
    source.write_text(NOTES, encoding="utf-8")
    body = "suppression:\n  blocked_domains: [example.com, example.net, example.org]\n"
    _both(tmp_path, source, body, rows=2)
    empty = pl.read_parquet(tmp_path / "batched" / "crm.parquet")
    assert empty.height == 0
    assert "Person Notes" in empty.columns


def test_a_table_spilled_to_disk_runs_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(STAGING, "budget_bytes", 0)
    _both(tmp_path, _clean_sample(tmp_path, "keap_contacts.csv"), rows=100)


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_batches_hold_the_rows_read_table_reads(tmp_path: Path, name: str) -> None:
    source = str(_clean_sample(tmp_path, name))
    batched = read_csv_batched(source)
    whole = read_table(source)
    assert batched is not None
    frame = pl.concat(list(batched.table.slices(50)))
    assert frame.equals(whole.frame)
    assert batched.sha256 == whole.sha256
    assert (batched.format, batched.delimiter) == (whole.format, whole.delimiter)
    assert batched.renamed_columns == dict(whole.renamed_columns)
    assert batched.blank_rows == whole.blank_rows


def test_blank_rows_are_counted_and_dropped_across_batches(tmp_path: Path) -> None:
    # ~3 MB: Arrow parses it in several blocks, so blank rows fall in several batches.
    rows = (f"{i},{'x' * 24}\n" if i % 3 else " , \n" for i in range(1, 120_000))
    source = tmp_path / "blank.csv"
    source.write_text("A,B\n" + "".join(rows) + "\n", encoding="utf-8")
    batched = read_csv_batched(str(source))
    whole = read_table(str(source))
    assert batched is not None
    assert batched.table.batch_count > 1
    assert batched.blank_rows == whole.blank_rows == 40_000
    assert pl.concat(list(batched.table.slices(7_000))).equals(whole.frame)


def test_inputs_read_table_handles_with_more_care_are_read_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ragged = tmp_path / "dirty.csv"
    ragged.write_text(DIRTY_TEXT, encoding="utf-8")
    zipped = tmp_path / "keap.csv.gz"
    zipped.write_bytes(gzip.compress((SAMPLES / "keap_contacts.csv").read_bytes()))
    windows = tmp_path / "cp1252.csv"
    windows.write_bytes("Name,City\nRené,Köln\n".encode("cp1252"))
    broken_bar = tmp_path / "broken_bar.csv"
    broken_bar.write_text("sep=¦\nName¦City\nRené¦Köln\n", encoding="utf-8")
    originals = [SAMPLES / "keap_contacts.csv", SAMPLES / "mailchimp_audience.csv"]
    caplog.set_level(logging.INFO, logger="anonymise.io.csv_batches")
    others = (ragged, zipped, windows, broken_bar, SAMPLES / "hubspot_contacts.parquet")
    for source in (*others, *originals):
        assert read_csv_batched(str(source)) is None
    said = caplog.messages
    assert f"input '{windows}': read whole, not in batches: it is cp1252, not UTF-8" in said
    assert (
        f"input '{broken_bar}': read whole, not in batches: its delimiter is not an ASCII character"
        in said
    )
    assert any(m.startswith(f"input '{ragged}'") and "too few or too many" in m for m in said)
    assert not any("René" in m for m in said)


def test_a_ragged_input_in_batched_mode_is_quarantined_as_in_a_whole_run(tmp_path: Path) -> None:
    source = tmp_path / "dirty.csv"
    source.write_text(DIRTY_TEXT, encoding="utf-8")
    config = _config(tmp_path, "memory: {mode: batched, batch_rows: 1}\n")
    staged = pipeline.stage(
        str(source), tmp_path, tmp_path / "q", 0, config=config, key=SecretKey(KEY)
    )
    assert not isinstance(STAGING.get(staged.staged), StagedTable)
    assert staged.quarantined == 3


def test_auto_runs_in_batches_only_what_would_not_fit() -> None:
    source = str(SAMPLES / "keap_contacts.csv")
    assert not runs_batched(source, MemoryConfig())
    assert runs_batched(source, MemoryConfig(budget_share=1e-9))
    assert runs_batched(source, MemoryConfig(mode="batched"))
    assert not runs_batched(source, MemoryConfig(mode="whole", budget_share=1e-9))


def _generated(rows: int, *, sparse_every: int) -> str:
    """A CRM export of ``rows`` rows: quoted CRLF line breaks, blank rows, and a notes
    column whose e-mail addresses are sparse (one row in ``sparse_every``)."""
    lines = ["Id,First Name,Last Name,Email,Phone 1,Person Notes"]
    for i in range(rows):
        if i % 997 == 0:
            lines.append(",,,,,")
        note = f"met {i} times" if i % sparse_every else f"wrote to p{i}@example.org"
        if i % 13 == 0:
            note = f"first line\r\nsecond line {i}"
        lines.append(f'{i:06d},Ann{i % 50},Lee{i % 70},a{i}@example.com,,"{note}"')
    return "\r\n".join(lines) + "\r\n"


def test_many_batches_hold_the_rows_read_table_reads(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    source.write_bytes(b"\xef\xbb\xbf" + _generated(40_000, sparse_every=40).encode("utf-8"))
    batched = read_csv_batched(str(source))
    whole = read_table(str(source))
    assert batched is not None
    assert batched.table.batch_count > 1  # Arrow's blocks are about 1 MB
    assert pl.concat(list(batched.table.slices(7_000, ramp=True))).equals(whole.frame)
    assert batched.blank_rows == whole.blank_rows > 0


def test_verification_finds_in_batches_what_it_finds_whole(tmp_path: Path) -> None:
    # a sparse leak, more rows than any draw: the samples must be the whole run's own
    source = tmp_path / "crm.csv"
    source.write_text(_generated(12_000, sparse_every=60), encoding="utf-8")
    body = (
        "detection: {sample_size: 40}\n"
        "columns:\n  Person Notes:\n"
        "    {entity: FREE_TEXT, action: redact_text, params: {entities: [PHONE_NUMBER]}}\n"
    )
    _both(tmp_path, source, body, rows=1_000)
    found = _batched_residuals(tmp_path, source, body, rows=1_000)
    assert found == [("Person Notes", "EMAIL_ADDRESS")]


def test_remote_inputs_are_read_whole(caplog: pytest.LogCaptureFixture) -> None:
    import fsspec

    with fsspec.open("memory://exports/crm.csv", "wb") as handle:
        handle.write(NOTES.encode("utf-8"))
    caplog.set_level(logging.INFO, logger="anonymise.io.csv_batches")
    assert read_csv_batched("memory://exports/crm.csv") is None
    assert caplog.messages == [
        "input 'memory://exports/crm.csv': read whole, not in batches: it is not a local file"
    ]


def test_a_file_changed_while_it_is_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anonymise.errors import InputError
    from anonymise.io import csv_batches

    source = tmp_path / "crm.csv"
    source.write_text(NOTES, encoding="utf-8")
    mapped = csv_batches.map_raw_bytes

    def map_then_append(path: str) -> object:
        data = mapped(path)
        with open(path, "a", encoding="utf-8") as export:  # the exporter writes on
            export.write("004,Late,Row,late@example.com,,\n")
        return data

    monkeypatch.setattr(csv_batches, "map_raw_bytes", map_then_append)
    with pytest.raises(InputError, match="changed while it was read"):
        read_csv_batched(str(source))


def test_a_failed_batch_write_names_the_output_and_leaves_no_file(tmp_path: Path) -> None:
    from anonymise.errors import OutputError
    from anonymise.io.batch_writer import write_slices

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    slice_ = pl.DataFrame({"a": ["x"]})

    def failing(error: Exception) -> Iterator[pl.DataFrame]:
        yield slice_
        yield slice_
        raise error

    with pytest.raises(OutputError, match="not-a-folder"):
        write_slices([slice_], blocker / "out.parquet", "parquet")
    # an error made while a slice is made is that error, not a write error
    with pytest.raises(RuntimeError, match="boom"):
        write_slices(failing(RuntimeError("boom")), tmp_path / "out.parquet", "parquet")
    with pytest.raises(pl.exceptions.ComputeError, match="bad slice"):
        write_slices(failing(pl.exceptions.ComputeError("bad slice")), tmp_path / "o.csv", "csv")
    assert list(tmp_path.iterdir()) == [blocker]


def test_a_slice_of_another_type_is_cast_to_the_first_slices_types(tmp_path: Path) -> None:
    from anonymise.io.batch_writer import write_slices

    slices = [
        pl.DataFrame({"a": ["x", None]}),
        pl.DataFrame({"a": [None, None]}),  # all null: type Null
        pl.DataFrame({"a": [7]}),
    ]
    target = tmp_path / "out.parquet"
    assert write_slices(slices, target, "parquet").rows == 5
    assert pl.read_parquet(target).get_column("a").to_list() == ["x", None, None, None, "7"]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_slices_are_written_in_order_in_row_groups_of_the_batch_size(
    tmp_path: Path, fmt: str
) -> None:
    from anonymise.io.batch_writer import write_slices

    frame = pl.DataFrame(
        {"id": [f"{i:05d}" for i in range(2_500)], "note": ["=1+1", None, "plain", ""] * 625}
    )
    sizes = [7, 300, 1, 1_192, 1_000]
    bounds = [sum(sizes[:i]) for i in range(len(sizes))]
    slices = (frame.slice(offset, size) for offset, size in zip(bounds, sizes, strict=True))
    target = tmp_path / f"out.{fmt}"
    written = write_slices(slices, target, fmt, row_group_rows=1_000)  # type: ignore[arg-type]
    assert (written.rows, written.columns) == (2_500, ("id", "note"))
    if fmt == "parquet":
        assert pl.read_parquet(target).equals(frame)
        assert pq.ParquetFile(target).metadata.num_row_groups == 3
    else:  # the formula guard on every slice, the header once
        back = pl.read_csv(target, infer_schema=False)
        assert back.equals(guard_formulas(frame))


# --- scan reads as a run stages ------------------------------------------------------


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_a_scan_in_batches_plans_what_a_whole_scan_plans(tmp_path: Path, name: str) -> None:
    source = _clean_sample(tmp_path, name)
    outcomes = {
        mode: scan(
            [InputSpec(source=str(source))], _config(tmp_path, f"memory: {{mode: {mode}}}\n")
        )
        for mode in ("whole", "batched")
    }
    (whole,), (batched,) = outcomes["whole"].reads, outcomes["batched"].reads
    assert isinstance(batched, BatchedRead)
    assert isinstance(whole, ReadResult)
    assert outcomes["batched"].plan.inputs == outcomes["whole"].plan.inputs
    assert outcomes["batched"].plan.inputs[0].rows == whole.frame.height


def test_scan_memory_option_reads_in_batches_and_refuses_an_unknown_mode(
    tmp_path: Path,
) -> None:
    from typer.testing import CliRunner

    from anonymise.cli.main import app

    source = str(_clean_sample(tmp_path, "keap_contacts.csv"))
    printed = {}
    for mode in ("batched", "whole"):
        result = CliRunner().invoke(app, ["scan", source, "--json", "--memory", mode])
        assert result.exit_code == 0, result.output
        printed[mode] = json.loads(result.stdout)
    assert printed["batched"] == printed["whole"]
    assert printed["batched"]["inputs"][0]["rows"] > 100
    refused = CliRunner().invoke(app, ["scan", source, "--memory", "lots"])
    assert refused.exit_code == 2
    assert "option --memory: 'lots' is not a memory mode" in refused.stderr


def test_a_scan_in_batches_sets_a_ragged_record_aside_as_a_whole_scan_does(
    tmp_path: Path,
) -> None:
    # the sample's own ragged records: the file is read whole, and the lines reported
    outcome = scan(
        [InputSpec(source=str(SAMPLES / "keap_contacts.csv"))],
        _config(tmp_path, "memory: {mode: batched}\n"),
    )
    (read,) = outcome.reads
    assert isinstance(read, ReadResult)
    assert read.quarantined


def test_a_failing_write_names_the_output_whatever_slice_it_was_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib
    import io

    from anonymise.errors import OutputError
    from anonymise.io import batch_writer

    class FullDisk(io.RawIOBase):
        def writable(self) -> bool:
            return True

        def write(self, data: object) -> int:
            raise OSError(28, "No space left on device")

    @contextlib.contextmanager
    def full_disk(target: Path, *, private: bool = True) -> Iterator[io.RawIOBase]:
        yield FullDisk()

    monkeypatch.setattr(batch_writer, "replacing", full_disk)
    slices = (pl.DataFrame({"a": [f"{i}"] * 5_000}) for i in range(20))
    with pytest.raises(OutputError, match=r"output '.*out.parquet': cannot write it"):
        batch_writer.write_slices(slices, tmp_path / "out.parquet", "parquet", row_group_rows=5_000)


def test_a_quoted_value_that_never_closes_is_refused_in_batches_too(tmp_path: Path) -> None:
    from anonymise.errors import InputError

    rows = [f"{i},p{i}@example.com," + ('"never closed' if i == 5 else "ok") for i in range(40)]
    source = tmp_path / "crm.csv"
    source.write_text("Id,Email,Notes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    config = _config(tmp_path, "memory: {mode: batched}\n")
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(InputError, match=r"line 7: a quoted value opens there and never closes"):
        pipeline.stage(str(source), work, work / "q", 0, config=config, key=SecretKey(KEY))


def test_a_file_not_strictly_quoted_is_still_read_in_batches(tmp_path: Path) -> None:
    # an odd number of quotes, none of them opening a value: no reason to read it whole
    source = tmp_path / "crm.csv"
    tall = '5" tall'
    rows = [f"{i},p{i}@example.com,{tall if i == 3 else 'ok'}" for i in range(40)]
    source.write_text("Id,Email,Notes\n" + "\n".join(rows) + "\n", encoding="utf-8")
    batched = read_csv_batched(str(source))
    assert batched is not None
    assert batched.table.height == 40
