"""Reading an input turns transparent huge pages off for the process (Linux).

The flag is process-wide and inherited, so each case runs in a child process that
first clears it, reads one file, then reports it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")

_CHILD = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
assert libc.prctl(41, 0, 0, 0, 0) == 0  # PR_SET_THP_DISABLE off, whatever was inherited
before = libc.prctl(42, 0, 0, 0, 0)  # PR_GET_THP_DISABLE
from anonymise.io.csv_batches import read_csv_batched
from anonymise.io.readers import read_table
reader = {"whole": read_table, "batches": read_csv_batched}[sys.argv[2]]
assert reader(sys.argv[1]) is not None
print(before, libc.prctl(42, 0, 0, 0, 0))
"""


@pytest.mark.parametrize("reader", ["whole", "batches"])
def test_reading_an_input_turns_huge_pages_off(tmp_path: Path, reader: str) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("Id,Email\n1,a@example.com\n2,b@example.com\n", encoding="utf-8")
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), reader],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout.split() == ["0", "1"]
