"""Fetching an input's bytes through fsspec, so local paths and URLs behave the same."""

from __future__ import annotations

import fsspec

from anonymise.errors import InputError


def read_raw_bytes(source: str) -> bytes:
    """The bytes of ``source`` exactly as stored (still compressed, if it is)."""
    try:
        with fsspec.open(source, "rb") as handle:
            data: bytes = handle.read()
    except FileNotFoundError as e:
        raise InputError(f"input '{source}': no such file; check the path") from e
    except IsADirectoryError as e:
        raise InputError(
            f"input '{source}': is a folder, not a file; give a file or a glob such as "
            f"'{source.rstrip('/')}/*.csv'"
        ) from e
    except PermissionError as e:
        raise InputError(
            f"input '{source}': permission denied; check the file's permissions or credentials"
        ) from e
    except ImportError as e:
        raise InputError(
            f"input '{source}': needs an fsspec plug-in that is not installed ({e}); "
            "install it and try again"
        ) from e
    except ValueError as e:
        # fsspec raises ValueError for an unknown protocol; its message holds only the URL.
        raise InputError(f"input '{source}': cannot be opened ({e}); check the URL") from e
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise InputError(f"input '{source}': cannot be read ({reason}); check the path") from e
    return data
