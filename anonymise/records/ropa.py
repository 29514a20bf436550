"""Records of processing activities: one entry per activity (pipeline), from its runs.

The static fields (who, why, recipients, transfers, retention, measures) come from the
activity's config when one is given, else from its latest record; the dynamic ones
(categories of personal data seen, volumes, first and last run) from all its records.
Fields come in Art. 30(1)(a)-(g) order, or 30(2)(a)-(d) for a processor.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from anonymise.records.build import art30_block
from anonymise.records.settings import gaps, retention_gaps

Value = str | int | list[str] | dict[str, Any] | None

if TYPE_CHECKING:
    from anonymise.config import PipelineConfig


@dataclass(frozen=True)
class RopaField:
    """One line of an entry: the article it answers, its name, its value."""

    article: str  # "30(1)(a)"..., "" for the processing history
    name: str
    value: Value


@dataclass(frozen=True)
class RopaEntry:
    """The record of one processing activity."""

    activity: str
    role: str
    fields: tuple[RopaField, ...]
    missing: tuple[str, ...]


OTHER_LOGS: Final = "*"  # the key of the text for pipelines found in the logs only
INTACT: Final = (
    "hash chain intact (an edited, removed or reordered record would show; records removed "
    "from its very end would not: compare its last hash, `anonymise log verify "
    "--expect-last`)"
)


def build_ropa(
    configs: Sequence[Any],
    records: Sequence[Mapping[str, Any]],
    *,
    log_integrity: str | Mapping[str, str] = INTACT,
) -> list[RopaEntry]:
    """One entry per activity: the configs' pipelines in the order given, then any other
    pipeline found in the records, by name. ``log_integrity`` is what verifying the
    logs found, one text for all or per pipeline, told in its entries: figures read
    from a broken chain cannot be trusted."""
    by_activity: dict[str, list[Mapping[str, Any]]] = {}
    for record in records:
        by_activity.setdefault(str(record.get("pipeline") or "(unnamed)"), []).append(record)
    config_of = {str(c.pipeline): c for c in configs}
    names = list(config_of) + sorted(n for n in by_activity if n not in config_of)

    def integrity(name: str) -> str:
        if isinstance(log_integrity, str):
            return log_integrity
        return log_integrity.get(name, log_integrity.get(OTHER_LOGS, INTACT))

    return [
        _entry(name, config_of.get(name), by_activity.get(name, []), integrity(name))
        for name in names
    ]


def _entry(
    name: str,
    config: PipelineConfig | None,
    records: list[Mapping[str, Any]],
    log_integrity: str,
) -> RopaEntry:
    runs = [r for r in records if r.get("kind", "run") == "run"]
    blocks = [r["art30"] for r in records if isinstance(r.get("art30"), Mapping)]
    categories = sorted({c for b in blocks for c in b.get("categories_of_personal_data", [])})
    per_dataset: dict[str, list[str]] = {}
    for block in blocks:
        for dataset, cats in (block.get("categories_per_dataset") or {}).items():
            per_dataset[dataset] = sorted(set(per_dataset.get(dataset, [])) | set(cats))
    measures = _ordered(m for b in blocks for m in b.get("security_measures") or [])
    if config is not None:
        art30 = art30_block(
            config, categories=categories, per_dataset=per_dataset, measures=measures
        )
        missing = gaps(config) + retention_gaps(config, categories)
    elif blocks:
        art30 = {**blocks[-1], "categories_of_personal_data": categories}
        art30["categories_per_dataset"] = per_dataset
        art30["security_measures"] = measures
        missing = list(records[-1].get("gaps") or [])
    else:
        art30, missing = {"role": "controller"}, ["controller", "activity"]
    role = str(art30.get("role") or "controller")
    fields = _processor_fields(art30) if role == "processor" else _controller_fields(art30)
    integrity = RopaField("", "Processing log", log_integrity)
    history = _history(records, runs)
    return RopaEntry(name, role, tuple([*fields, *history, integrity]), tuple(missing))


def _controller_fields(art30: Mapping[str, Any]) -> list[RopaField]:
    party = art30.get("controller") or {}
    return [
        RopaField("30(1)(a)", "Controller", _party(party)),
        RopaField("30(1)(a)", "Representative", _party(party.get("representative"))),
        RopaField("30(1)(a)", "Data protection officer", _party(party.get("dpo"))),
        RopaField("30(1)(b)", "Purposes of the processing", _stated(art30.get("purposes"))),
        RopaField("30(1)(b)", "Lawful basis", art30.get("lawful_basis")),
        RopaField("30(1)(c)", "Categories of data subjects", _stated(art30.get("data_subjects"))),
        RopaField(
            "30(1)(c)",
            "Categories of personal data",
            list(art30.get("categories_of_personal_data") or []),
        ),
        RopaField("30(1)(c)", "Categories of personal data per dataset", _per_dataset(art30)),
        RopaField("30(1)(d)", "Recipients", art30.get("recipients")),
        RopaField("30(1)(e)", "Third-country transfers", _transfers(art30.get("transfers"))),
        RopaField(
            "30(1)(f)", "Time limits for erasure", dict(art30.get("retention") or {}) or None
        ),
        RopaField("30(1)(g)", "Security measures", _stated(art30.get("security_measures"))),
    ]


def _processor_fields(art30: Mapping[str, Any]) -> list[RopaField]:
    party = art30.get("processor") or {}
    controllers = [_party(p) or "" for p in art30.get("controllers") or []]
    return [
        RopaField("30(2)(a)", "Processor", _party(party)),
        RopaField("30(2)(a)", "Controllers on whose behalf it acts", controllers or None),
        RopaField("30(2)(a)", "Representative", _party(party.get("representative"))),
        RopaField("30(2)(a)", "Data protection officer", _party(party.get("dpo"))),
        RopaField(
            "30(2)(b)",
            "Categories of processing",
            _stated(art30.get("categories_of_processing")),
        ),
        RopaField("30(2)(c)", "Third-country transfers", _transfers(art30.get("transfers"))),
        RopaField("30(2)(d)", "Security measures", _stated(art30.get("security_measures"))),
        RopaField(
            "",
            "Categories of personal data seen",
            list(art30.get("categories_of_personal_data") or []),
        ),
    ]


def _history(records: list[Mapping[str, Any]], runs: list[Mapping[str, Any]]) -> list[RopaField]:
    started = sorted(str(r["started"]) for r in runs if r.get("started"))
    finished = sorted(str(r["finished"]) for r in runs if r.get("finished"))
    statuses = Counter(str(r.get("status")) for r in runs)
    counts = [r.get("data", {}).get("counts", {}) for r in records]
    return [
        RopaField("", "First run", started[0] if started else "no run yet"),
        RopaField("", "Last run", finished[-1] if finished else "no run yet"),
        RopaField("", "Runs", len(runs)),
        RopaField("", "Runs by status", dict(sorted(statuses.items()))),
        RopaField("", "Rows processed", sum(int(c.get("rows_in") or 0) for c in counts)),
        RopaField("", "Rows erased", sum(int(c.get("erased") or 0) for c in counts)),
        RopaField(
            "",
            "Rows left to check by hand, summed over erasures (a row two erasures found counts "
            "twice)",
            _to_check(records),
        ),
        RopaField("", "Suppression list changed by hand", _by_hand(records)),
        RopaField("", "Decryptions (re-identification)", _decryptions(records)),
    ]


def _to_check(records: list[Mapping[str, Any]]) -> int:
    """Malformed rows erasures found holding a request's CRM id, and did not remove."""
    erasures = [r.get("data") or {} for r in records if r.get("kind") == "erasure"]
    return sum(int(n or 0) for d in erasures for n in (d.get("rows_to_check") or {}).values())


