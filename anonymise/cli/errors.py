"""Turn the engine's errors into one line on stderr and the documented exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

from anonymise.errors import AnonymiseError, out_of_space

T = TypeVar("T")

INTERNAL_ERROR_EXIT = 1


def fail(message: str, code: int) -> NoReturn:
    """Print one line to stderr and exit."""
    print(f"anonymise: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def guarded(action: Callable[[], T], *, aftermath: str = "nothing was published") -> T:
    """Run a command body; known errors exit with their code, unknown ones say no more
    than their type (an exception text may quote a cell value). ``aftermath`` says what
    an interruption or an internal error leaves behind."""
    try:
        return action()
    except AnonymiseError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fail(f"interrupted; {aftermath}", 130)
    except Exception as exc:
        if os.environ.get("ANONYMISE_DEBUG") == "1":
            raise
        if out_of_space(exc):
            fail(
                f"no space left on the device (a full disk or a spent quota); {aftermath}. "
                "Free some space and try again",
                INTERNAL_ERROR_EXIT,
            )
        fail(
            f"internal error ({type(exc).__name__}); {aftermath}. Rerun with "
            "ANONYMISE_DEBUG=1 to see the traceback (it may contain data values)",
            INTERNAL_ERROR_EXIT,
        )
