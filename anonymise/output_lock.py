"""One run or erasure at a time in an output folder, and what killed ones left there.

A run holds ``<output.dir>/.anonymise.lock`` from before it stages until it has
published; an erasure holds it while it searches and rewrites. So an erasure cannot
miss outputs a run publishes after its search, nor a run publish, from rows it staged
before, a person erased meanwhile. While the lock is held no other process works in the
folder, so a run's work folder found there is a killed run's: it holds staged rows,
quarantined raw rows and outputs, and is removed.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final, Literal

from filelock import FileLock, Timeout

from anonymise.errors import ConfigError, RunError

LOCK_NAME: Final = ".anonymise.lock"
JOURNALS_LOCK_NAME: Final = ".anonymise-journals.lock"
WORK_PREFIX: Final = ".anonymise-work-"

logger = logging.getLogger("anonymise.output_lock")


@contextmanager
def holding_output_dir(out: Path, *, timeout: float) -> Iterator[None]:
    """Hold ``out``'s lock (waiting up to ``timeout`` seconds for another run or
    erasure), and remove killed runs' work folders: a run makes its own once it holds
    the lock, so any found then is a killed run's."""
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out, out / LOCK_NAME, timeout):
        removed = [folder for folder in sorted(out.glob(f"{WORK_PREFIX}*")) if folder.is_dir()]
        for folder in removed:
            shutil.rmtree(folder, ignore_errors=True)
        if removed:
            logger.warning(
                "removed %d work folder(s) a killed run left in %s (they held personal data)",
                len(removed),
                out,
            )
        yield


@contextmanager
def holding_journals(out: Path, *, timeout: float) -> Iterator[None]:
    """Hold the lock on the publishing journals in ``out``, a config's output folder
    (``anonymise.publishing``). An erasure holds it, with the folder's own lock, from
    before it lists them until it ends; a run that publishes elsewhere (``run
    --output``) from before it takes its own folder's lock until it has written its
    journal here. So such a run started while an erasure works waits for it (and stages
    once the blocklist has the people), and every run an erasure does not wait for has
    said where it publishes. A run into ``out`` itself needs it not: it holds ``out``'s
    own lock."""
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out, out / JOURNALS_LOCK_NAME, timeout):
        yield


@contextmanager
def _locked(out: Path, path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock file ``path`` of the output folder ``out``."""
    lock = FileLock(path, timeout=timeout)
    try:
        _acquire(lock, out, timeout)
    except Timeout:
        raise RunError(
            f"output folder '{out}': another run or erasure still works in it after "
            f"{timeout:g} s ({path}); try again when it has finished, or raise "
            "output.lock_timeout"
        ) from None
    except OSError as exc:  # a lock file another user left, a read-only folder
        raise ConfigError(
            f"output folder '{out}': cannot take its lock {path} "
            f"({exc.strerror or type(exc).__name__}); give the folder, and that file, to the "
            "user who runs the pipeline"
        ) from exc
    try:
        yield
    finally:
        lock.release()


def _acquire(lock: FileLock, out: Path, timeout: float) -> None:
    """Take the lock, saying so in the log when another holds it: a wait can be long."""
    try:
        lock.acquire(timeout=0)
    except Timeout:
        logger.info(
            "output folder %s: waiting up to %g s for another run or erasure to finish (%s)",
            out,
            timeout,
            lock.lock_file,
        )
        lock.acquire(timeout=timeout)


LockState = Literal["free", "held", "unknown"]


def lock_state(out: Path) -> LockState:
    """Whether a run or erasure holds ``out``'s lock now: ``free`` (no lock file counts
    as free; none is made to find out), ``held``, or ``unknown`` when this user cannot
    open the lock file (another user's, a read-only folder)."""
    path = out / LOCK_NAME
    if not path.exists():
        return "free"
    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        return "held"
    except OSError:
        return "unknown"
    lock.release()
    return "free"
