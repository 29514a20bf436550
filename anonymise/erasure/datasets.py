"""The datasets an erasure searches, and which of their columns can hold a person.

Raw sources: every file of the config's sources. Their identity columns are the ones
whose header names an e-mail, phone or CRM id (``detectors.header_hints``), plus the
source's ``identity_columns``. CRM ids count only in a named source (ids are per CRM).

Past outputs: every ``run_report.json`` under ``output.dir``, recursively, and in each
folder outside it that the processing log says a succeeded run published to (``run
--output``), and each of its inputs' ``output`` file. A column the report says was
pseudonymised from an e-mail, phone or CRM id is matched by token; one kept in plain is
matched like a raw column, and so is one encrypted, once decrypted with the key (once
per distinct value). Raw inputs runs read outside the config's sources (``run
--input``) are not searched, but named in a warning.

Past outputs a later run did not write again stay listed in its report, under
``earlier_outputs`` (``run_report.write_report``).

Quarantine files: each input's ``quarantine_file`` in those reports (the malformed raw
rows a run set aside, CSV ``line, reason, raw``), when it still exists, and every other
``quarantine/*.quarantine.csv`` under ``output.dir`` (a later run of the input lists
only its own; a killed run's work folder keeps one). They have no
identity columns: the ``raw`` text is searched for the requests' values
(``matching.match_quarantine``). A CRM id's source is not checked there (a raw row is
not split into fields), as for pseudonymised outputs.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal

import polars as pl

from anonymise.blocking import content_kind
from anonymise.config import PipelineConfig, SourceConfig
from anonymise.errors import ConfigError, KeyConfigError
from anonymise.io.inputs import expand_inputs
from anonymise.io.quarantine_file import QUARANTINE_SUFFIX
from anonymise.keys import SecretKey
from anonymise.output_lock import same_folder
from anonymise.records.chain import read_records
from anonymise.records.settings import log_path_of
from anonymise.run_report import REPORT_NAME, published_inputs
from anonymise.suppression import IdentifierKind
from anonymise.suppression.identifiers import normalise_source
from detectors import entities as e
from detectors.header_hints import hint_for
from transforms.pseudonymise import DEFAULT_LENGTH, DEFAULT_PREFIX

KIND_BY_ENTITY: Final = {
    e.EMAIL_ADDRESS: IdentifierKind.EMAIL,
    e.PHONE_NUMBER: IdentifierKind.PHONE,
    e.CRM_ID: IdentifierKind.CRM_ID,
}
Role = Literal["raw", "output", "quarantine"]

logger = logging.getLogger("anonymise.erasure")


@dataclass(frozen=True)
class TokenSpec:
    """How a past run pseudonymised a column: its entity and the action's params."""

    entity: str
    prefix: str = DEFAULT_PREFIX
    length: int = DEFAULT_LENGTH
    phone_region: str = "GB"
    """Where the run read national phone numbers; GB for a report that does not say
    (runs before it was recorded read them so)."""


@dataclass(frozen=True)
class ColumnMatcher:
    """One column that can hold a person: plain values, or tokens made by ``token``."""

    column: str
    kind: IdentifierKind
    crm_source: str | None = None
    token: TokenSpec | None = None
    encrypted: bool = False
    """An ``encrypt`` column of a past output: decrypted with the key, then matched
    as a raw column is."""
    phone_region: str | None = None
    """Where a past output's plain phone numbers are read (a kept or encrypted column:
    the run's recorded region); None: the config's."""


@dataclass(frozen=True)
class Dataset:
    """One file to search. Raw files learn their columns when read; outputs know them;
    quarantine files have none (their ``raw`` text is searched whole)."""

    path: str
    role: Role
    source_name: str | None = None
    declared_identity: tuple[str, ...] | None = None
    report_matchers: tuple[ColumnMatcher, ...] = ()

    def matchers(self, frame: pl.DataFrame) -> tuple[ColumnMatcher, ...]:
        if self.role == "quarantine":
            return ()
        if self.role == "output":
            written = (_as_written(m, frame.columns) for m in self.report_matchers)
            return tuple(m for m in written if m.column in frame.columns)
        return raw_matchers(frame, self.source_name, self.declared_identity, self.path)


def _as_written(matcher: ColumnMatcher, columns: list[str]) -> ColumnMatcher:
    """The matcher under the name its column has in the file: a CSV output's column
    named like a formula (``@Email``) was written as ``'@Email``."""
    guarded = f"'{matcher.column}"
    if matcher.column not in columns and guarded in columns:
        return replace(matcher, column=guarded)
    return matcher


