"""Runs in batches (``memory: batched``) write what whole runs write, on real files."""

from __future__ import annotations

import gzip
import logging
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from anonymise import pipeline
from anonymise.config import MemoryConfig, PipelineConfig, load_config
from anonymise.io.csv_batches import read_csv_batched
from anonymise.io.readers import read_table
from anonymise.keys import SecretKey
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
    whole = _config(tmp_path, body + "memory: {mode: batched, batch_rows: 2}\n")
    work = tmp_path / "again"
    work.mkdir()
    staged = pipeline.stage(str(source), work, work, 0, config=whole, key=SecretKey(KEY))
    planned = pipeline.plan_staged(staged, whole, dict(whole.columns), None, "")
    done = pipeline.transform(staged, planned, KEY, whole, work, 0)
    assert {(r.column, r.entity) for r in done.residuals} == {
        ("Person Notes", "EMAIL_ADDRESS"),
        ("Person Notes", "POSTCODE"),
    }


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


def test_blank_rows_are_counted_batch_by_batch(tmp_path: Path) -> None:
    body = "A,B\n" + "".join(f"{i},x\n" if i % 3 else " , \n" for i in range(1, 3000)) + "\n"
    source = tmp_path / "blank.csv"
    source.write_text(body, encoding="utf-8")
    batched = read_csv_batched(str(source))
    whole = read_table(str(source))
    assert batched is not None
    assert batched.blank_rows == whole.blank_rows == 1000
    assert pl.concat(list(batched.table.slices(1000))).equals(whole.frame)


def test_inputs_read_table_handles_with_more_care_are_read_whole(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ragged = tmp_path / "dirty.csv"
    ragged.write_text(DIRTY_TEXT, encoding="utf-8")
    zipped = tmp_path / "keap.csv.gz"
    zipped.write_bytes(gzip.compress((SAMPLES / "keap_contacts.csv").read_bytes()))
    windows = tmp_path / "cp1252.csv"
    windows.write_bytes("Name,City\nRené,Köln\n".encode("cp1252"))
    originals = [SAMPLES / "keap_contacts.csv", SAMPLES / "mailchimp_audience.csv"]
    caplog.set_level(logging.INFO, logger="anonymise.io.csv_batches")
    for source in (ragged, zipped, windows, SAMPLES / "hubspot_contacts.parquet", *originals):
        assert read_csv_batched(str(source)) is None
    said = caplog.messages
    assert f"input '{windows}': read whole, not in batches: it is cp1252, not UTF-8" in said
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
