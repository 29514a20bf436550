"""An erasure that fails, is interrupted or dies is still accounted for: its record and
its receipts say which rows went, from its journal.

A death is a real one: the erasure runs in a child process that ends itself with
``os._exit`` (no cleanup, as under SIGKILL) at the step named.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from anonymise.erasure.journal import JOURNAL_NAME
from anonymise.output_lock import LOCK_NAME
from anonymise.records.chain import read_records
from tests.erasure.conftest import World
from tests.erasure.conftest import world as world

# Where the child dies.
_BEFORE_RECEIPTS = "engine.write_receipts = lambda *a, **k: os._exit(137)"
_BEFORE_SECOND_REWRITE = """
real = engine.write_atomically
calls = []
def dying(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        os._exit(137)
    return real(*args, **kwargs)
engine.write_atomically = dying
"""
_BEFORE_RECORD = "erase_command.append_record = lambda *a, **k: os._exit(137)"
# the first file rewritten, its journal line saying so not yet written
_AFTER_FIRST_REWRITE = """
import anonymise.erasure.journal as journal
journal.Journal.rewrote = lambda self, dataset: os._exit(137)
"""


def _die(world: World, where: str, config: str | None = None) -> None:
    """``anonymise erase`` of the world's requests in a child that dies ``where``
    (``config``: the config's path as given, from the world's folder)."""
    script = textwrap.dedent(
        """
        import os, sys
        import anonymise.erasure.engine as engine
        import anonymise.cli.erase_command as erase_command
        {where}
        from anonymise.cli.main import app
        sys.argv = ["anonymise", "erase", {requests!r}, "--config", {config!r}]
        app()
        """
    ).format(where=where, requests=str(world.requests), config=config or str(world.config_path))
    child = subprocess.run(
        [sys.executable, "-c", script], cwd=world.root, capture_output=True, text=True
    )
    assert child.returncode == 137, child.stderr


def _erase(world: World, *args: str, config: str | None = None) -> Any:
    from anonymise.cli.main import app

    result = CliRunner().invoke(
        app, ["erase", str(world.requests), "--config", config or str(world.config_path), *args]
    )
    return result


def _records(world: World) -> list[dict[str, Any]]:
    log = world.root / "records" / "processing.jsonl"
    return read_records(log) if log.exists() else []


def _receipt(world: World, name: str) -> dict[str, Any]:
    return json.loads((world.root / "receipts" / f"{name}.json").read_text())


def _short(rows: dict[str, int]) -> dict[str, int]:
    return {Path(path).name: count for path, count in rows.items()}


def test_an_erasure_killed_before_its_receipts_is_recorded_by_the_next(world: World) -> None:
    _die(world, _BEFORE_RECEIPTS)
    assert (world.root / "out" / JOURNAL_NAME).exists()
    assert _records(world) == []  # nothing recorded: the process died

    again = _erase(world)
    assert again.exit_code == 0, again.stderr
    assert "stopped before it was recorded: recorded now from its journal" in again.stderr
    dead, this = _records(world)
    assert (dead["status"], this["status"]) == ("failed", "succeeded")
    assert "stopped before it was recorded (killed" in dead["error"]
    # every row the dead erasure removed: Jane's and John's raw rows, Jane's output row
    assert _short(dead["data"]["rows_removed"]) == {"keap.csv": 2, "keap.parquet": 1}
    # R-3 was found nowhere: its receipt says so, though it went on the list
    assert dead["data"]["requests"] == {"interrupted": 2, "not_found": 1}
    assert this["data"]["rows_removed"] == {}
    assert this["data"]["requests"] == {"already_erased": 2, "not_found": 1}
    # the receipts keep the rows in their history
    jane = _receipt(world, "R-1")
    assert jane["status"] == "already_erased"
    [interrupted] = jane["history"]
    assert interrupted["status"] == "interrupted"
    assert _short(interrupted["rows_removed"]) == {"keap.csv": 1, "keap.parquet": 1}
    r3 = _receipt(world, "R-3")
    assert (r3["status"], [h["status"] for h in r3["history"]]) == ("not_found", ["not_found"])
    assert not (world.root / "out" / JOURNAL_NAME).exists()


def test_a_file_not_yet_rewritten_when_the_erasure_died_is_not_counted(world: World) -> None:
    _die(world, _BEFORE_SECOND_REWRITE)
    again = _erase(world)
    assert again.exit_code == 0, again.stderr
    dead, this = _records(world)
    # the dead erasure rewrote the raw file only; this one rewrote the output
    assert _short(dead["data"]["rows_removed"]) == {"keap.csv": 2}
    assert _short(this["data"]["rows_removed"]) == {"keap.parquet": 1}
    jane = _receipt(world, "R-1")
    assert jane["status"] == "erased"
    assert _short(jane["rows_removed"]) == {"keap.parquet": 1}
    assert _short(jane["history"][0]["rows_removed"]) == {"keap.csv": 1}


def test_an_erasure_killed_before_its_record_is_recorded_as_it_ended(world: World) -> None:
    _die(world, _BEFORE_RECORD)
    before = _receipt(world, "R-1")
    assert before["status"] == "erased"
    again = _erase(world)
    assert again.exit_code == 0, again.stderr
    dead, this = _records(world)
    assert (dead["status"], dead["error"]) == ("succeeded", None)
    assert dead["data"]["requests"] == {"erased": 2, "not_found": 1}
    assert _short(dead["data"]["rows_removed"]) == {"keap.csv": 2, "keap.parquet": 1}
    assert this["data"]["requests"] == {"already_erased": 2, "not_found": 1}
    # its receipts were written: not replaced by interrupted ones
    assert [h["status"] for h in _receipt(world, "R-1")["history"]] == ["erased"]


def test_an_erasure_interrupted_between_files_records_and_receipts_what_went(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import anonymise.erasure.engine as engine

    real = engine.write_atomically
    calls: list[str] = []

    def interrupted(path: str, *args: object, **kwargs: object) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt  # Ctrl-C before the second file
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "write_atomically", interrupted)
    result = _erase(world)
    assert result.exit_code == 130
    [record] = _records(world)
    assert record["status"] == "failed"
    assert record["error"].startswith("interrupted (Ctrl-C)")
    assert _short(record["data"]["rows_removed"]) == {"keap.csv": 2}
    assert record["data"]["requests"] == {"interrupted": 2, "not_found": 1}
    assert _receipt(world, "R-1")["status"] == "interrupted"
    assert _short(_receipt(world, "R-2")["rows_removed"]) == {"keap.csv": 1}
    assert _receipt(world, "R-3")["status"] == "not_found"
    assert not (world.root / "out" / JOURNAL_NAME).exists()

    monkeypatch.setattr(engine, "write_atomically", real)
    again = _erase(world)
    assert again.exit_code == 0, again.stderr
    assert _receipt(world, "R-1")["status"] == "erased"  # the output, this time


def test_a_dry_run_says_a_dead_erasure_waits_to_be_recorded(world: World) -> None:
    _die(world, _BEFORE_RECEIPTS)
    dry = _erase(world, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "an erasure stopped before it was recorded" in dry.stderr
    assert _records(world) == []
    assert (world.root / "out" / JOURNAL_NAME).exists()
    # while another erasure holds the folder, its journal is live, not a dead one's
    from anonymise.output_lock import holding_output_dir

    with holding_output_dir(world.root / "out", timeout=1):
        meanwhile = _erase(world, "--dry-run")
    assert meanwhile.exit_code == 0, meanwhile.stderr
    assert "an erasure stopped before it was recorded" not in meanwhile.stderr
    assert "an erasure works in" in meanwhile.stderr
    # a lock this user cannot open says neither (a directory stands in for another
    # user's file: the tests may run as root, whom permissions do not stop)
    lock = world.root / "out" / LOCK_NAME
    lock.unlink()
    lock.mkdir()
    unknown = _erase(world, "--dry-run")
    assert unknown.exit_code == 0, unknown.stderr
    assert "its lock cannot be opened by this user" in unknown.stderr
    assert "an erasure works in" not in unknown.stderr


def test_a_hand_edited_journal_stops_the_next_erasure_before_it_changes_anything(
    world: World,
) -> None:
    _die(world, _BEFORE_RECEIPTS)
    journal = world.root / "out" / JOURNAL_NAME
    journal.write_text("{not json\n" + journal.read_text())
    digests = world.digests()
    result = _erase(world)
    assert result.exit_code == 1
    assert f"erasure journal '{journal}', line 1: not a journal line" in result.stderr
    assert world.digests() == digests


def test_a_dead_erasure_run_from_another_folder_is_told_rightly(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # its datasets named relative to the folder it ran from: the next erasure, run from
    # another, still finds the file it rewrote (the journal has no word that it did)
    _die(world, _AFTER_FIRST_REWRITE, config="pipeline.yaml")
    monkeypatch.chdir(world.root / "data")
    again = _erase(world, config="../pipeline.yaml")
    assert again.exit_code == 0, again.stderr
    dead, this = _records(world)
    assert _short(dead["data"]["rows_removed"]) == {"keap.csv": 2}
    assert "may have lost" not in dead["error"]
    assert _short(this["data"]["rows_removed"]) == {"keap.parquet": 1}
