"""A run killed between renaming its outputs into place and writing its report: who
takes the folder's lock next lists what it had published, and only that."""

from __future__ import annotations

import json
from pathlib import Path

from anonymise.config import PipelineConfig, default_config
from anonymise.publishing import JOURNAL_PREFIX, settle_journals, write_journal
from anonymise.records.chain import read_records
from anonymise.run_report import write_report


def _entry(out: Path, name: str) -> dict[str, object]:
    return {
        "source": f"/in/{name}.csv",
        "output": str(out / f"{name}.parquet"),
        "rows_in": 2,
        "rows_out": 2,
        "rows_blocked": {"blocklist": 1},
        "quarantined": 0,
        "columns": [],
    }


def _report(run_id: str, *entries: dict[str, object]) -> dict[str, object]:
    return {
        "run_id": run_id,
        "pipeline": "p",
        "status": "succeeded",
        "key_id": "k-1",
        "started_at": "2026-11-30T10:00:00+00:00",
        "inputs": list(entries),
    }


def _folder(tmp: Path) -> tuple[Path, PipelineConfig]:
    """An output folder, and a config whose processing log is ``tmp/log.jsonl``."""
    out = tmp / "out"
    out.mkdir()
    config = default_config("p")
    records = config.records.model_copy(update={"log": str(tmp / "log.jsonl")})
    return out, config.model_copy(update={"records": records})


def test_only_the_outputs_that_reached_their_place_are_reported_and_recorded(
    tmp_path: Path,
) -> None:
    out, config = _folder(tmp_path)
    (out / "a.parquet").write_bytes(b"old a")
    (out / "b.parquet").write_bytes(b"old b")
    write_report(_report("run-1", _entry(out, "a"), _entry(out, "b")), out)
    # the next run wrote both outputs, renamed a into place, and was killed
    (tmp_path / "a.pending").write_bytes(b"new a")
    (tmp_path / "b.pending").write_bytes(b"new b")
    pending = [str(tmp_path / "a.pending"), str(tmp_path / "b.pending")]
    write_journal(out, _report("run-2", _entry(out, "a"), _entry(out, "b")), pending)
    (tmp_path / "a.pending").replace(out / "a.parquet")

    assert settle_journals(out, config, by="a test") == 1
    report = json.loads((out / "run_report.json").read_text())
    assert report["run_id"] == "run-2"
    assert [Path(i["output"]).name for i in report["inputs"]] == ["a.parquet"]
    # b was not replaced: the report that made it still describes it
    assert [Path(i["output"]).name for i in report["earlier_outputs"]] == ["b.parquet"]
    assert (report["rows_out"], report["rows_blocked"]) == (2, 1)
    [record] = read_records(tmp_path / "log.jsonl")
    assert (record["run_id"], record["status"]) == ("run-2", "succeeded")
    assert [Path(o["uri"]).name for o in record["data"]["outputs"]] == ["a.parquet"]
    assert not list(out.glob(f"{JOURNAL_PREFIX}*"))


def test_a_journal_none_of_whose_outputs_was_published_is_dropped(tmp_path: Path) -> None:
    out, config = _folder(tmp_path)
    (tmp_path / "a.pending").write_bytes(b"new a")
    write_journal(out, _report("run-2", _entry(out, "a")), [str(tmp_path / "a.pending")])
    assert settle_journals(out, config, by="a test") == 0
    assert not (out / "run_report.json").exists()
    assert not (tmp_path / "log.jsonl").exists()
    assert not list(out.glob(f"{JOURNAL_PREFIX}*"))