def raw_matchers(
    frame: pl.DataFrame, source_name: str | None, declared: tuple[str, ...] | None, path: str
) -> tuple[ColumnMatcher, ...]:
    """A raw file's identity columns: named so by the header, declared, or mostly
    e-mail addresses or phone numbers whatever the header says, as the run's block
    step finds them (``blocking.content_kind``)."""
    crm_source = normalise_source(source_name) if source_name else None
    found: dict[str, ColumnMatcher] = {}
    for name in frame.columns:
        hint = hint_for(name)
        kind = KIND_BY_ENTITY.get(hint.entity) if hint and hint.entity else None
        if kind is None and (by_content := content_kind(frame.get_column(name))):
            kind = IdentifierKind(by_content)
        if kind is IdentifierKind.CRM_ID and crm_source:
            found[name] = ColumnMatcher(name, kind, crm_source)
        elif kind is not None and kind is not IdentifierKind.CRM_ID:
            found[name] = ColumnMatcher(name, kind)
    for name in declared or ():
        if name in found:
            continue
        if name not in frame.columns:
            raise ConfigError(f"identity_columns: no column '{name}' in the input '{path}'")
        raise ConfigError(
            f"identity_columns: cannot tell whether '{name}' of '{path}' holds e-mails, "
            "phones or CRM ids; name it so (for example 'Email')"
        )
    return tuple(found.values())


def find_datasets(
    config: PipelineConfig, key: SecretKey, *, also: Sequence[Path] = ()
) -> tuple[Dataset, ...]:
    """Raw sources first, then past outputs and their quarantine files; no file twice.
    ``also``: folders outside the output folder runs published into (named by their
    publishing journals), searched as the recorded ones are, records on or off."""
    datasets: list[Dataset] = []
    seen: set[str] = set()
    for source in config.sources:
        for path in expand_inputs([config.resolve(source.path)]):
            _add(datasets, seen, _raw_dataset(path, source))
    out_dir = Path(config.resolve(config.output.dir))
    raw_files = set(seen)
    recorded_folders, recorded_inputs = _recorded_elsewhere(config, out_dir)
    folders = [out_dir]  # each once, however reached (a link, a bind mount)
    for folder in [*recorded_folders, *also]:
        if not any(same_folder(folder, f) for f in folders):
            folders.append(folder)
    for folder in folders:
        if not folder.is_dir():
            continue
        deep = folder == out_dir  # a folder `run --output` wrote: only its own files
        for report in sorted(folder.rglob(REPORT_NAME) if deep else folder.glob(REPORT_NAME)):
            for dataset in _report_datasets(report, key):
                _add(datasets, seen, dataset)
        # Every quarantine file, listed or not: a later run of the same input lists only
        # its own, and a killed run's work folder keeps one.
        pattern = f"quarantine/*{QUARANTINE_SUFFIX}"
        for quarantine in sorted(folder.rglob(pattern) if deep else folder.glob(pattern)):
            _add(datasets, seen, Dataset(path=str(quarantine), role="quarantine"))
    unsearched = sorted(p for p in recorded_inputs if os.path.realpath(p) not in raw_files)
    if unsearched:
        logger.warning(
            "%d raw input(s) the processing log says runs read (given with --input) are not "
            "among the config's sources and are not searched; list them under 'sources:' or "
            "erase from them by hand: %s",
            len(unsearched),
            ", ".join(unsearched),
        )
    copies = _decrypted_copies(config)
    if copies:
        logger.warning(
            "%d decrypted cop(ies) the processing log says `anonymise decrypt` wrote still "
            "exist and are not searched (they hold plain values of the people erased): "
            "delete them, or erase from them by hand: %s",
            len(copies),
            ", ".join(copies),
        )
    return tuple(datasets)


def recorded_output_folders(config: PipelineConfig, out_dir: Path) -> list[Path]:
    """The folders outside ``out_dir`` that this pipeline's succeeded runs published to
    (``run --output``), as the processing log says."""
    return _recorded_elsewhere(config, out_dir)[0]


def _recorded_elsewhere(config: PipelineConfig, out_dir: Path) -> tuple[list[Path], list[str]]:
    """From the processing log's succeeded runs of this pipeline: the folders outside
    ``out_dir`` that their outputs went to (``run --output``), and the raw inputs they
    read that still exist. Only absolute paths are used: a record keeps no run's
    folder. With records off there is no log, and nothing beyond ``out_dir`` is known."""
    if not config.records.enabled:
        return [], []
    log = log_path_of(config)
    if not log.is_file():
        return [], []
    folders: set[Path] = set()
    inputs: set[str] = set()
    inside = os.path.realpath(out_dir)
    for record in read_records(log):
        data = record.get("data")
        if record.get("kind") != "run" or record.get("status") != "succeeded":
            continue
        if record.get("pipeline") != config.pipeline:
            continue  # configs in one folder share a log: another pipeline's runs
        if not isinstance(data, dict):
            continue
        for output in _uris(data.get("outputs")):
            folder = os.path.realpath(os.path.dirname(output))
            if os.path.commonpath([folder, inside]) != inside:
                folders.add(Path(folder))
        inputs.update(path for path in _uris(data.get("inputs")) if os.path.isfile(path))
    return sorted(folders), sorted(inputs)


