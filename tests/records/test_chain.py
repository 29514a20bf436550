from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from anonymise.errors import OutputError
from anonymise.records.build import record_from_report
from anonymise.records.chain import GENESIS_HASH, append_record, read_records, record_hash
from anonymise.records.verify import verify_chain
from tests.records.helpers import FULL_SECTIONS, append_many, make_config, make_report


def _log(tmp_path: Path, count: int = 4) -> Path:
    log = tmp_path / "records" / "processing.jsonl"
    config = make_config(**FULL_SECTIONS)
    for i in range(count):
        record = record_from_report(
            make_report(run_id=f"run-{i}"), config, status="succeeded", error=None
        )
        append_record(log, record)
    return log


def _ids(log: Path) -> list[str]:
    return [r["record_id"] for r in read_records(log)]


def test_appended_records_form_a_chain(tmp_path: Path) -> None:
    log = _log(tmp_path, 3)
    records = read_records(log)
    assert records[0]["prev_hash"] == GENESIS_HASH
    assert [r["prev_hash"] for r in records[1:]] == [r["hash"] for r in records[:-1]]
    assert all(record_hash(r) == r["hash"] for r in records)
    check = verify_chain(log)
    assert check.intact
    assert (check.count, check.last_hash) == (3, records[-1]["hash"])


def test_append_reports_where_the_record_went(tmp_path: Path) -> None:
    log = _log(tmp_path, 2)
    appended = append_record(log, {"record_id": "x", "kind": "run"})
    assert (appended.line, appended.record_id) == (3, "x")
    assert appended.prev_hash == read_records(log)[1]["hash"]


def test_an_empty_log_is_intact(tmp_path: Path) -> None:
    log = tmp_path / "empty.jsonl"
    log.write_text("")
    assert verify_chain(log).intact


def test_one_changed_byte_names_the_edited_record(tmp_path: Path) -> None:
    log = _log(tmp_path)
    ids = _ids(log)
    lines = log.read_text().splitlines()
    lines[2] = lines[2].replace('"rows_in":350', '"rows_in":351', 1)
    log.write_text("\n".join(lines) + "\n")
    broken = verify_chain(log).broken
    assert broken is not None
    assert (broken.line, broken.record_id, broken.problem) == (3, ids[2], "edited")


def test_a_byte_that_breaks_the_json_still_names_the_record(tmp_path: Path) -> None:
    log = _log(tmp_path)
    ids = _ids(log)
    data = bytearray(log.read_bytes())
    data[data.index(b"}\n")] = ord(" ")  # the first record loses its closing brace
    log.write_bytes(bytes(data))
    broken = verify_chain(log).broken
    assert broken is not None
    assert (broken.line, broken.record_id, broken.problem) == (1, ids[0], "unreadable")


def test_a_deleted_record_names_the_one_after_the_gap(tmp_path: Path) -> None:
    log = _log(tmp_path)
    ids = _ids(log)
    lines = log.read_text().splitlines()
    del lines[1]
    log.write_text("\n".join(lines) + "\n")
    broken = verify_chain(log).broken
    assert broken is not None
    assert (broken.line, broken.record_id, broken.problem) == (2, ids[2], "removed")


def test_deleting_the_first_record_is_caught(tmp_path: Path) -> None:
    log = _log(tmp_path)
    ids = _ids(log)
    log.write_text("\n".join(log.read_text().splitlines()[1:]) + "\n")
    broken = verify_chain(log).broken
    assert broken is not None
    assert (broken.line, broken.record_id, broken.problem) == (1, ids[1], "removed")


def test_two_swapped_records_name_the_first_out_of_place(tmp_path: Path) -> None:
    log = _log(tmp_path)
    ids = _ids(log)
    lines = log.read_text().splitlines()
    lines[1], lines[2] = lines[2], lines[1]
    log.write_text("\n".join(lines) + "\n")
    broken = verify_chain(log).broken
    assert broken is not None
    assert (broken.line, broken.record_id, broken.problem) == (2, ids[2], "reordered")
    assert "line 3" in broken.detail


def test_concurrent_appends_from_two_processes_keep_one_chain(tmp_path: Path) -> None:
    log = tmp_path / "records" / "processing.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=append_many, args=(str(log), 20, tag)) for tag in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0]
    check = verify_chain(log)
    assert check.intact, check.broken
    assert check.count == 40
    runs = sorted(r["run_id"] for r in read_records(log))
    assert runs == sorted([f"a-{i}" for i in range(20)] + [f"b-{i}" for i in range(20)])


def test_a_log_ending_in_a_partial_line_refuses_appends(tmp_path: Path) -> None:
    log = _log(tmp_path, 1)
    with log.open("a") as handle:
        handle.write('{"record_id": "half')
    with pytest.raises(OutputError, match=r"last line is incomplete"):
        append_record(log, {"record_id": "next"})


def test_records_are_stored_canonically_and_verbatim(tmp_path: Path) -> None:
    log = _log(tmp_path, 1)
    line = log.read_text().splitlines()[0]
    record = json.loads(line)
    assert line == json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_a_record_the_disk_cannot_take_leaves_the_log_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import os

    log = _log(tmp_path, 2)
    before = log.read_bytes()

    def full(fd: int) -> None:  # the line is written, but the disk cannot keep it
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(os, "fsync", full)
        with pytest.raises(OutputError, match="No space left on device"):
            append_record(log, {"record_id": "x", "kind": "run"})
    # no torn line to stop every later run until mended: the next record goes on
    assert log.read_bytes() == before
    append_record(log, {"record_id": "y", "kind": "run"})
    assert verify_chain(log).intact
    assert _ids(log)[-1] == "y"
