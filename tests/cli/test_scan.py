"""`anonymise scan` on the sample exports: the table, the JSON, the plan, bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from anonymise.plan import read_plan
from tests.cli.conftest import Invoke

KEAP_PERSONAL = {
    "Id": "CRM_ID",
    "First Name": "PERSON",
    "Last Name": "PERSON",
    "Email": "EMAIL_ADDRESS",
    "Email 2": "EMAIL_ADDRESS",
    "Phone 1": "PHONE_NUMBER",
    "Billing Address Street 1": "STREET_ADDRESS",
    "Billing Address City": "LOCATION",
    "Billing Address Postal Code": "POSTCODE",
    "Birthday": "DATE_OF_BIRTH",
    "Person Notes": "FREE_TEXT",
}


def _personal_values(path: Path, columns: set[str]) -> set[str]:
    text = path.read_bytes().decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(text))
    return {
        value.strip().lstrip("'").strip()
        for row in rows
        for name, value in row.items()
        # short numbers (ids) turn up inside hashes and dates by chance
        if name in columns and isinstance(value, str) and len(value.strip()) >= 6
    }


def test_json_has_one_entry_per_column(invoke: Invoke, samples: Path) -> None:
    result = invoke("scan", str(samples / "keap_contacts.csv"), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)  # exactly one JSON object
    header = next(
        csv.reader(io.StringIO((samples / "keap_contacts.csv").read_bytes().decode("utf-8-sig")))
    )
    assert [c["name"] for c in report["columns"]] == header
    assert [i["source"] for i in report["inputs"]] == [str(samples / "keap_contacts.csv")]
    found = {c["name"]: c["entity"] for c in report["columns"]}
    assert {k: v for k, v in found.items() if v} == KEAP_PERSONAL
    for column in report["columns"]:
        assert set(column) >= {"input", "name", "entity", "confidence", "action", "evidence"}
        assert 0 <= column["confidence"] <= 1


def test_scan_prints_and_writes_no_personal_value(
    invoke: Invoke, samples: Path, tmp_path: Path
) -> None:
    plan_path = tmp_path / "plan.yaml"
    source = samples / "keap_contacts.csv"
    table = invoke("scan", str(source), "--plan-out", str(plan_path))
    as_json = invoke("scan", str(source), "--json")
    assert table.exit_code == 0
    assert as_json.exit_code == 0
    written = table.stdout + table.stderr + as_json.stdout + plan_path.read_text()
    leaked = [v for v in _personal_values(source, set(KEAP_PERSONAL)) if v in written]
    assert leaked == []


def test_plan_records_version_fingerprint_and_actions(
    invoke: Invoke, samples: Path, tmp_path: Path
) -> None:
    plan_path = tmp_path / "plan.yaml"
    result = invoke("scan", str(samples / "hubspot_contacts.tsv"), "--plan-out", str(plan_path))
    assert result.exit_code == 0, result.stderr
    plan = read_plan(plan_path)
    assert plan.format_version == 1
    [planned] = plan.inputs
    assert len(planned.fingerprint) == 64
    actions = {c.name: c.action for c in planned.columns}
    assert actions["Email"] == "pseudonymise"
    assert actions["Lead Status"] == "keep"


def test_config_rule_beats_detection(invoke: Invoke, samples: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "pipeline: t\ncolumns:\n  Company: {entity: null, action: drop}\n"
        "  Email: {entity: EMAIL_ADDRESS, action: mask, params: {keep_email_domain: true}}\n"
    )
    result = invoke("scan", str(samples / "keap_contacts.csv"), "-c", str(config), "--json")
    assert result.exit_code == 0, result.stderr
    columns = {c["name"]: c for c in json.loads(result.stdout)["columns"]}
    assert columns["Company"]["action"] == "drop"
    assert columns["Email"]["action"] == "mask"
    assert columns["Email"]["decided_by"] == "config"


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    (tmp / "empty.csv").write_bytes(b"")
    (tmp / "header_only.csv").write_text("Email,Name\n")
    (tmp / "binary.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp / "utf16_garbage.csv").write_bytes(b"\xff\xfe\x00\xd8" * 50)
    return {
        "missing": tmp / "missing.csv",
        "empty": tmp / "empty.csv",
        "header_only": tmp / "header_only.csv",
        "binary": tmp / "binary.csv",
        "unreadable": tmp / "utf16_garbage.csv",
    }


@pytest.mark.parametrize("kind", ["missing", "empty", "header_only", "binary", "unreadable"])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    invoke: Invoke, tmp_path: Path, kind: str
) -> None:
    path = _bad_inputs(tmp_path)[kind]
    plan_path = tmp_path / "plan.yaml"
    result = invoke("scan", str(path), "--plan-out", str(plan_path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert path.name in lines[0]
    assert not plan_path.exists()


def test_a_plan_out_that_is_a_folder_exits_2_naming_it(
    invoke: Invoke, samples: Path, tmp_path: Path
) -> None:
    result = invoke("scan", str(samples / "keap_contacts.csv"), "--plan-out", str(tmp_path) + "/")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"anonymise: error: plan '{tmp_path}")
    assert "cannot write it" in result.stderr


def test_a_fake_name_takes_the_part_its_header_names(invoke: Invoke, tmp_path: Path) -> None:
    # a full fake name in both "First Name" and "Last Name" named everyone twice over
    source = tmp_path / "a.csv"
    source.write_text("First Name,Last Name,Contact\nJane,Doe,Ann Lee\nJohn,Smith,Bob Ray\n")
    config = tmp_path / "pipeline.yaml"
    config.write_text(
        "pipeline: p\nactions:\n  PERSON: {action: fake}\n"
        "columns:\n  Contact: {entity: PERSON, action: fake, params: {part: last}}\n"
    )
    plan = tmp_path / "plan.yaml"
    scanned = invoke("scan", str(source), "--config", str(config), "--plan-out", str(plan))
    assert scanned.exit_code == 0, scanned.stderr
    params = {c.name: c.params for c in read_plan(plan).inputs[0].columns}
    assert params == {
        "First Name": {"part": "first"},
        "Last Name": {"part": "last"},
        "Contact": {"part": "last"},  # what a rule says stands
    }
