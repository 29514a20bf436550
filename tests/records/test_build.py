from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from anonymise.errors import InputError
from anonymise.records.build import error_summary, record_from_report
from tests.records.helpers import FULL_SECTIONS, make_config, make_report

ALLOWED: dict[str, Any] = {
    "record_version": None,
    "kind": None,
    "record_id": None,
    "run_id": None,
    "pipeline": None,
    "flow": None,
    "started": None,
    "finished": None,
    "status": None,
    "error": None,
    "software_version": None,
    "config_sha256": None,
    "plan_sha256": None,
    "key_id": None,
    "gaps": None,
    "art30": {
        "role",
        "controller",
        "purposes",
        "lawful_basis",
        "data_subjects",
        "categories_of_personal_data",
        "categories_per_dataset",
        "recipients",
        "transfers",
        "retention",
        "security_measures",
    },
    "data": {"inputs", "outputs", "operations", "counts"},
}
OPERATION_KEYS = {"dataset", "column", "entity", "action", "params", "decided_by"}
FILE_KEYS = {"uri", "sha256", "rows"}
COUNT_KEYS = {"rows_in", "rows_out", "rows_blocked", "quarantined", "erased"}


def test_a_record_holds_only_allowed_keys(tmp_path: Path) -> None:
    record = record_from_report(
        make_report(), make_config(**FULL_SECTIONS), status="succeeded", error=None
    )
    assert set(record) == set(ALLOWED)
    assert set(record["art30"]) == ALLOWED["art30"]
    assert set(record["data"]) == ALLOWED["data"]
    assert all(set(op) == OPERATION_KEYS for op in record["data"]["operations"])
    assert all(set(f) == FILE_KEYS for f in record["data"]["inputs"] + record["data"]["outputs"])
    assert set(record["data"]["counts"]) == COUNT_KEYS
    # nothing of the report's that is not in the list above (e.g. residual details)
    assert "residuals" not in json.dumps(record)


def test_categories_of_personal_data_come_from_detected_entities_per_dataset() -> None:
    record = record_from_report(make_report(), make_config(), status="succeeded", error=None)
    art30 = record["art30"]
    # each dataset by its absolute path: the same file whatever folder a run ran from
    assert art30["categories_per_dataset"] == {
        os.path.abspath("data/samples/hubspot_contacts.tsv"): [
            "contact details",
            "free-text notes",
            "names",
            "postal address",
        ],
        os.path.abspath("data/samples/keap_contacts.csv"): ["contact details"],
    }
    assert art30["categories_of_personal_data"] == [
        "contact details",
        "free-text notes",
        "names",
        "postal address",
    ]


def test_keyed_actions_add_their_security_measure_with_the_key_id() -> None:
    record = record_from_report(
        make_report(), make_config(**FULL_SECTIONS), status="succeeded", error=None
    )
    assert record["art30"]["security_measures"] == [
        "access limited to the analytics team",
        "HMAC-SHA256 pseudonymisation, key id k-0123456789ab",
        "AES-SIV encryption, key id k-0123456789ab",
    ]


def test_outputs_are_hashed_for_a_succeeded_run(tmp_path: Path) -> None:
    output = tmp_path / "hubspot.parquet"
    output.write_bytes(b"PAR1 not really")
    record = record_from_report(
        make_report(output=str(output)), make_config(), status="succeeded", error=None
    )
    first = record["data"]["outputs"][0]
    assert first == {
        "uri": str(output),
        "sha256": hashlib.sha256(b"PAR1 not really").hexdigest(),
        "rows": 347,
    }
    assert record["data"]["outputs"][1]["sha256"] is None  # not on disk


@pytest.mark.parametrize("status", ["failed", "refused"])
def test_an_unpublished_run_lists_no_output(status: Any) -> None:
    record = record_from_report(make_report(), make_config(), status=status, error="RunError: x")
    assert record["data"]["outputs"] == []
    assert record["data"]["counts"]["rows_out"] == 0
    assert record["status"] == status
    assert record["error"] == "RunError: x"


def test_a_run_that_failed_before_its_report_still_gets_a_record() -> None:
    report = {"run_id": "r-9", "started_at": "2025-03-01T10:00:00+00:00"}
    record = record_from_report(report, make_config(), status="failed", error="InputError")
    assert record["pipeline"] == "crm"
    assert record["data"]["inputs"] == []
    assert record["art30"]["categories_of_personal_data"] == []
    assert record["config_sha256"] == "c" * 64


def test_gaps_are_marked_on_the_record() -> None:
    record = record_from_report(make_report(), make_config(), status="succeeded", error=None)
    assert record["gaps"][0] == "controller"
    assert "activity.purposes" in record["gaps"]


def test_parameters_that_could_hold_a_secret_are_left_out() -> None:
    report = make_report()
    report["inputs"][0]["columns"][0]["params"] = {"api_key": "x", "prefix": "e_"}
    record = record_from_report(report, make_config(), status="succeeded", error=None)
    assert record["data"]["operations"][0]["params"] == {"prefix": "e_"}


def test_an_error_summary_keeps_engine_messages_and_only_the_type_of_others() -> None:
    assert error_summary(InputError("input 'a.csv': empty")) == "InputError: input 'a.csv': empty"
    assert error_summary(ValueError("bad value 'jane@example.com'")) == "ValueError"


def test_an_erasure_record_names_files_by_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # relative to wherever `erase` was started, one file showed under two names
    from anonymise.records.build import erasure_record

    monkeypatch.chdir(tmp_path)
    record = erasure_record(
        config=make_config(**FULL_SECTIONS),
        run_id="e1",
        started_at="2025-01-01T00:00:00+00:00",
        finished_at="2025-01-01T00:00:01+00:00",
        key_id="k-1",
        datasets_searched=["exports/keap.csv", "s3://bucket/out.parquet"],
        rows_removed={"exports/keap.csv": 2},
        requests_by_status={"erased": 1},
        status="succeeded",
        error=None,
    )
    keap = str(tmp_path / "exports" / "keap.csv")
    assert record["data"]["datasets_searched"] == [keap, "s3://bucket/out.parquet"]
    assert record["data"]["rows_removed"] == {keap: 2}
