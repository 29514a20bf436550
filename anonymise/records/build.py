"""Build one processing-activity record from a run report and the config's metadata.

The record copies only what the run report already holds (paths, hashes, counts,
column names, entities, actions and their parameters; never a cell value) plus the
config's Art. 30 metadata. ``prev_hash`` and ``hash`` are added by ``append_record``.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from anonymise import __version__
from anonymise.errors import AnonymiseError
from anonymise.records.settings import (
    ActivityConfig,
    gaps,
    retention_for,
    retention_gaps,
)
from detectors.entities import CATEGORIES

if TYPE_CHECKING:
    from anonymise.config import PipelineConfig

Kind = Literal["run", "erasure", "suppression", "decryption"]
RecordStatus = Literal["succeeded", "failed", "refused"]
RECORD_VERSION: Final = 1
DEFAULT_FLOW: Final = "anonymise-run"
# Parameter names that could hold a secret are never copied (none does today).
_SECRET_PARAM_WORDS: Final = ("key", "secret", "salt", "password", "token", "pepper")
_KEYED_MEASURES: Final = {
    "pseudonymise": "HMAC-SHA256 pseudonymisation, key id {key_id}",
    "encrypt": "AES-SIV encryption, key id {key_id}",
}


def record_from_report(
    report: Mapping[str, Any],
    config: PipelineConfig,
    *,
    status: RecordStatus,
    error: str | None,
    flow: str = DEFAULT_FLOW,
    hash_outputs: bool = True,
) -> dict[str, Any]:
    """The record of one run. ``report`` is ``build_report``'s dict, or for a run that
    failed before it had one, any subset of it (run_id, started_at, ...). Output files
    are hashed only for a succeeded run (nothing else was published)."""
    inputs = [i for i in report.get("inputs", []) if isinstance(i, Mapping)]
    per_dataset = _categories_per_dataset(inputs)
    categories = sorted({c for cs in per_dataset.values() for c in cs})
    operations = [_operation(i, c) for i in inputs for c in i.get("columns", [])]
    published = status == "succeeded"
    record = _envelope("run", report, config, status=status, error=error, flow=flow)
    record["art30"] = art30_block(
        config,
        categories=categories,
        per_dataset=per_dataset,
        measures=_automatic_measures(operations, str(report.get("key_id") or ""))
        + (_k_anonymity_measures(inputs) if published else []),
    )
    record["data"] = {
        "inputs": [
            {
                "uri": absolute_uri(i.get("source")),
                "sha256": i.get("sha256"),
                "rows": i.get("rows_in"),
            }
            for i in inputs
        ],
        "outputs": [
            {
                "uri": absolute_uri(i.get("output")),
                # the digest taken before publishing, when the report has it
                "sha256": i.get("output_sha256")
                or (file_sha256(i.get("output")) if hash_outputs else None),
                "rows": i.get("rows_out"),
                **({"k_anonymity": i["k_anonymity"]} if i.get("k_anonymity") else {}),
            }
            for i in inputs
            if published and i.get("output")
        ],
        "operations": operations,
        "counts": {
            "rows_in": int(report.get("rows_in") or 0),
            "rows_out": int(report.get("rows_out") or 0) if published else 0,
            "rows_blocked": int(report.get("rows_blocked") or 0),
            "quarantined": int(report.get("quarantined") or 0),
            "erased": 0,
        },
    }
    record["gaps"] = gaps(config) + retention_gaps(config, categories)
    return record


def art30_block(
    config: PipelineConfig,
    *,
    categories: list[str],
    per_dataset: Mapping[str, list[str]],
    measures: Iterable[str] = (),
) -> dict[str, Any]:
    """The Art. 30(1)(a)-(g) fields (30(2)(a)-(d) for a processor), with this run's
    categories of personal data and its automatic security measures."""
    controller = config.controller
    activity: ActivityConfig = config.activity
    party = controller.model_dump(mode="json") if controller else None
    security = list(activity.security_measures) + [
        m for m in measures if m not in activity.security_measures
    ]
    transfers = (
        None
        if activity.transfers is None
        else [t.model_dump(mode="json") for t in activity.transfers]
    )
    if activity.role == "processor":
        return {
            "role": "processor",
            "processor": party,
            "controllers": [p.model_dump(mode="json") for p in activity.controllers],
            "categories_of_processing": list(activity.categories_of_processing),
            "categories_of_personal_data": categories,
            "categories_per_dataset": dict(per_dataset),
            "transfers": transfers,
            "security_measures": security,
        }
    return {
        "role": "controller",
        "controller": party,
        "purposes": list(activity.purposes),
        "lawful_basis": activity.lawful_basis,
        "data_subjects": list(activity.data_subjects),
        "categories_of_personal_data": categories,
        "categories_per_dataset": dict(per_dataset),
        "recipients": None if activity.recipients is None else list(activity.recipients),
        "transfers": transfers,
        "retention": retention_for(activity),
        "security_measures": security,
    }


def error_summary(exc: BaseException) -> str:
    """What a record may say about a failure: the engine's own message (value-free by
    rule), else only the exception's type (its text may quote a cell)."""
    if isinstance(exc, AnonymiseError):
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__


