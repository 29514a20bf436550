"""One run or erasure at a time in an output folder; what killed ones left is removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from anonymise.errors import RunError
from anonymise.output_lock import LOCK_NAME, holding_output_dir


def test_a_killed_runs_work_folders_go_and_outputs_stay(tmp_path: Path) -> None:
    dead = tmp_path / ".anonymise-work-dead" / "quarantine"
    dead.mkdir(parents=True)
    (dead / "crm.0123456789ab.quarantine.csv").write_text("line,reason,raw\n2,x,secret\n")
    kept = tmp_path / "crm.parquet"
    kept.write_bytes(b"PAR1")
    with holding_output_dir(tmp_path, timeout=1):
        assert sorted(p.name for p in tmp_path.iterdir()) == [LOCK_NAME, "crm.parquet"]


def test_a_second_holder_waits_then_fails_naming_the_folder(tmp_path: Path) -> None:
    busy = r"another run or erasure still works in it after 0\.2 s"
    with (
        holding_output_dir(tmp_path, timeout=1),
        pytest.raises(RunError, match=busy),
        holding_output_dir(tmp_path, timeout=0.2),
    ):
        pass
    with holding_output_dir(tmp_path, timeout=0.2):  # free again once left
        pass


def test_a_run_elsewhere_waits_for_its_busy_folder_holding_nothing_else(
    tmp_path: Path,
) -> None:
    from anonymise.output_lock import holding_journals, holding_output_dir_said

    home, out = tmp_path / "home", tmp_path / "out"
    said: list[str] = []

    def say() -> None:
        said.append("said")

    busy = r"another run or erasure still works in it after 0\.5 s"  # the whole wait
    with (
        holding_journals(home, timeout=1),  # an erasure at work: part of the wait
        pytest.raises(RunError, match=busy),
        holding_output_dir_said(out, home, timeout=0.5, say=say),
    ):
        pass
    with holding_output_dir(out, timeout=1):  # the folder busy: the journals lock is free
        with (
            pytest.raises(RunError, match=busy),
            holding_output_dir_said(out, home, timeout=0.5, say=say),
        ):
            pass
        with holding_journals(home, timeout=0.1):
            pass
    with (
        holding_output_dir_said(out, home, timeout=1, say=say),
        holding_journals(home, timeout=0.1),  # let go once said
    ):
        pass
    assert said == ["said"]
    with holding_output_dir(out, timeout=0.1), holding_journals(home, timeout=0.1):
        pass  # both free again
