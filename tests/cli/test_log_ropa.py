"""`anonymise log verify` and `anonymise ropa`, registered as main.py will register them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner, Result

from anonymise.cli.log_command import log_app, log_verify
from anonymise.cli.ropa_command import ropa
from anonymise.records.build import record_from_report
from anonymise.records.chain import append_record
from tests.records.helpers import FULL_SECTIONS, make_config, make_report

app = typer.Typer()
app.add_typer(log_app, name="log")
app.command()(ropa)


@app.callback()
def _root() -> None:
    """The two commands under test."""


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _config_file(tmp_path: Path, name: str = "crm", **sections: Any) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"pipeline": name, **sections}))
    return path


def _log(path: Path, count: int = 3, **sections: Any) -> Path:
    config = make_config(**sections)
    for i in range(count):
        report = make_report(run_id=f"run-{i}")
        append_record(path, record_from_report(report, config, status="succeeded", error=None))
    return path


def test_verify_an_intact_log(tmp_path: Path) -> None:
    log = _log(tmp_path / "p.jsonl")
    result = _invoke("log", "verify", "--log", str(log))
    assert result.exit_code == 0, result.output
    last = json.loads(log.read_text().splitlines()[-1])["hash"]
    assert f"3 records, chain intact; last hash {last}" in result.output


def test_verify_says_when_the_last_record_lacks_its_line_end(tmp_path: Path) -> None:
    # a write cut just before its newline leaves a whole record: the chain is intact,
    # but the next append is refused until the line is ended
    log = _log(tmp_path / "p.jsonl")
    log.write_bytes(log.read_bytes().rstrip(b"\n"))
    result = _invoke("log", "verify", "--log", str(log))
    assert result.exit_code == 1
    assert "3 records, chain intact" in result.stdout
    assert "its last record lacks its line end" in result.stderr
    with log.open("ab") as handle:
        handle.write(b"\n")
    assert _invoke("log", "verify", "--log", str(log)).exit_code == 0


def test_verify_finds_the_log_through_the_config(tmp_path: Path) -> None:
    config = _config_file(tmp_path, **FULL_SECTIONS)
    _log(tmp_path / "records" / "processing.jsonl")
    result = _invoke("log", "verify", "--config", str(config))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("damage", ["edit", "delete", "swap"])
def test_verify_names_the_first_bad_record(tmp_path: Path, damage: str) -> None:
    log = _log(tmp_path / "p.jsonl", 4)
    lines = log.read_text().splitlines()
    ids = [json.loads(line)["record_id"] for line in lines]
    if damage == "edit":
        lines[1] = lines[1].replace('"rows_out":347', '"rows_out":348')
        expected = f"line 2, record {ids[1]}: edited"
    elif damage == "delete":
        del lines[1]
        expected = f"line 2, record {ids[2]}: removed"
    else:
        lines[1], lines[2] = lines[2], lines[1]
        expected = f"line 2, record {ids[2]}: reordered"
    log.write_text("\n".join(lines) + "\n")
    result = _invoke("log", "verify", "--log", str(log))
    assert result.exit_code == 1
    assert expected in result.output
    assert log_verify(log) == 1


def test_verify_can_check_the_last_hash_against_a_noted_one(tmp_path: Path) -> None:
    log = _log(tmp_path / "p.jsonl")
    result = _invoke("log", "verify", "--log", str(log), "--expect-last", "0" * 64)
    assert result.exit_code == 1
    assert "cut from the end" in result.output


def test_verify_a_missing_log_is_a_usage_error(tmp_path: Path) -> None:
    result = _invoke("log", "verify", "--log", str(tmp_path / "none.jsonl"))
    assert result.exit_code == 2
    assert "no such file" in result.output


@pytest.mark.parametrize("fmt", ["md", "csv", "html", "json"])
def test_ropa_renders_every_format(tmp_path: Path, fmt: str) -> None:
    config = _config_file(tmp_path, **FULL_SECTIONS)
    _log(tmp_path / "records" / "processing.jsonl", **FULL_SECTIONS)
    result = _invoke("ropa", "--config", str(config), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Purposes of the processing" in result.output
    assert "analytics on CRM contacts" in result.output


def test_ropa_writes_to_a_file(tmp_path: Path) -> None:
    config = _config_file(tmp_path, **FULL_SECTIONS)
    out = tmp_path / "ropa" / "ropa.html"
    result = _invoke("ropa", "-c", str(config), "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_ropa_from_a_log_alone(tmp_path: Path) -> None:
    log = _log(tmp_path / "p.jsonl", **FULL_SECTIONS)
    result = _invoke("ropa", "--log", str(log), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    fields = {f["field"]: f["value"] for f in document["activities"][0]["fields"]}
    assert fields["Runs"] == 3


def test_ropa_strict_fails_on_missing_fields_and_says_which(tmp_path: Path) -> None:
    config = _config_file(tmp_path)
    result = _invoke("ropa", "--config", str(config))
    assert result.exit_code == 0  # a warning only
    assert "activity 'crm': missing controller" in result.output
    result = _invoke("ropa", "--config", str(config), "--strict")
    assert result.exit_code == 1
    assert "# Records of processing activities" in result.output  # still rendered


def test_ropa_strict_fails_on_a_broken_chain(tmp_path: Path) -> None:
    config = _config_file(tmp_path, **FULL_SECTIONS)
    log = _log(tmp_path / "records" / "processing.jsonl", **FULL_SECTIONS)
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[1:]) + "\n")
    result = _invoke("ropa", "--config", str(config), "--strict")
    assert result.exit_code == 1
    assert "chain broken at line 1" in result.output
    # the document says so itself, in every format: stderr is easily lost
    for fmt in ("md", "csv", "html", "json"):
        rendered = _invoke("ropa", "--config", str(config), "--format", fmt).stdout
        assert "CHAIN BROKEN" in rendered, fmt
    (tmp_path / "intact").mkdir()
    intact = _config_file(tmp_path / "intact", "other", **FULL_SECTIONS)
    other_log = tmp_path / "intact" / "records" / "processing.jsonl"
    for run in ("o-1", "o-2"):
        report = make_report(pipeline="other", run_id=run)
        record = record_from_report(report, make_config("other"), status="succeeded", error=None)
        append_record(other_log, record)
    rendered = _invoke("ropa", "--config", str(intact)).stdout
    assert "hash chain intact" in rendered
    assert "CHAIN BROKEN" not in rendered
    # two configs: each entry tells of its own log
    both = _invoke("ropa", "--config", str(config), "--config", str(intact)).stdout
    assert both.count("CHAIN BROKEN") == 1
    # a log that is gone is said to be gone, not intact
    (tmp_path / "intact" / "records" / "processing.jsonl").unlink()
    gone = _invoke("ropa", "--config", str(intact)).stdout
    assert "no processing log at" in gone
    assert "hash chain intact" not in gone


def test_an_entry_with_figures_from_a_broken_log_says_so(tmp_path: Path) -> None:
    # "other" has its own intact log, but a broken log holds one of its runs too: its
    # entry's figures pool both, so it cannot say "intact"
    config = _config_file(tmp_path, **FULL_SECTIONS)
    log = _log(tmp_path / "records" / "processing.jsonl", **FULL_SECTIONS)
    stray = make_report(pipeline="other", run_id="o-stray")
    append_record(
        log, record_from_report(stray, make_config("other"), status="succeeded", error=None)
    )
    lines = log.read_text().splitlines()
    log.write_text("\n".join(lines[1:]) + "\n")
    (tmp_path / "intact").mkdir()
    intact = _config_file(tmp_path / "intact", "other", **FULL_SECTIONS)
    report = make_report(pipeline="other", run_id="o-1")
    append_record(
        tmp_path / "intact" / "records" / "processing.jsonl",
        record_from_report(report, make_config("other"), status="succeeded", error=None),
    )
    alone = _invoke("ropa", "--config", str(intact)).stdout
    assert "CHAIN BROKEN" not in alone  # its own log alone is intact
    both = _invoke("ropa", "--config", str(config), "--config", str(intact), "--format", "json")
    entries = {e["activity"]: json.dumps(e) for e in json.loads(both.stdout)["activities"]}
    assert "CHAIN BROKEN" in entries["other"]
    assert "CHAIN BROKEN" in entries["crm"]


def test_ropa_refuses_a_config_with_an_unknown_key(tmp_path: Path) -> None:
    config = _config_file(tmp_path, activity={"purpose": ["typo"]})
    result = _invoke("ropa", "--config", str(config))
    assert result.exit_code == 2
    assert "key 'activity.purpose'" in result.output