def file_sha256(path: object) -> str | None:
    """SHA-256 of a local file, or None when it is not a readable local file."""
    if not isinstance(path, str) or "://" in path:
        return None
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def suppression_record(
    *,
    config: PipelineConfig,
    started_at: str,
    finished_at: str,
    key_id: str,
    list_path: str,
    change: Literal["add", "remove"],
    reason: str | None,
    identifiers: Mapping[str, int],
    outcome: Mapping[str, int],
) -> dict[str, Any]:
    """The record of one change to the suppression list by hand (`blocklist add` or
    `remove`): how many identifiers of each kind, why, and what changed. Never an
    identifier nor its hash: a hash would let whoever holds the log test a guess."""
    return _command_record(
        "suppression",
        "anonymise-blocklist",
        config,
        times=(started_at, finished_at),
        key_id=key_id,
        measures=["suppression list: identifiers kept only as keyed hashes"],
        data={
            "suppression_list": absolute_uri(list_path),
            "change": change,
            "reason": reason,
            "identifiers": dict(sorted(identifiers.items())),
            **outcome,
        },
    )


def decryption_record(
    *,
    config: PipelineConfig,
    started_at: str,
    finished_at: str,
    key_id: str,
    source: str,
    output: str,
    columns: Sequence[str],
    rows: int,
) -> dict[str, Any]:
    """The record of one decryption (`anonymise decrypt`): re-identification by the key
    holder, which file, which columns, how many rows, and where the plain copy went."""
    return _command_record(
        "decryption",
        "anonymise-decrypt",
        config,
        times=(started_at, finished_at),
        key_id=key_id,
        measures=[],
        data={
            "source": absolute_uri(source),
            "output": absolute_uri(output),
            "columns": list(columns),
            "rows": rows,
        },
    )


def _command_record(
    kind: Kind,
    flow: str,
    config: PipelineConfig,
    *,
    times: tuple[str, str],
    key_id: str,
    measures: list[str],
    data: dict[str, Any],
) -> dict[str, Any]:
    """The record of a command that processes personal data outside a run (a change to
    the suppression list, a decryption): no rows in or out, its own data."""
    started_at, finished_at = times
    report = {
        "run_id": str(uuid.uuid4()),
        "started_at": started_at,
        "finished_at": finished_at,
        "key_id": key_id,
    }
    record = _envelope(kind, report, config, status="succeeded", error=None, flow=flow)
    record["art30"] = art30_block(config, categories=[], per_dataset={}, measures=measures)
    record["data"] = {
        **data,
        "counts": {"rows_in": 0, "rows_out": 0, "rows_blocked": 0, "quarantined": 0, "erased": 0},
    }
    record["gaps"] = gaps(config)
    return record


def _envelope(
    kind: Kind,
    report: Mapping[str, Any],
    config: PipelineConfig,
    *,
    status: RecordStatus,
    error: str | None,
    flow: str,
) -> dict[str, Any]:
    return {
        "record_version": RECORD_VERSION,
        "kind": kind,
        "record_id": str(uuid.uuid4()),
        "run_id": report.get("run_id"),
        "pipeline": report.get("pipeline") or config.pipeline,
        "flow": flow,
        "started": report.get("started_at"),
        "finished": report.get("finished_at"),
        "status": status,
        "error": error,
        "software_version": report.get("software_version") or __version__,
        "config_sha256": report.get("config_sha256") or config.sha256 or None,
        "plan_sha256": report.get("plan_sha256"),
        "key_id": report.get("key_id"),
    }


