"""The secret key: where it comes from, what may be shown of it, and its sub-keys.

A key comes from exactly one source: an environment variable (default
``ANONYMISE_KEY``), a key file, or a Prefect Secret block. It is never read from the
pipeline config, never written anywhere and never generated: a missing or short key is
a ``KeyConfigError``. Values may be raw text, ``hex:...`` or ``base64:...`` and must
decode to at least ``MIN_KEY_BYTES`` bytes.

What may be shown is the key id (``SecretKey.key_id``), a one-way fingerprint. Each
use of the key (pseudonymise, fake, encrypt, blocklist, ...) gets its own sub-key from
``derive_key`` so that one purpose's output says nothing about another's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from anonymise.errors import KeyConfigError

MIN_KEY_BYTES = 32
DEFAULT_ENV_VAR = "ANONYMISE_KEY"
_KEY_ID_DOMAIN = b"anonymise/key-id"
_HOW_TO_SET = (
    "set the environment variable {env_var} to at least 32 random bytes "
    "(for example: export {env_var}=$(openssl rand -hex 32)) "
    "or name a key file (key: {{file: ...}}) or a Prefect Secret block "
    "(key: {{prefect_secret: ...}}) in the pipeline config"
)


@dataclass(frozen=True)
class SecretKey:
    """Key material that never shows itself: ``repr`` and ``str`` give the key id only."""

    material: bytes = field(repr=False)
    key_id: str = field(init=False)

    def __post_init__(self) -> None:
        if len(self.material) < MIN_KEY_BYTES:
            raise KeyConfigError(
                f"the key is {len(self.material)} bytes; at least {MIN_KEY_BYTES} are needed"
            )
        fingerprint = hashlib.sha256(_KEY_ID_DOMAIN + self.material).hexdigest()
        object.__setattr__(self, "key_id", "k-" + fingerprint[:12])


def load_key(
    *,
    env_var: str | None = DEFAULT_ENV_VAR,
    key_file: Path | None = None,
    prefect_secret_block: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> SecretKey:
    """Load the key from its one source; ``KeyConfigError`` if none, several or weak."""
    env_value = environ.get(env_var, "") if env_var else ""
    sources = [
        name
        for name, given in (
            (f"the environment variable {env_var}", bool(env_value.strip())),
            (f"the key file {key_file}", key_file is not None),
            (f"the Prefect Secret block {prefect_secret_block!r}", prefect_secret_block),
        )
        if given
    ]
    if len(sources) > 1:
        raise KeyConfigError(
            f"the key is given by {' and by '.join(sources)}; give exactly one source "
            "so that every run uses the same key"
        )
    if key_file is not None:
        return _key_from_text(_read_key_file(key_file), source=f"the key file {key_file}")
    if prefect_secret_block:
        return _key_from_text(
            _read_prefect_secret(prefect_secret_block),
            source=f"the Prefect Secret block {prefect_secret_block!r}",
        )
    if env_var and env_value.strip():
        return _key_from_text(env_value, source=f"the environment variable {env_var}")
    raise KeyConfigError("no key: " + _HOW_TO_SET.format(env_var=env_var or DEFAULT_ENV_VAR))


def derive_key(key: SecretKey | bytes, purpose: str, *, length: int = 32) -> bytes:
    """A sub-key for one purpose: HKDF-SHA256 with info ``b"anonymise/" + purpose``."""
    material = key.material if isinstance(key, SecretKey) else key
    if not purpose:
        raise ValueError("derive_key needs a purpose")
    return _hkdf(material, purpose, length)


@lru_cache(maxsize=64)
def _hkdf(material: bytes, purpose: str, length: int) -> bytes:
    info = b"anonymise/" + purpose.encode("utf-8")
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(material)


def decode_key_text(text: str, *, source: str) -> bytes:
    """Decode raw text, ``hex:...`` or ``base64:...``; errors name the source, not the key."""
    text = text.strip()
    scheme, _, payload = text.partition(":")
    try:
        if scheme == "hex" and payload:
            return bytes.fromhex(payload.strip())
        if scheme == "base64" and payload:
            return base64.b64decode(payload.strip(), validate=True)
    except (ValueError, binascii.Error):
        raise KeyConfigError(
            f"the key in {source} starts with '{scheme}:' but is not valid {scheme}"
        ) from None
    return text.encode("utf-8")


def _key_from_text(text: str, *, source: str) -> SecretKey:
    material = decode_key_text(text, source=source)
    if len(material) < MIN_KEY_BYTES:
        raise KeyConfigError(
            f"the key in {source} decodes to {len(material)} bytes; at least "
            f"{MIN_KEY_BYTES} random bytes are needed (for example: openssl rand -hex 32)"
        )
    return SecretKey(material)


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyConfigError(f"the key file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as e:
        raise KeyConfigError(
            f"the key file {path} cannot be read ({type(e).__name__}); it must hold the key "
            "as text, hex:... or base64:..."
        ) from None


def _read_prefect_secret(block_name: str) -> str:
    try:
        from prefect.blocks.system import Secret

        # _sync (added by Prefect's async_dispatch): we are synchronous even in an
        # async flow, where a bare load() would hand back a coroutine.
        load: Any = Secret.load
        block = load(block_name, _sync=True)
        value = block.get()
    except Exception as e:
        raise KeyConfigError(
            f"the Prefect Secret block {block_name!r} could not be loaded "
            f"({type(e).__name__}); create it with the key as its value or use another source"
        ) from e
    if not isinstance(value, str):
        raise KeyConfigError(
            f"the Prefect Secret block {block_name!r} holds a {type(value).__name__}, "
            "not the key as text"
        )
    return value
