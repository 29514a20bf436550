"""`anonymise blocklist add|remove|check|list`: manage the suppression list.

Identifiers come from the command line (`--email`, `--phone`, `--crm-id` with
`--source`) or a CSV file (columns email, phone, crm_id, source; any may be empty).
Nothing here prints an identifier in full: `check` echoes them masked.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from anonymise.cli.errors import guarded
from anonymise.config import PipelineConfig, load_config
from anonymise.errors import AnonymiseError, InputError, OutputError, UsageError
from anonymise.io.header_values import unknown_columns
from anonymise.key_source import configured_key
from anonymise.records import append_record, suppression_record
from anonymise.records.chain import check_appendable
from anonymise.records.settings import log_path_of
from anonymise.suppression import (
    Identifier,
    IdentifierKind,
    Reason,
    SuppressionConfig,
    SuppressionList,
    masked_identifier,
)
from anonymise.suppression.identifiers import (
    identifier_problem,
    identifiers_in_row,
    names_unknown_source,
)

blocklist_app = typer.Typer(
    help="Manage the suppression list: people who must never come back.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_CSV_COLUMNS = ("email", "phone", "crm_id", "source")

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="pipeline config: the list's path and key source")
]
EmailOption = Annotated[list[str] | None, typer.Option("--email", help="an e-mail address")]
PhoneOption = Annotated[list[str] | None, typer.Option("--phone", help="a phone number")]
CrmIdOption = Annotated[
    list[str] | None, typer.Option("--crm-id", help="a CRM id (needs --source)")
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", help="the CRM of each --crm-id (one for all, or one each)"),
]
FileOption = Annotated[
    Path | None, typer.Option("--file", help="CSV with columns email, phone, crm_id, source")
]


@dataclass(frozen=True)
class _Given:
    emails: list[str] | None
    phones: list[str] | None
    crm_ids: list[str] | None
    sources: list[str] | None
    file: Path | None


@blocklist_app.command("add")
def add(
    config: ConfigOption,
    email: EmailOption = None,
    phone: PhoneOption = None,
    crm_id: CrmIdOption = None,
    source: SourceOption = None,
    file: FileOption = None,
    reason: Annotated[Reason, typer.Option("--reason", help="why")] = Reason.MANUAL,
) -> None:
    """Add identifiers (stored as keyed hashes); adding one twice changes nothing."""
    given = _Given(email, phone, crm_id, source, file)

    def body() -> None:
        started = _now()
        suppression_list, loaded = _open(config)
        identifiers = _identifiers(given)
        _refuse_unknown_sources(identifiers, loaded)
        _check_log(loaded)
        outcome = suppression_list.add(identifiers, reason=reason)
        print(
            f"added {outcome.added}, already present {outcome.already_present} "
            f"(suppression list {suppression_list.path})"
        )
        if outcome.added:
            _record(
                loaded,
                suppression_list,
                _Change("add", reason.value, identifiers, started),
                {"added": outcome.added, "already_present": outcome.already_present},
            )

    guarded(body)


@blocklist_app.command("remove")
def remove(
    config: ConfigOption,
    email: EmailOption = None,
    phone: PhoneOption = None,
    crm_id: CrmIdOption = None,
    source: SourceOption = None,
    file: FileOption = None,
) -> None:
    """Remove identifiers from the list."""
    given = _Given(email, phone, crm_id, source, file)

    def body() -> None:
        started = _now()
        suppression_list, loaded = _open(config)
        identifiers = _identifiers(given)
        _check_log(loaded)
        outcome = suppression_list.remove(identifiers)
        print(
            f"removed {outcome.removed}, not found {outcome.not_found} "
            f"(suppression list {suppression_list.path})"
        )
        if outcome.removed:
            _record(
                loaded,
                suppression_list,
                _Change("remove", None, identifiers, started),
                {"removed": outcome.removed, "not_found": outcome.not_found},
            )

    guarded(body)


@blocklist_app.command("check")
def check(
    config: ConfigOption,
    email: EmailOption = None,
    phone: PhoneOption = None,
    crm_id: CrmIdOption = None,
    source: SourceOption = None,
    file: FileOption = None,
    fail_if_blocked: Annotated[
        bool, typer.Option("--fail-if-blocked", help="exit 1 if any identifier is blocked")
    ] = False,
) -> None:
    """Say, per identifier (shown masked), whether it is blocked."""
    given = _Given(email, phone, crm_id, source, file)

    def body() -> bool:
        suppression_list, loaded = _open(config)
        identifiers = _identifiers(given)
        any_blocked = False
        for identifier, entry in zip(
            identifiers, suppression_list.lookup(identifiers), strict=True
        ):
            shown = masked_identifier(identifier, phone_region=loaded.suppression.phone_region)
            if entry is None:
                status = "not blocked"
            else:
                any_blocked = True
                status = f"blocked ({entry.reason.value}, {entry.added_at:%Y-%m-%d})"
            print(f"{identifier.kind.value:<7} {shown}: {status}")
        return any_blocked

    if guarded(body) and fail_if_blocked:
        raise typer.Exit(1)


@blocklist_app.command("list")
def list_entries(
    config: ConfigOption,
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
) -> None:
    """Show the entries (hash prefix, kind, source, reason, date) and totals."""

    def body() -> None:
        suppression_list, _ = _open(config)
        entries = suppression_list.entries()
        rows = [
            {
                "hash": entry.hash[:12],
                "kind": entry.kind.value,
                "source": entry.source,
                "reason": entry.reason.value,
                "added_at": entry.added_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            }
            for entry in entries
        ]
        by_kind = dict(Counter(row["kind"] for row in rows))
        by_reason = dict(Counter(row["reason"] for row in rows))
        if as_json:
            report = {
                "path": str(suppression_list.path),
                "key_id": suppression_list.key.key_id,
                "count": len(rows),
                "entries": rows,
                "totals": {"kind": by_kind, "reason": by_reason},
            }
            sys.stdout.write(json.dumps(report) + "\n")
            return
        console = Console()
        table = Table("hash", "kind", "source", "reason", "added", title=str(suppression_list.path))
        for row in rows:
            table.add_row(
                row["hash"], row["kind"], row["source"] or "-", row["reason"], row["added_at"]
            )
        console.print(table)
        console.print(f"{len(rows)} entries (key {suppression_list.key.key_id})")
        for label, totals in (("kind", by_kind), ("reason", by_reason)):
            if totals:
                console.print(f"by {label}: " + ", ".join(f"{k} {n}" for k, n in totals.items()))

    guarded(body)


def suppression_settings(config: PipelineConfig) -> SuppressionConfig:
    """The config's `suppression:` section; every default applies without one."""
    return config.suppression