def absolute_uri(path: Any) -> Any:
    """A local path made absolute (a run's paths are relative to the folder it ran
    from, which the record does not keep): one file is one dataset in every record,
    and an erasure finds it. Remote URIs stay as given."""
    if not isinstance(path, str) or not path or "://" in path:
        return path
    return os.path.abspath(path)


def _categories_per_dataset(inputs: list[Mapping[str, Any]]) -> dict[str, list[str]]:
    per_dataset: dict[str, list[str]] = {}
    for item in inputs:
        entities = {c.get("entity") for c in item.get("columns", []) if c.get("entity")}
        per_dataset[str(absolute_uri(item.get("source")))] = sorted(
            {CATEGORIES.get(str(e), str(e)) for e in entities}
        )
    return per_dataset


def _operation(item: Mapping[str, Any], column: Mapping[str, Any]) -> dict[str, Any]:
    params = column.get("params") or {}
    return {
        "dataset": item.get("source"),
        "column": column.get("name"),
        "entity": column.get("entity"),
        "action": column.get("action"),
        "params": {
            k: v
            for k, v in params.items()
            if not any(word in str(k).lower() for word in _SECRET_PARAM_WORDS)
        },
        "decided_by": column.get("decided_by"),
    }


def _automatic_measures(operations: list[dict[str, Any]], key_id: str) -> list[str]:
    actions = {op["action"] for op in operations}
    return [
        template.format(key_id=key_id or "unknown")
        for action, template in _KEYED_MEASURES.items()
        if action in actions
    ]


def _k_anonymity_measures(inputs: list[Mapping[str, Any]]) -> list[str]:
    """The k-anonymity a run measured (verify.k_anonymity), as a measure taken."""
    measured = [i["k_anonymity"] for i in inputs if i.get("k_anonymity")]
    return sorted(
        {
            f"k-anonymity measured (k={m['k']}) over {', '.join(m['quasi_identifiers'])}"
            + (", rows of smaller groups suppressed" if m.get("suppressed") else "")
            for m in measured
            if m.get("quasi_identifiers")
        }
    )


def erasure_record(
    *,
    config: PipelineConfig,
    run_id: str,
    started_at: str,
    finished_at: str,
    key_id: str,
    datasets_searched: Iterable[str],
    rows_removed: Mapping[str, int],
    requests_by_status: Mapping[str, int],
    status: RecordStatus,
    error: str | None,
    rows_to_check: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The record of one bulk erasure (Art. 17): datasets searched, rows removed per
    dataset, requests per status. Request ids and identifiers stay in the receipts."""
    report = {
        "run_id": run_id,
        "started_at": started_at,
        "finished_at": finished_at,
        "key_id": key_id,
    }
    record = _envelope(
        "erasure", report, config, status=status, error=error, flow="anonymise-erase"
    )
    record["art30"] = art30_block(
        config,
        categories=[],
        per_dataset={},
        measures=["erasure on request (Art. 17), identifiers kept only as keyed hashes"],
    )
    record["data"] = {
        # by absolute path, as run records name files: one file is one dataset
        "datasets_searched": sorted(str(absolute_uri(path)) for path in datasets_searched),
        "rows_removed": dict(sorted((str(absolute_uri(p)), n) for p, n in rows_removed.items())),
        "requests": dict(sorted(requests_by_status.items())),
        # malformed rows holding a request's CRM id: not removed, left for a look by hand
        "rows_to_check": dict(
            sorted((str(absolute_uri(p)), n) for p, n in (rows_to_check or {}).items())
        ),
        "counts": {
            "rows_in": 0,
            "rows_out": 0,
            "rows_blocked": 0,
            "quarantined": 0,
            "erased": sum(rows_removed.values()),
        },
    }
    record["gaps"] = gaps(config)
    return record
