"""`anonymise decrypt`: the key holder's way back from `encrypt`, recorded."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from anonymise.config import load_config
from anonymise.key_source import configured_key
from anonymise.records.chain import read_records
from anonymise.records.settings import log_path_of
from tests.cli.conftest import Invoke
from transforms.encrypt import encrypt_values

KEY = "decrypt-test-key-0123456789abcdef0123"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An output whose Secret column was encrypted under the config's key."""
    monkeypatch.setenv("ANONYMISE_KEY", KEY)
    config = tmp_path / "pipeline.yaml"
    config.write_text("pipeline: p\n")
    key = configured_key(load_config(config)).material
    secrets = ["Hello", None, "World, x", "Hello"]
    pl.DataFrame(
        {
            "Id": ["tok_1", "tok_2", "tok_3", "tok_4"],
            "Secret": encrypt_values(secrets, key=key),
            "Note": ["a", "b", "c", "d"],
        }
    ).write_csv(tmp_path / "out.csv")
    return tmp_path


def test_encrypted_columns_come_back_as_they_were(invoke: Invoke, world: Path) -> None:
    result = invoke(
        "decrypt", str(world / "out.csv"), "--config", str(world / "pipeline.yaml"),
        "--out", str(world / "plain.parquet"),
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "decrypted 1 column(s) (Secret) of 4 row(s)" in result.stdout
    assert "Hello" not in result.stdout
    plain = pl.read_parquet(world / "plain.parquet")
    assert plain.get_column("Secret").to_list() == ["Hello", None, "World, x", "Hello"]
    assert plain.get_column("Id").to_list() == ["tok_1", "tok_2", "tok_3", "tok_4"]
    assert (world / "plain.parquet").stat().st_mode & 0o077 == 0  # its owner's only
    [record] = read_records(log_path_of(load_config(world / "pipeline.yaml")))
    assert record["kind"] == "decryption"
    assert record["data"]["columns"] == ["Secret"]
    assert record["data"]["rows"] == 4
    assert "Hello" not in json.dumps(record)


def test_another_key_or_a_plain_column_is_named_by_row_and_column(
    invoke: Invoke, world: Path
) -> None:
    config = str(world / "pipeline.yaml")
    other = invoke(
        "decrypt", str(world / "out.csv"), "--config", config, "--out", str(world / "p.csv"),
        env={"ANONYMISE_KEY": "another-key-0123456789abcdef0123456789"},
    )  # fmt: skip
    assert other.exit_code == 2
    assert "row 1, column 'Secret': the value was encrypted with another key" in other.stderr
    plain = invoke(
        "decrypt", str(world / "out.csv"), "--config", config, "--out", str(world / "p.csv"),
        "--column", "Note",
    )  # fmt: skip
    assert plain.exit_code == 2
    assert "row 1, column 'Note': the value is not an encrypted value" in plain.stderr
    (world / "published.csv").write_text("kept\n")
    (world / "link.csv").symlink_to(world / "published.csv")
    for existing in ("out.csv", "published.csv", "link.csv"):
        over = invoke(
            "decrypt", str(world / "out.csv"), "--config", config, "--out", str(world / existing)
        )
        assert over.exit_code == 2
        assert "exists; name a new file" in over.stderr
    assert (world / "published.csv").read_text() == "kept\n"
    assert not (world / "p.csv").exists()
    assert not log_path_of(load_config(world / "pipeline.yaml")).exists()


def test_an_erasure_names_the_decrypted_copies_it_does_not_search(
    invoke: Invoke, world: Path
) -> None:
    # the log knew where each plain copy went, yet an erasure said nothing of them
    config = str(world / "pipeline.yaml")
    copy = world / "plain.csv"
    made = invoke("decrypt", str(world / "out.csv"), "--config", config, "--out", str(copy))
    assert made.exit_code == 0, made.stderr
    requests = world / "requests.csv"
    requests.write_text(
        "request_id,email,phone,crm_id,received_at\nR-1,a@example.com,,,2026-11-01\n"
    )
    erased = invoke("erase", str(requests), "--config", config)
    assert erased.exit_code == 0, erased.stderr
    assert "1 decrypted cop(ies)" in erased.stderr
    assert str(copy.resolve()) in erased.stderr
    copy.unlink()
    again = invoke("erase", str(requests), "--config", config)
    assert "decrypted cop" not in again.stderr
