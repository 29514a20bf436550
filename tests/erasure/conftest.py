"""A small world: a raw Keap-like CSV, a past pseudonymised Parquet output with its run
report (made with the real transforms), a config and a requests file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from anonymise.config import PipelineConfig, load_config
from anonymise.key_source import configured_key
from anonymise.keys import SecretKey
from anonymise.output_lock import JOURNALS_LOCK_NAME, LOCK_NAME
from transforms.registry import ActionContext, apply_action

KEY_TEXT = "hex:" + "ab" * 32
RAW_CSV = (
    "Id,First Name,Email,Phone,Notes\n"
    "1,Jane,jane.doe@example.com,,likes tea\n"
    "2,John,john@example.com,020 7946 0123,\n"
    "3,Ann,ann@example.com,07700 900123,\n"
    "4,Bob,bob@example.com,,\n"
)
REQUESTS_CSV = (
    "request_id,email,phone,crm_id,received_at\n"
    "R-1, Jane.Doe@Example.COM ,,,2025-01-31\n"
    "R-2,,'+44 20 7946 0123   ,,2024-01-31T10:00:00Z\n"
    "R-3,nobody@example.com,,,2025-03-15\n"
)
REQUEST_VALUES = (
    "Jane.Doe@Example.COM",
    "jane.doe@example.com",
    "+44 20 7946 0123",
    "+442079460123",
    "020 7946 0123",
    "nobody@example.com",
)


@dataclass(frozen=True)
class World:
    root: Path
    config_path: Path
    raw_csv: Path
    output_parquet: Path
    requests: Path
    key: SecretKey

    @property
    def config(self) -> PipelineConfig:
        return load_config(self.config_path)

    @property
    def data_files(self) -> list[Path]:
        return [self.raw_csv, self.output_parquet]

    def digests(self) -> dict[str, str]:
        return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in self.data_files}

    def tree(self) -> dict[str, float]:
        """Every file and its modification time; the output folder's lock files aside
        (empty files an erasure holds while it works)."""
        return {
            str(p): p.stat().st_mtime_ns
            for p in self.root.rglob("*")
            if p.is_file() and p.name not in (LOCK_NAME, JOURNALS_LOCK_NAME)
        }


def pseudonymised_output(
    frame: pl.DataFrame, key: SecretKey, columns: dict[str, str]
) -> pl.DataFrame:
    return frame.with_columns(
        apply_action(
            "pseudonymise",
            pl.col(name),
            ActionContext(key=key.material, entity=entity, column=name),
        )
        for name, entity in columns.items()
    )


def write_past_run(
    out_dir: Path, output: Path, key: SecretKey, columns: list[dict[str, object]]
) -> None:
    report = {
        "run_id": "test",
        "status": "succeeded",
        "key_id": key.key_id,
        "inputs": [{"source": "data/keap.csv", "output": str(output), "columns": columns}],
    }
    (out_dir / "run_report.json").write_text(json.dumps(report), encoding="utf-8")


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("ANONYMISE_KEY", KEY_TEXT)
    (tmp_path / "data").mkdir()
    raw = tmp_path / "data" / "keap.csv"
    raw.write_text(RAW_CSV, encoding="utf-8")
    config_path = tmp_path / "pipeline.yaml"
    config_path.write_text(
        "pipeline: test\nsources:\n  - path: data/*.csv\n    name: keap\noutput:\n  dir: out\n",
        encoding="utf-8",
    )
    key = configured_key(load_config(config_path))
    out_dir = tmp_path / "out" / "2025-01"
    out_dir.mkdir(parents=True)
    past = pl.DataFrame(
        {
            "Email": ["Jane.Doe@example.com ", "ann@example.com", "zed@example.com"],
            "Phone": ["+44 20 7946 0123", None, "07700 900999"],
            "City": ["Leeds", "York", "Bath"],
        }
    )
    output = out_dir / "keap.parquet"
    pseudonymised_output(
        past, key, {"Email": "EMAIL_ADDRESS", "Phone": "PHONE_NUMBER"}
    ).write_parquet(output, compression="zstd")
    write_past_run(
        out_dir,
        output,
        key,
        [
            {
                "name": "Email",
                "entity": "EMAIL_ADDRESS",
                "action": "pseudonymise",
                "params": {},
                "output": True,
            },
            {
                "name": "Phone",
                "entity": "PHONE_NUMBER",
                "action": "pseudonymise",
                "params": {},
                "output": True,
            },
            {"name": "City", "entity": "LOCATION", "action": "keep", "params": {}, "output": True},
        ],
    )
    requests = tmp_path / "requests.csv"
    requests.write_text(REQUESTS_CSV, encoding="utf-8")
    return World(tmp_path, config_path, raw, output, requests, key)
