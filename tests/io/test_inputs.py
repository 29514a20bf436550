from __future__ import annotations

import re
from pathlib import Path

import pytest

from anonymise.errors import InputError
from anonymise.io import expand_inputs
from tests.io.samples import put_memory_file


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("b.csv", "a.csv", "c.tsv", "sub/d.csv", "sub/e.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x\n1\n")
    (tmp_path / "folder.csv").mkdir()  # a folder whose name matches the glob
    return tmp_path


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (["a.csv"], ["a.csv"]),
        (["*.csv"], ["a.csv", "b.csv"]),  # sorted; the folder 'folder.csv' is not a file
        (["b.csv", "*.csv"], ["b.csv", "a.csv"]),  # first mention wins, no file twice
        (["*.csv", "*.csv"], ["a.csv", "b.csv"]),
        (["**/*.csv"], ["a.csv", "b.csv", "sub/d.csv", "sub/e.csv"]),
        (["sub/?.csv", "c.tsv"], ["sub/d.csv", "sub/e.csv", "c.tsv"]),
        ([], []),
    ],
)
def test_expand_local_paths_and_globs(
    files: Path, patterns: list[str], expected: list[str]
) -> None:
    assert expand_inputs(patterns) == expected


def test_a_path_and_its_file_url_count_once(files: Path) -> None:
    url = (files / "a.csv").as_uri()
    assert expand_inputs(["a.csv", url]) == ["a.csv"]


def test_one_file_however_spelt_counts_once(files: Path) -> None:
    (files / "link.csv").symlink_to(files / "sub" / "d.csv")
    spellings = ["sub/d.csv", "sub/./d.csv", "./sub/d.csv", "sub//d.csv", "sub/../sub/d.csv"]
    assert expand_inputs([*spellings, "link.csv", "sub/*.csv"]) == ["sub/d.csv", "sub/e.csv"]


def test_file_url_glob(files: Path) -> None:
    assert expand_inputs([f"{files.as_uri()}/*.csv"]) == [
        (files / "a.csv").as_uri(),
        (files / "b.csv").as_uri(),
    ]


def test_memory_urls(memory_root: str) -> None:
    for name in ("2.csv", "1.csv", "3.parquet"):
        put_memory_file(f"{memory_root}/{name}", b"x\n1\n")
    plain = f"{memory_root}/3.parquet"
    found = expand_inputs([f"{memory_root}/*.csv", plain])
    assert [url.rsplit("/", 1)[-1] for url in found] == ["1.csv", "2.csv", "3.parquet"]
    assert found[-1] == plain
    assert all(url.startswith("memory://") for url in found)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("missing.csv", r"^input 'missing\.csv': no such file; check the path$"),
        ("*.xlsx", r"^input '\*\.xlsx': no such file matches this pattern"),
        ("nothing/**/*.csv", r"^input 'nothing/\*\*/\*\.csv': no such file matches"),
        ("sub", r"^input 'sub': is a folder, not a file; give a glob such as 'sub/\*\.csv'$"),
        ("nosuchprotocol://x/y.csv", r"^input 'nosuchprotocol://x/y\.csv': .*check the URL$"),
    ],
)
def test_expand_refuses_what_matches_nothing(files: Path, pattern: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        expand_inputs(["a.csv", pattern])


def test_missing_memory_file(memory_root: str) -> None:
    url = f"{memory_root}/absent.csv"
    with pytest.raises(InputError, match=rf"^input '{re.escape(url)}': no such file"):
        expand_inputs([url])


def test_a_file_named_with_glob_characters_is_that_file(files: Path) -> None:
    # "Contacts [final].csv" was read as a pattern that matched nothing
    (files / "contacts [final].csv").write_text("x\n1\n")
    (files / "sale*.csv").write_text("x\n1\n")
    assert expand_inputs(["contacts [final].csv"]) == ["contacts [final].csv"]
    assert expand_inputs(["sale*.csv"]) == ["sale*.csv"]
    assert expand_inputs(["contacts [[]final].csv"]) == ["contacts [final].csv"]
    with pytest.raises(InputError, match=re.escape("write it '[[]' to mean itself")):
        expand_inputs(["other [final].csv"])
