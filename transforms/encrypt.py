"""Encrypt: reversible, deterministic AES-SIV, for whoever holds the key.

The AES-SIV key (512 bits, so AES-256) is HKDF-derived from the master key with info
``b"anonymise/encrypt"``. The same value gives the same ciphertext, so joins still
work; ``decrypt_values`` gives the values back. Output is ``enc_`` + unpadded URL-safe
base64. Python encrypts once per distinct value.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from typing import Final

import polars as pl
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

from anonymise.errors import InputError, KeyConfigError
from anonymise.keys import derive_key
from transforms.distinct import map_distinct
from transforms.normalise import normaliser_for
from transforms.registry import ActionContext, register

PURPOSE: Final = "encrypt"
PREFIX: Final = "enc_"
_SIV_KEY_BYTES: Final = 64
_SIV_TAG_BYTES: Final = 16
_URLSAFE_BASE64: Final = re.compile(r"[A-Za-z0-9_\-]+")


def encrypt(
    expr: pl.Expr,
    *,
    key: bytes,
    entity: str | None = None,
    normalise: bool = False,
    phone_region: str = "GB",
) -> pl.Expr:
    """``enc_...`` for each value; null stays null and ``""`` stays ``""``.

    ``normalise=True`` encrypts the entity-normalised value, so spellings of one value
    agree; by default the exact value is kept so decryption gives it back as it was.
    """
    cipher = _cipher(key)
    text = (
        normaliser_for(entity, phone_region=phone_region)(expr)
        if normalise
        else expr.cast(pl.String)
    )

    def encrypt_one(value: str) -> str:
        if value == "":
            return ""
        sealed = cipher.encrypt(value.encode("utf-8"), None)
        return PREFIX + base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    return map_distinct(text, encrypt_one)


def encrypt_values(values: Iterable[str | None], *, key: bytes) -> list[str | None]:
    """``encrypt`` for plain Python values."""
    series = pl.Series("value", list(values), dtype=pl.String)
    return series.to_frame().select(encrypt(pl.col("value"), key=key)).to_series().to_list()


def decrypt_values(values: Iterable[str | None], key: bytes) -> list[str | None]:
    """The plain values behind ``enc_...`` tokens; null and ``""`` pass through.

    ``KeyConfigError`` if a token was made with another key, ``InputError`` if an item is
    not a token at all; messages give the item's position, never its content.
    """
    cipher = _cipher(key)
    plain: list[str | None] = []
    for position, value in enumerate(values):
        if value is None or value == "":
            plain.append(value)
            continue
        if not value.startswith(PREFIX):
            raise InputError(f"item {position} is not an encrypted value (no '{PREFIX}' prefix)")
        sealed = _sealed_bytes(value[len(PREFIX) :])
        if sealed is None:
            raise InputError(f"item {position} is not a well-formed encrypted value")
        try:
            plain.append(cipher.decrypt(sealed, None).decode("utf-8"))
        except InvalidTag:
            raise KeyConfigError(
                f"item {position} was encrypted with another key, or altered since; use the key "
                "it was made with"
            ) from None
    return plain


def _sealed_bytes(payload: str) -> bytes | None:
    if not _URLSAFE_BASE64.fullmatch(payload):
        return None
    try:
        sealed = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except ValueError:
        return None
    return sealed if len(sealed) >= _SIV_TAG_BYTES else None


def _cipher(key: bytes) -> AESSIV:
    return AESSIV(derive_key(key, PURPOSE, length=_SIV_KEY_BYTES))


@register("encrypt")
def encrypt_action(expr: pl.Expr, *, ctx: ActionContext, normalise: bool = False) -> pl.Expr:
    return encrypt(
        expr, key=ctx.key, entity=ctx.entity, normalise=normalise, phone_region=ctx.phone_region
    )
