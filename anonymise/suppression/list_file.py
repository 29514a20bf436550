"""The suppression list file: JSON Lines of keyed hashes, changed atomically under a lock.

One ``SuppressionEntry`` per line, for example::

    {"kind":"email","hash":"9f2c...","reason":"erasure","added_at":"2025-01-31T09:00:00Z","key_id":"k-3b1a..."}
    {"kind":"crm_id","source":"keap","hash":"41d0...","reason":"manual","added_at":"...","key_id":"k-3b1a..."}

Every change takes a ``FileLock`` on ``<file>.lock``, rereads the file, and replaces it
whole (temp file in the same folder + ``os.replace``), so a reader sees the old list or
the new one and two writers never lose each other's entries. A list holding any entry
made under another key is refused: its hashes could never match.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from pydantic import ValidationError

from anonymise.errors import ConfigError, InputError, KeyConfigError, RunError
from anonymise.io.atomic import replace_text
from anonymise.keys import SecretKey
from anonymise.suppression.entries import EntryKey, SuppressionEntry
from anonymise.suppression.hashes import SuppressionHashes
from anonymise.suppression.identifiers import (
    Identifier,
    Reason,
    digest_identifiers,
    normalise_source,
)


@dataclass(frozen=True)
class AddOutcome:
    added: int
    already_present: int


@dataclass(frozen=True)
class RemoveOutcome:
    removed: int
    not_found: int


@dataclass(frozen=True)
class SuppressionList:
    """The list at ``path``, read and changed with ``key``."""

    path: Path
    key: SecretKey
    phone_region: str = "GB"
    lock_timeout: float = 60.0

    def entries(self) -> tuple[SuppressionEntry, ...]:
        """Every entry, oldest first; a missing file is an empty list."""
        return _read_entries(self.path, self.key)

    def hashes(self) -> SuppressionHashes:
        return SuppressionHashes.from_entries(self.entries(), key_id=self.key.key_id)

    def lookup(self, identifiers: Sequence[Identifier]) -> list[SuppressionEntry | None]:
        """The entry of each identifier, or ``None`` where it is not on the list."""
        by_key = {entry.entry_key: entry for entry in self.entries()}
        return [by_key.get(key) for key in self._entry_keys(identifiers)]

    def add(
        self, identifiers: Sequence[Identifier], *, reason: Reason, now: datetime | None = None
    ) -> AddOutcome:
        """Add what is not on the list yet; what is there already keeps its entry, but
        for its reason when this is an erasure: the list must show that the person was
        erased (a rerun of the erasure tells so by it), not that they once objected."""
        keys = self._entry_keys(identifiers)
        added_at = (now or datetime.now(UTC)).replace(microsecond=0)
        with self._locked():
            entries = list(_read_entries(self.path, self.key))
            present = {entry.entry_key for entry in entries}
            changed = False
            if reason is Reason.ERASURE:
                wanted = set(keys)
                for position, entry in enumerate(entries):
                    if entry.entry_key in wanted and entry.reason is not Reason.ERASURE:
                        entries[position] = entry.model_copy(update={"reason": reason})
                        changed = True
            added = 0
            for kind, source, digest in keys:
                if (kind, source, digest) in present:
                    continue
                present.add((kind, source, digest))
                entries.append(
                    SuppressionEntry(
                        kind=kind,
                        source=source,
                        hash=digest,
                        reason=reason,
                        added_at=added_at,
                        key_id=self.key.key_id,
                    )
                )
                added += 1
            if added or changed:
                _write_entries(self.path, entries)
        return AddOutcome(added=added, already_present=len(keys) - added)

    def remove(self, identifiers: Sequence[Identifier]) -> RemoveOutcome:
        """Delete the entries with these identifiers' hashes."""
        wanted = set(self._entry_keys(identifiers))
        with self._locked():
            entries = _read_entries(self.path, self.key)
            kept = [entry for entry in entries if entry.entry_key not in wanted]
            found = {entry.entry_key for entry in entries} & wanted
            if len(kept) < len(entries):
                _write_entries(self.path, kept)
        # a line a hand doubled goes with its twin, and is one identifier removed
        return RemoveOutcome(removed=len(found), not_found=len(wanted) - len(found))

    def _entry_keys(self, identifiers: Sequence[Identifier]) -> list[EntryKey]:
        digests = digest_identifiers(identifiers, key=self.key, phone_region=self.phone_region)
        keys = []
        for position, (identifier, digest) in enumerate(zip(identifiers, digests, strict=True)):
            if digest is None:
                raise InputError(
                    f"identifier {position + 1} ({identifier.kind.value}) is blank; "
                    "give a value or leave it out"
                )
            source = normalise_source(identifier.source) if identifier.source else None
            keys.append((identifier.kind, source, digest))
        return keys

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        real = Path(os.path.realpath(self.path))  # one lock for a list reached by links
        lock_path = real.with_name(real.name + ".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunError(
                f"suppression list '{self.path}': cannot create its folder ({exc.strerror})"
            ) from exc
        try:
            with FileLock(lock_path, timeout=self.lock_timeout):
                yield
        except Timeout as exc:
            raise RunError(
                f"suppression list '{self.path}': still locked by another process after "
                f"{self.lock_timeout:g} s ({lock_path}); try again when it has finished"
            ) from exc


def _read_entries(path: Path, key: SecretKey) -> tuple[SuppressionEntry, ...]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"suppression list '{path}': cannot read it ({type(exc).__name__})"
        ) from exc
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        entries.append(_parse_line(line, path=path, number=number))
    other_keys = sorted({e.key_id for e in entries} - {key.key_id})
    if other_keys:
        raise KeyConfigError(
            f"suppression list '{path}' was made with key {', '.join(other_keys)} but the "
            f"current key is {key.key_id}; run with the key the list was made with "
            "(its hashes never match under another key)"
        )
    return tuple(entries)


def _parse_line(line: str, *, path: Path, number: int) -> SuppressionEntry:
    # Messages name the line and field, never the line's text.
    try:
        fields = json.loads(line)
        return SuppressionEntry.model_validate(fields)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"suppression list '{path}', line {number}: not valid JSON; fix or remove the line"
        ) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "extra_forbidden":
            # a field the list never writes: its name, written by hand, may be a value
            place = list(fields).index(first["loc"][0]) + 1
            raise ConfigError(
                f"suppression list '{path}', line {number}: field {place} is not one the list "
                f"has ({', '.join(SuppressionEntry.model_fields)}); remove it"
            ) from exc
        where = ".".join(str(part) for part in first["loc"]) or "(entry)"
        raise ConfigError(
            f"suppression list '{path}', line {number}, field '{where}': {first['msg']}"
        ) from exc


def _write_entries(path: Path, entries: Sequence[SuppressionEntry]) -> None:
    payload = "".join(entry.to_line() + "\n" for entry in entries)
    try:
        replace_text(path, payload)
    except OSError as exc:
        raise RunError(
            f"suppression list '{path}': cannot write it ({exc.strerror}); it is unchanged"
        ) from exc