def _decryptions(records: list[Mapping[str, Any]]) -> dict[str, int]:
    """``anonymise decrypt`` runs and the rows they turned back into plain values."""
    done = [r.get("data") or {} for r in records if r.get("kind") == "decryption"]
    return {"runs": len(done), "rows": sum(int(d.get("rows") or 0) for d in done)}


def _by_hand(records: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Identifiers added to and removed from the suppression list with `blocklist`."""
    changes = [r.get("data") or {} for r in records if r.get("kind") == "suppression"]
    return {
        "added": sum(int(c.get("added") or 0) for c in changes),
        "removed": sum(int(c.get("removed") or 0) for c in changes),
    }


def _party(party: Any) -> str | None:
    if not isinstance(party, Mapping) or not party.get("name"):
        return None
    contact = party.get("contact")
    return f"{party['name']} ({contact})" if contact else str(party["name"])


def _transfers(transfers: Any) -> list[str] | None:
    if transfers is None:
        return None
    return [
        f"{t.get('country')}"
        + (f" to {t['recipient']}" if t.get("recipient") else "")
        + f" (safeguard: {t.get('safeguard') or 'not stated'})"
        for t in transfers
    ]


def _per_dataset(art30: Mapping[str, Any]) -> dict[str, Any]:
    return {k: ", ".join(v) for k, v in (art30.get("categories_per_dataset") or {}).items()}


def _stated(items: Any) -> list[str] | None:
    """A required list: empty means not stated."""
    return [str(i) for i in items] if items else None


def _ordered(items: Any) -> list[str]:
    return list(dict.fromkeys(str(i) for i in items))


def value_text(value: Value) -> str:
    """A field value as one line of text: lists joined by '; ', mappings as 'k: v'."""
    if value is None:
        return "(not stated)"
    if isinstance(value, list):
        return "; ".join(value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) if value else "none"
    return str(value)
