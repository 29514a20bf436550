"""Hand-made run reports and configs shaped like the engine's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anonymise.config import PipelineConfig
from anonymise.records.chain import append_record

FULL_SECTIONS: dict[str, Any] = {
    "controller": {
        "name": "Acme Ltd",
        "contact": "privacy@acme.example",
        "dpo": {"name": "Data Protection Officer", "contact": "dpo@acme.example"},
    },
    "activity": {
        "purposes": ["analytics on CRM contacts", "sharing with the agency"],
        "lawful_basis": "legitimate interests (Art. 6(1)(f))",
        "data_subjects": ["customers", "prospects"],
        "recipients": ["marketing agency (processor)"],
        "transfers": [{"country": "United States", "safeguard": "SCCs 2021/914"}],
        "retention": {"default": "24 months after last contact"},
        "security_measures": ["access limited to the analytics team"],
    },
}

PROCESSOR_SECTIONS: dict[str, Any] = {
    "controller": {"name": "Agency GmbH", "contact": "privacy@agency.example"},
    "activity": {
        "role": "processor",
        "controllers": [{"name": "Acme Ltd", "contact": "privacy@acme.example"}],
        "categories_of_processing": ["anonymisation of CRM exports"],
        "transfers": [],
        "security_measures": ["encrypted disks"],
    },
}


def make_config(name: str = "crm", base_dir: str = ".", **sections: Any) -> PipelineConfig:
    return PipelineConfig.model_validate(
        {"pipeline": name, "base_dir": base_dir, "sha256": "c" * 64, **sections}
    )


def make_report(
    *, pipeline: str = "crm", output: str | None = None, run_id: str = "run-1"
) -> dict[str, Any]:
    """A report like ``anonymise.run_report.build_report``'s (it holds no values)."""
    return {
        "run_id": run_id,
        "pipeline": pipeline,
        "status": "succeeded",
        "started_at": "2025-03-01T10:00:00+00:00",
        "finished_at": "2025-03-01T10:00:09+00:00",
        "software_version": "0.1.0",
        "key_id": "k-0123456789ab",
        "config_sha256": "c" * 64,
        "plan_sha256": None,
        "plan_source": "detection",
        "rows_in": 350,
        "rows_blocked": 2,
        "rows_out": 347,
        "quarantined": 1,
        "inputs": [
            {
                "source": "data/samples/hubspot_contacts.tsv",
                "sha256": "a" * 64,
                "format": "csv",
                "output": output or "out/hubspot_contacts.parquet",
                "rows_in": 350,
                "rows_blocked": {"suppressed": 2},
                "rows_out": 347,
                "blank_rows": 0,
                "quarantined": 1,
                "quarantine_file": None,
                "renamed_columns": {},
                "columns": [
                    _column("Email", "EMAIL_ADDRESS", "pseudonymise", {}),
                    _column("First Name", "PERSON", "pseudonymise", {"prefix": "tok_"}),
                    _column("Postal Code", "POSTCODE", "generalise", {"to": "outward_code"}),
                    _column("Notes", "FREE_TEXT", "encrypt", {"normalise": False}),
                    _column("Lead Status", None, "keep", {}),
                ],
                "residuals": [],
            },
            {
                "source": "data/samples/keap_contacts.csv",
                "sha256": "b" * 64,
                "format": "csv",
                "output": "out/keap_contacts.parquet",
                "rows_in": 0,
                "rows_blocked": {},
                "rows_out": 0,
                "blank_rows": 0,
                "quarantined": 0,
                "quarantine_file": None,
                "renamed_columns": {},
                "columns": [_column("Phone 1", "PHONE_NUMBER", "mask", {"keep_last": 3})],
                "residuals": [],
            },
        ],
    }


def _column(name: str, entity: str | None, action: str, params: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "entity": entity,
        "action": action,
        "params": params,
        "decided_by": "detection",
        "confidence": 0.99,
        "output": True,
    }


def append_many(log: str, count: int, tag: str) -> None:
    """Append ``count`` records (a multiprocessing target: module-level, picklable args)."""
    config = make_config(**FULL_SECTIONS)
    from anonymise.records.build import record_from_report

    for i in range(count):
        record = record_from_report(
            make_report(run_id=f"{tag}-{i}"), config, status="failed", error=None
        )
        append_record(Path(log), record)
