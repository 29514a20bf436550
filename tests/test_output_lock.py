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