@dataclass(frozen=True)
class _Change:
    """A change asked of the list by hand, as its processing record tells it."""

    change: Literal["add", "remove"]
    reason: str | None
    identifiers: list[Identifier]
    started_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_log(config: PipelineConfig) -> None:
    """Refuse a change whose record could not be appended (a torn processing log)
    before the list is touched."""
    if config.records.enabled:
        check_appendable(log_path_of(config))


def _record(
    config: PipelineConfig,
    suppression_list: SuppressionList,
    change: _Change,
    outcome: dict[str, int],
) -> None:
    """Append the change's Art. 30 record: counts per kind, never an identifier."""
    if not config.records.enabled:
        return
    entry = suppression_record(
        config=config,
        started_at=change.started_at,
        finished_at=_now(),
        key_id=suppression_list.key.key_id,
        list_path=str(suppression_list.path),
        change=change.change,
        reason=change.reason,
        identifiers=dict(Counter(i.kind.value for i in change.identifiers)),
        outcome=outcome,
    )
    try:
        append_record(log_path_of(config), entry)
    except AnonymiseError as exc:
        raise OutputError(
            f"the suppression list was changed, but its record was not appended: {exc}"
        ) from exc


def _open(config_path: Path) -> tuple[SuppressionList, PipelineConfig]:
    config = load_config(config_path)
    settings = suppression_settings(config)
    path = Path(config.resolve(settings.path))
    key = configured_key(config)
    return SuppressionList(path, key, phone_region=settings.phone_region), config


def _identifiers(given: _Given) -> list[Identifier]:
    identifiers = [Identifier(IdentifierKind.EMAIL, value) for value in given.emails or []]
    identifiers += [Identifier(IdentifierKind.PHONE, value) for value in given.phones or []]
    crm_ids, sources = given.crm_ids or [], given.sources or []
    if crm_ids and len(sources) not in (1, len(crm_ids)):
        raise UsageError(
            f"{len(crm_ids)} --crm-id but {len(sources)} --source; give one --source for "
            "all of them or one per --crm-id"
        )
    if sources and not crm_ids:
        raise UsageError("--source names the CRM of a --crm-id; give the --crm-id too")
    for position, crm_id in enumerate(crm_ids):
        source = sources[0] if len(sources) == 1 else sources[position]
        identifiers.append(Identifier(IdentifierKind.CRM_ID, crm_id, _source(source)))
    if given.file is not None:
        identifiers += _identifiers_from_csv(given.file)
    for position, identifier in enumerate(identifiers, start=1):
        if not identifier.value.strip():
            raise UsageError(f"identifier {position} ({identifier.kind.value}) is blank")
        if problem := identifier_problem(identifier):
            raise UsageError(f"identifier {position} ({identifier.kind.value}): {problem}")
    if not identifiers:
        raise UsageError("no identifier: give --email, --phone, --crm-id with --source, or --file")
    return identifiers


def _refuse_unknown_sources(identifiers: list[Identifier], config: PipelineConfig) -> None:
    names = [source.name for source in config.sources]
    if any(names_unknown_source(identifier, names) for identifier in identifiers):
        known = ", ".join(sorted({n for n in names if n})) or "it names none"
        raise UsageError(
            f"a CRM id's source is not the name of a source of the config ({known}); name "
            "the CRM as the config's sources do, or the id would never match a row"
        )


def _source(source: str) -> str:
    if not source.strip():
        raise UsageError("--source is blank; name the CRM the id comes from (e.g. keap)")
    return source.strip()


def _identifiers_from_csv(path: Path) -> list[Identifier]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"identifier file '{path}': cannot read it ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"identifier file '{path}': not UTF-8; save it as UTF-8 CSV") from exc
    reader = csv.DictReader(text.splitlines())
    header = [name.strip().lower() for name in reader.fieldnames or []]
    unknown = unknown_columns(header, _CSV_COLUMNS)
    if unknown or not set(header) & {"email", "phone", "crm_id"}:
        raise InputError(
            f"identifier file '{path}': columns must be among {', '.join(_CSV_COLUMNS)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
            + (
                "; rename it to one of those (a Mailchimp export's 'Email Address' to "
                "'email'), or add the header line if it is missing"
                if any(name.startswith("column ") for name in unknown)
                else ""
            )
        )
    reader.fieldnames = header
    identifiers: list[Identifier] = []
    for row_number, row in enumerate(reader, start=2):
        where = f"identifier file '{path}', row {row_number}"
        identifiers += identifiers_in_row(row, where=where)
    return identifiers
