"""The one error tree of the engine.

Every error the engine raises on purpose derives from ``AnonymiseError``; the CLI maps
each branch to an exit code. Messages say the rule, where (file, row, column, config
key) and what to do. They never contain a cell's value.

    AnonymiseError
    ├── UsageError                  exit 2: bad usage, config or input; nothing written
    │   ├── ConfigError             the pipeline config (file, key)
    │   ├── PlanError               a plan file, or a plan that does not fit its input
    │   ├── KeyConfigError          a missing, short or mismatched key
    │   └── InputError              an input that cannot be read at all
    │       └── InputUnavailable    its storage failed or it changed while read: retried
    ├── RunError                    exit 1: the run failed after it started
    │   └── OutputError             an output could not be written
    └── VerificationRefused         exit 3: verification refused to publish
"""

from __future__ import annotations

import errno


class AnonymiseError(Exception):
    """Base of every error the engine raises on purpose."""

    exit_code: int = 1


class UsageError(AnonymiseError):
    """Bad usage, config or input, found before anything was written."""

    exit_code = 2


class ConfigError(UsageError):
    """The pipeline config breaks a rule; the message names the file and key."""


class PlanError(UsageError):
    """A plan file is invalid or was made for another input."""


class KeyConfigError(UsageError):
    """A secret key is missing, too short, or not the key a file was made with."""


class InputError(UsageError):
    """An input file is missing, empty, binary, header-only or in an unreadable encoding."""


class InputUnavailable(InputError):
    """An input could not be read for a reason outside its content: the storage failed
    (an I/O error, a broken connection) or the file changed while it was read. Worth
    trying again, unlike an input whose content is refused."""


class RunError(AnonymiseError):
    """The run failed after it started; nothing was published."""

    exit_code = 1


class OutputError(RunError):
    """An output file could not be written."""


class VerificationRefused(AnonymiseError):
    """Verification found personal data where none may be; nothing was published."""

    exit_code = 3

    def __init__(self, message: str, *, report: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.report = report
        """The refused run's report (counts and names, never values), if it was made."""


_OUT_OF_SPACE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
# how Polars and pyarrow say it in an error of their own (ComputeError, ArrowIOError)
_OUT_OF_SPACE_SAID = ("No space left on device", "os error 28", "Disk quota exceeded")


def out_of_space(exc: BaseException) -> bool:
    """Whether ``exc`` is a full disk or a spent quota, however the library says it:
    what the user can mend, and a message that quotes no value."""
    if isinstance(exc, OSError) and exc.errno in _OUT_OF_SPACE_ERRNOS:
        return True
    return any(said in str(exc) for said in _OUT_OF_SPACE_SAID)
