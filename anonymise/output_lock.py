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
import os
import shutil
import time
from collections.abc import Callable, Iterator
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
def holding_output_dir(out: Path, *, timeout: float, said: float | None = None) -> Iterator[None]:
    """Hold ``out``'s lock (waiting up to ``timeout`` seconds for another run or
    erasure; ``said``: the whole wait's, as messages give it), and remove killed runs'
    work folders: a run makes its own once it holds the lock, so any found then is a
    killed run's."""
    with _holding(out, LOCK_NAME, timeout, said=said):
        _remove_killed_work(out)
        yield


@contextmanager
def holding_output_dir_said(
    out: Path, home: Path, *, timeout: float, say: Callable[[], object]
) -> Iterator[None]:
    """``holding_output_dir(out)`` for a run that publishes outside its config's output
    folder ``home`` (``run --output``): ``out``'s lock is taken, and ``say`` called (the
    run writes its journal in ``home``), under ``home``'s journals lock
    (``holding_journals``). That lock is never held while ``out``'s is waited for: if
    ``out`` is busy, this waits for it holding nothing, then tries again, so runs into
    other folders do not wait behind this one."""
    out.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    lock = FileLock(out / LOCK_NAME)
    while True:
        left = max(0.0, deadline - time.monotonic())
        with holding_journals(home, timeout=left, said=timeout):
            try:
                if _taken_at_once(lock, out):
                    _remove_killed_work(out)
                    say()
                    break
            except BaseException:
                if lock.is_locked:
                    lock.release()
                raise
        try:  # busy: wait for it holding nothing, then again
            _take(lock, out, max(0.0, deadline - time.monotonic()), said=timeout)
        finally:
            if lock.is_locked:
                lock.release()
    try:
        yield
    finally:
        lock.release()


@contextmanager
def holding_journals(out: Path, *, timeout: float, said: float | None = None) -> Iterator[None]:
    """Hold the lock on the publishing journals in ``out``, a config's output folder
    (``anonymise.publishing``). An erasure holds it, with the folder's own lock, from
    before it lists them until it ends; a run that publishes elsewhere (``run
    --output``) while it takes its own folder's lock and writes its journal here
    (``holding_output_dir_said``). So such a run started while an erasure works waits
    for it (and stages once the blocklist has the people), and every run an erasure
    does not wait for has said where it publishes. A run into ``out`` itself needs it
    not: it holds ``out``'s own lock."""
    with _holding(out, JOURNALS_LOCK_NAME, timeout, said=said):
        yield


@contextmanager
def _holding(out: Path, name: str, timeout: float, *, said: float | None = None) -> Iterator[None]:
    """Hold the lock file ``name`` of the output folder ``out`` (see ``_take``)."""
    out.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out / name)
    _take(lock, out, timeout, said=said)
    try:
        yield
    finally:
        lock.release()


def _remove_killed_work(out: Path) -> None:
    removed = [folder for folder in sorted(out.glob(f"{WORK_PREFIX}*")) if folder.is_dir()]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    if removed:
        logger.warning(
            "removed %d work folder(s) a killed run left in %s (they held personal data)",
            len(removed),
            out,
        )


def _taken_at_once(lock: FileLock, out: Path) -> bool:
    """Whether ``lock`` (of the output folder ``out``) was free, and is now held."""
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
    except OSError as exc:
        raise _unopenable(out, lock, exc) from exc
    return True


def _take(lock: FileLock, out: Path, timeout: float, *, said: float | None = None) -> None:
    """Take ``lock``, a lock file of the output folder ``out``, saying so in the log
    when another holds it (a wait can be long); ``said``: the whole wait's timeout, as
    the messages give it, when ``timeout`` is what is left of it."""
    if _taken_at_once(lock, out):
        return
    whole = timeout if said is None else said
    logger.info(
        "output folder %s: waiting up to %g s for another run or erasure to finish (%s)",
        out,
        whole,
        lock.lock_file,
    )
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise RunError(
            f"output folder '{out}': another run or erasure still works in it after "
            f"{whole:g} s ({lock.lock_file}); try again when it has finished, or raise "
            "output.lock_timeout"
        ) from None
    except OSError as exc:
        raise _unopenable(out, lock, exc) from exc


def _unopenable(out: Path, lock: FileLock, exc: OSError) -> ConfigError:
    """A lock file another user left, or a read-only folder."""
    return ConfigError(
        f"output folder '{out}': cannot take its lock {lock.lock_file} "
        f"({exc.strerror or type(exc).__name__}); give the folder, and that file, to the "
        "user who runs the pipeline"
    )


def lock_order(folder: Path) -> tuple[int, int]:
    """Where ``folder``'s lock comes in the one order every erasure takes its locks in:
    the folder's identity (device, inode), the same however it is reached; a folder
    that does not exist (its lock would make it) comes last."""
    try:
        found = os.stat(folder)
    except OSError:
        return (2**63, 0)
    return (found.st_dev, found.st_ino)


def same_folder(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` are one folder, however each is reached (a relative path,
    a link, a bind mount): their locks are then one file."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one does not exist (yet)
        return a.resolve() == b.resolve()


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
