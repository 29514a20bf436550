"""Atomic replacement: all or nothing, and the right permissions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from anonymise.io.atomic import replace_text, replacing


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "data.csv"
    target.write_text("old\n")

    def crash_half_way() -> None:
        with replacing(target) as handle:
            handle.write(b"half")
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash_half_way()
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["data.csv"]


def test_new_private_files_are_owner_only(tmp_path: Path) -> None:
    replace_text(tmp_path / "receipt.json", "{}", private=True)
    assert _mode(tmp_path / "receipt.json") == 0o600


def test_new_public_files_get_the_usual_mode(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")  # what the umask gives any file
    replace_text(tmp_path / "report.json", "{}", private=False)
    assert _mode(tmp_path / "report.json") == _mode(plain)


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "list.jsonl"
    target.write_text("a\n")
    target.chmod(0o640)
    replace_text(target, "b\n")
    assert target.read_text() == "b\n"
    assert _mode(target) == 0o640


def test_through_a_link_the_file_it_points_to_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "exports" / "2025-01-31.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    replace_text(link, "new\n")
    assert link.is_symlink()
    assert real.read_text() == "new\n"
    assert sorted(p.name for p in real.parent.iterdir()) == ["2025-01-31.csv"]
