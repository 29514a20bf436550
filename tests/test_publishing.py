"""A run killed between renaming its outputs into place and writing its report: who
takes the folder's lock next lists what it had published, and only that, and records
it in the run's own log, once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anonymise.config import default_config
from anonymise.publishing import (
    JOURNAL_PREFIX,
    hashed_report,
    settle_journals,
    write_journal,
)
from anonymise.records.build import record_from_report
from anonymise.records.chain import append_record, read_records
from anonymise.run_report import write_report


def _entry(out: Path, name: str) -> dict[str, Any]:
    return {
        "source": f"/in/{name}.csv",
        "output": str(out / f"{name}.parquet"),
        "rows_in": 2,
        "rows_out": 2,
        "rows_blocked": {"blocklist": 1},
        "quarantined": 0,
        "columns": [],
    }


def _report(run_id: str, *entries: dict[str, Any]) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "pipeline": "p",
        "status": "succeeded",
        "key_id": "k-1",
        "started_at": "2026-11-30T10:00:00+00:00",
        "finished_at": "2026-11-30T10:01:00+00:00",
        "inputs": list(entries),
    }


def _killed_while_publishing(tmp: Path, out: Path, *names: str) -> tuple[dict[str, Any], Path]:
    """A run that made an output per name, wrote its journal (its log: ``tmp/log.jsonl``)
    and was killed before it renamed anything; its record, and its log."""
    pending = []
    for name in names:
        (tmp / f"{name}.pending").write_bytes(f"new {name}".encode())
        pending.append(str(tmp / f"{name}.pending"))
    report = hashed_report(_report("run-2", *(_entry(out, n) for n in names)), pending)
    record = record_from_report(report, default_config("p"), status="succeeded", error=None)
    log = tmp / "log.jsonl"
    write_journal(out, out, report, record, log)
    return record, log


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.parquet").write_bytes(b"old a")
    (folder / "b.parquet").write_bytes(b"old b")
    write_report(_report("run-1", _entry(folder, "a"), _entry(folder, "b")), folder)
    return folder


def test_only_the_outputs_that_reached_their_place_are_reported_and_recorded(
    tmp_path: Path, out: Path
) -> None:
    _, log = _killed_while_publishing(tmp_path, out, "a", "b")
    (tmp_path / "a.pending").replace(out / "a.parquet")  # a renamed, then killed

    assert settle_journals(out, out, by="a test") == 1
    report = json.loads((out / "run_report.json").read_text())
    assert report["run_id"] == "run-2"
    assert [Path(i["output"]).name for i in report["inputs"]] == ["a.parquet"]
    # b was not replaced: the report that made it still describes it
    assert [Path(i["output"]).name for i in report["earlier_outputs"]] == ["b.parquet"]
    assert (report["rows_out"], report["rows_blocked"]) == (2, 1)
    [record] = read_records(log)
    assert (record["run_id"], record["status"]) == ("run-2", "succeeded")
    assert [Path(o["uri"]).name for o in record["data"]["outputs"]] == ["a.parquet"]
    assert record["data"]["counts"]["rows_out"] == 2
    assert not list(out.glob(f"{JOURNAL_PREFIX}*"))


def test_a_journal_none_of_whose_outputs_was_published_is_dropped(
    tmp_path: Path, out: Path
) -> None:
    _, log = _killed_while_publishing(tmp_path, out, "a")
    assert settle_journals(out, out, by="a test") == 0
    assert json.loads((out / "run_report.json").read_text())["run_id"] == "run-1"
    assert not log.exists()
    assert not list(out.glob(f"{JOURNAL_PREFIX}*"))


def test_a_run_killed_after_its_record_is_not_recorded_twice(tmp_path: Path, out: Path) -> None:
    record, log = _killed_while_publishing(tmp_path, out, "a")
    (tmp_path / "a.pending").replace(out / "a.parquet")
    append_record(log, record)  # then killed before it removed its journal
    settle_journals(out, out, by="a test")
    assert [r["run_id"] for r in read_records(log)] == ["run-2"]


def test_a_settler_in_another_folder_finds_the_outputs(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the run wrote relative paths (it ran from tmp_path); an erasure runs elsewhere
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.pending").write_bytes(b"new a")
    entry = {**_entry(out, "a"), "output": "out/a.parquet"}
    report = hashed_report(_report("run-2", entry), [str(tmp_path / "a.pending")])
    write_journal(out, out, report, None, None)
    (tmp_path / "a.pending").replace(out / "a.parquet")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert settle_journals(out, out, by="a test") == 1
    report = json.loads((out / "run_report.json").read_text())
    assert report["inputs"][0]["output"] == str(out / "a.parquet")


def test_a_runs_stub_names_its_folder_and_is_dropped_without_a_record(
    tmp_path: Path, out: Path
) -> None:
    from anonymise.publishing import journals, settle_journal, write_stub

    elsewhere = tmp_path / "elsewhere"
    stub = write_stub(out, elsewhere, "run-3")  # a run into a new folder, still staging
    assert journals(out) == [(stub, elsewhere.resolve(), None)]
    assert settle_journal(stub, by="a test") is False  # killed before it published
    assert not stub.exists()
    assert settle_journal(stub, by="a test") is False  # gone: its run ended meanwhile
    assert json.loads((out / "run_report.json").read_text())["run_id"] == "run-1"


def test_a_journal_removed_as_the_folder_is_listed_is_not_listed(
    tmp_path: Path, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its run ended between the listing and the read: it named no folder, not `out`
    import anonymise.publishing as publishing

    ended = publishing.write_stub(out, tmp_path / "elsewhere", "run-4")
    live = publishing.write_stub(out, out, "run-5")
    read = publishing.read_json_object

    def ending_first(path: Path) -> dict[str, Any] | None:
        if path == ended:
            path.unlink()
        return read(path)

    monkeypatch.setattr(publishing, "read_json_object", ending_first)
    assert publishing.journals(out) == [(live, out.resolve(), None)]
