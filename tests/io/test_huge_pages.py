"""Reading an input turns transparent huge pages off for the process (Linux), unless
``ANONYMISE_KEEP_HUGE_PAGES=1``.

The flag is process-wide and inherited, so each case runs in a child process that
first clears it, reads one file, then reports it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from anonymise.io.huge_pages import KEEP_HUGE_PAGES_ENV

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")

_CHILD = """
import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(41, 0, 0, 0, 0) != 0:  # PR_SET_THP_DISABLE off, whatever was inherited
    print("no-prctl")
    sys.exit(0)
before = libc.prctl(42, 0, 0, 0, 0)  # PR_GET_THP_DISABLE
from anonymise.io.csv_batches import read_csv_batched
from anonymise.io.readers import read_table
reader = {"whole": read_table, "batches": read_csv_batched}[sys.argv[2]]
assert reader(sys.argv[1]) is not None
print(before, libc.prctl(42, 0, 0, 0, 0))
"""


def _flag_before_and_after(tmp_path: Path, reader: str, **env: str) -> list[str]:
    source = tmp_path / "contacts.csv"
    source.write_text("Id,Email\n1,a@example.com\n2,b@example.com\n", encoding="utf-8")
    # mimalloc would turn huge pages off itself when told to: not this test's subject.
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MIMALLOC_")}
    clean.pop(KEEP_HUGE_PAGES_ENV, None)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(source), reader],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.returncode == 0, child.stderr[-2000:]
    if child.stdout.strip() == "no-prctl":
        pytest.skip("prctl(PR_SET_THP_DISABLE) is refused here")
    return child.stdout.split()


@pytest.mark.parametrize("reader", ["whole", "batches"])
def test_reading_an_input_turns_huge_pages_off(tmp_path: Path, reader: str) -> None:
    assert _flag_before_and_after(tmp_path, reader) == ["0", "1"]


def test_huge_pages_can_be_kept(tmp_path: Path) -> None:
    assert _flag_before_and_after(tmp_path, "whole", **{KEEP_HUGE_PAGES_ENV: "1"}) == ["0", "0"]