def _decrypted_copies(config: PipelineConfig) -> list[str]:
    """The decrypted copies this pipeline's log records (``kind: decryption``) that
    still exist: re-identified data, which an erasure must not leave unsaid."""
    log = log_path_of(config)
    if not config.records.enabled or not log.is_file():
        return []
    copies = {
        str(data.get("output"))
        for record in read_records(log)
        if record.get("kind") == "decryption" and record.get("pipeline") == config.pipeline
        if isinstance(data := record.get("data"), dict)
    }
    return sorted(path for path in copies if os.path.isfile(path))


def _uris(items: Any) -> list[str]:
    """The absolute local paths among a record's inputs or outputs."""
    if not isinstance(items, list):
        return []
    uris = [item.get("uri") for item in items if isinstance(item, dict)]
    return [u for u in uris if isinstance(u, str) and "://" not in u and os.path.isabs(u)]


def _add(datasets: list[Dataset], seen: set[str], dataset: Dataset) -> None:
    identity = dataset.path if "://" in dataset.path else os.path.realpath(dataset.path)
    if identity not in seen:
        seen.add(identity)
        datasets.append(dataset)


def _raw_dataset(path: str, source: SourceConfig) -> Dataset:
    return Dataset(
        path=path,
        role="raw",
        source_name=source.name,
        declared_identity=source.identity_columns,
    )


def _report_datasets(report_path: Path, key: SecretKey) -> list[Dataset]:
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
        inputs = published_inputs(report)
    except (OSError, ValueError, AttributeError) as exc:
        raise ConfigError(
            f"run report '{report_path}': cannot read it as a run report "
            f"({type(exc).__name__}); fix or move it so that erasure can search its outputs"
        ) from exc
    earlier = report.get("earlier_outputs", [])
    datasets: list[Dataset] = []
    quarantines: list[Dataset] = []
    for entry in [*inputs, *(earlier if isinstance(earlier, list) else [])]:
        quarantine = _recorded_file(entry.get("quarantine_file"), report_path.parent / "quarantine")
        if quarantine is not None:
            quarantines.append(Dataset(path=quarantine, role="quarantine"))
        output = _recorded_file(entry.get("output"), report_path.parent)
        if output is None:
            continue
        recorded = entry.get("phone_region")
        matchers = tuple(m for c in entry.get("columns", []) if (m := _column_matcher(c, recorded)))
        made_with = entry.get("key_id", report.get("key_id"))
        if any(m.token or m.encrypted for m in matchers) and made_with not in (
            None,
            key.key_id,
        ):
            raise KeyConfigError(
                f"run report '{report_path}': its outputs were pseudonymised or encrypted "
                f"with key {made_with} but the current key is {key.key_id}; erase with the "
                "key the outputs were made with (their tokens never match, nor do their "
                "encrypted values open, under another key)"
            )
        datasets.append(Dataset(path=output, role="output", report_matchers=matchers))
    return datasets + quarantines


def _recorded_file(recorded: Any, beside: Path) -> str | None:
    """A file a report records: in ``beside`` (the report's folder, or its
    ``quarantine`` subfolder), where a run publishes it, else at its recorded path if
    that is absolute; ``None`` if it is gone. A relative recorded path is relative to
    the folder the run ran from, which need not be this command's: read from here, it
    could name another pipeline's file."""
    if not isinstance(recorded, str) or not recorded:
        return None
    candidates = [beside / Path(recorded).name]
    if Path(recorded).is_absolute():
        candidates.append(Path(recorded))
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    return None


def _column_matcher(column: dict[str, Any], phone_region: Any) -> ColumnMatcher | None:
    """How to match one column a report lists; ``phone_region``: the run's, as the
    report records it (None in reports made before it was: their tokens read national
    numbers as British, their plain and encrypted values are read in the config's)."""
    kind = KIND_BY_ENTITY.get(column.get("entity") or "")
    if kind is None or column.get("output") is False:
        return None
    name, params = str(column["name"]), column.get("params") or {}
    # A CRM id's source is unknown once pseudonymised; request ids are matched in any CRM.
    if column.get("action") == "pseudonymise":
        token = TokenSpec(
            entity=str(column["entity"]),
            prefix=str(params.get("prefix", DEFAULT_PREFIX)),
            length=int(params.get("length", DEFAULT_LENGTH)),
            phone_region=str(phone_region or "GB"),
        )
        return ColumnMatcher(name, kind, token=token)
    # plain values (kept, or encrypted and opened) are read in the run's region as it
    # recorded it, else in the config's
    region = str(phone_region) if phone_region else None
    if column.get("action") == "keep":
        return ColumnMatcher(name, kind, phone_region=region)
    if column.get("action") == "encrypt":
        return ColumnMatcher(name, kind, encrypted=True, phone_region=region)
    return None
