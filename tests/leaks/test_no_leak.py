"""The no-leak test: run the sample pipeline, a scan and an erasure on known personal
data, then search every file the engine and Prefect wrote (processing log, run report,
plan, receipts, suppression list, Prefect's local database with its logs and
artifacts). Outputs and quarantine files are left out: outputs are checked by the flow
tests, and quarantine holds raw rows by design. No original value may be found.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import yaml

from anonymise.io.readers import read_table

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
FILES = ("keap_contacts.csv", "mailchimp_audience.csv", "hubspot_contacts.tsv")


def _personal_values() -> set[str]:
    expected = yaml.safe_load((SAMPLES / "expected_entities.yaml").read_text())
    values: set[str] = set()
    for name in FILES:
        frame = read_table(str(SAMPLES / name)).frame
        for column, entity in expected[name].items():
            if entity is None or entity == "FREE_TEXT":
                continue
            cells = frame.get_column(column).drop_nulls().cast(pl.String)
            values |= {c.strip().lstrip("'").strip() for c in cells.to_list()}
    # short values (ids like "17", names like "Li") occur inside hashes and words by chance
    return {v for v in values if len(v) >= 7}


def _stands_in(value: str, text: str) -> bool:
    """The value occurs as itself, not inside a longer number or word: a coordinate
    such as 2.31012 is no leak inside a run time of 2.310125 s in Prefect's database."""
    if value not in text:  # cheap test first: most values are nowhere
        return False
    return re.search(rf"(?<![\w.]){re.escape(value)}(?!\w)", text) is not None


def _anonymise(*args: str, env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "anonymise", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (cwd / f"console-{args[0]}.txt").write_text(result.stdout + result.stderr)


@pytest.mark.slow
def test_nothing_the_engine_or_prefect_wrote_holds_a_personal_value(tmp_path: Path) -> None:
    exports = tmp_path / "exports"  # erasure rewrites raw sources: work on copies
    exports.mkdir()
    for name in FILES:
        (exports / name).write_bytes((SAMPLES / name).read_bytes())
    example = (ROOT / "config" / "example.yaml").read_text()
    config = tmp_path / "example.yaml"
    config.write_text(example.replace("../data/samples", "exports").replace("../out", "out"))
    # a Mailchimp subscriber who is not in the Keap export (whose one malformed row makes
    # erasure refuse to rewrite it)
    keap = set(read_table(str(exports / FILES[0])).frame["Email"].drop_nulls().to_list())
    audience = read_table(str(exports / FILES[1])).frame
    person = audience.filter(~pl.col("Email Address").is_in(list(keap))).row(0, named=True)
    (tmp_path / "requests.csv").write_text(
        f"request_id,email,phone,crm_id,received_at\nR-1,{person['Email Address']},,,2026-11-01\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "ANONYMISE_KEY": "no-leak-test-key-0123456789abcdef0123456789",
    }
    _anonymise(
        "scan",
        *(str(exports / f) for f in FILES),
        "--plan-out",
        str(tmp_path / "plan.yaml"),
        env=env,
        cwd=tmp_path,
    )
    _anonymise("run", str(config), env=env, cwd=tmp_path)
    _anonymise(
        "erase", str(tmp_path / "requests.csv"), "--config", str(config), env=env, cwd=tmp_path
    )

    searched = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file()
        and p.suffix != ".parquet"
        and "quarantine" not in p.parts
        and p.name != "requests.csv"
        and "exports" not in p.parts
    ]
    names = {p.name for p in searched}
    assert {"plan.yaml", "processing.jsonl", "run_report.json", "R-1.json"} <= names
    assert any(p.suffix == ".db" for p in searched)  # Prefect's database: logs, artifacts
    values = _personal_values()
    assert len(values) > 1000  # e-mails, phones, names, streets, ids of ~1,150 contacts
    leaks = []
    for path in searched:
        text = path.read_bytes().decode("utf-8", errors="ignore")
        leaks += [f"{path.name}: {len(v)}-char value" for v in values if _stands_in(v, text)]
    assert leaks == []


@pytest.mark.parametrize(
    ("value", "text", "found"),
    [
        ("jane.doe@example.com", "msg='mail jane.doe@example.com'", True),
        ("Michaela", "name: Michaela, row 4", True),
        ("2.31012", '"run_time": 2.310125', False),  # inside a longer number
        ("-0.0201", "offset=-0.02015", False),
        ("Jackson", "Jacksonville", False),  # inside a longer word
    ],
)
def test_a_value_counts_only_where_it_stands_alone(value: str, text: str, found: bool) -> None:
    assert _stands_in(value, text) is found
