"""Undoing gzip and zip, so every reader sees the plain file."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib

from anonymise.errors import InputError
from anonymise.io.formats import compression_of, strip_compression
from anonymise.io.raw_bytes import RawBytes


def decompress(source: str, name: str, data: RawBytes) -> tuple[str, RawBytes]:
    """The plain file inside ``data``: its name (which decides the format) and its bytes.

    A file that is not compressed comes back unchanged.
    """
    compression = compression_of(name)
    if compression == "gzip":
        return strip_compression(name), _gunzip(source, data)
    if compression == "zip":
        return _unzip_single_member(source, data)
    return name, data


def _gunzip(source: str, data: RawBytes) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(
            f"input '{source}': is not a valid gzip file or is truncated; "
            "download or export it again"
        ) from e


def _is_data_member(info: zipfile.ZipInfo) -> bool:
    """False for folders and the metadata that macOS and others add to archives."""
    base = info.filename.rsplit("/", 1)[-1]
    return not (info.is_dir() or info.filename.startswith("__MACOSX/") or base.startswith("."))


def _unzip_single_member(source: str, data: RawBytes) -> tuple[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if _is_data_member(info)]
            if not members:
                raise InputError(
                    f"input '{source}': the zip archive holds no data file; "
                    "put exactly one data file in it"
                )
            if len(members) > 1:
                names = ", ".join(info.filename for info in members[:5])
                more = ", ..." if len(members) > 5 else ""
                raise InputError(
                    f"input '{source}': the zip archive holds {len(members)} files "
                    f"({names}{more}); put exactly one data file in each archive, "
                    "or unzip it and list the files as inputs"
                )
            member = members[0]
            return member.filename.rsplit("/", 1)[-1], archive.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise InputError(
            f"input '{source}': is not a valid zip file or is truncated; "
            "download or export it again"
        ) from e
    except RuntimeError as e:
        # zipfile raises RuntimeError for encrypted members.
        raise InputError(
            f"input '{source}': the zip archive is password-protected; "
            "export it again without a password"
        ) from e
    except NotImplementedError as e:
        raise InputError(
            f"input '{source}': the zip archive uses an unsupported compression method; "
            "re-create it with standard (deflate) compression"
        ) from e
