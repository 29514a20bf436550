"""What can be suppressed, and the one keyed hash of it.

An identifier is an e-mail address, a phone number or a CRM id (ids are per CRM, so a
CRM id carries its source's name). The list stores the HMAC-SHA256 of the normalised
value under the ``suppression`` sub-key; ``identifier_digest`` is that hash as a Polars
expression, and ``digest_identifiers`` runs the very same expression on plain values,
so a list entry and a data frame cell can never disagree on normalisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

import polars as pl

from anonymise.errors import InputError
from anonymise.keys import SecretKey, derive_key
from transforms.keyed_hash import hmac_sha256_hex, hmac_sha256_hex_values
from transforms.normalise import normalise_email, normalise_phone, normalise_text

PURPOSE: Final = "suppression"


class IdentifierKind(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    CRM_ID = "crm_id"


class Reason(StrEnum):
    """Why an identifier is on the list, in precedence order: a row matching entries of
    several reasons is counted once, under the first."""

    ERASURE = "erasure"
    OBJECTION = "objection"
    OPT_OUT = "opt_out"
    MANUAL = "manual"


DOMAIN_REASON: Final = "domain"
"""The count key of rows dropped because their e-mail domain is blocked."""

REASON_ORDER: Final[tuple[str, ...]] = (*(r.value for r in Reason), DOMAIN_REASON)


@dataclass(frozen=True)
class Identifier:
    """One identifier as a user typed it; ``repr`` hides the value."""

    kind: IdentifierKind
    value: str = field(repr=False)
    source: str | None = None

    def __post_init__(self) -> None:
        if (self.kind is IdentifierKind.CRM_ID) != (self.source is not None):
            raise ValueError("a CRM id needs its source name, and only a CRM id has one")


def normalise_source(source: str) -> str:
    """CRM source names compare stripped and lower-cased (``Keap`` is ``keap``)."""
    return source.strip().lower()


_EMAIL_SHAPE: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MIN_PHONE_DIGITS: Final = 7


def identifier_problem(identifier: Identifier) -> str | None:
    """Why ``identifier`` cannot be what its kind says (a mistyped or swapped cell, which
    would never match a row), or ``None``. Never quotes the value."""
    value = identifier.value.strip()
    if identifier.kind is IdentifierKind.EMAIL and not _EMAIL_SHAPE.fullmatch(value):
        return "not an e-mail address (name@domain.tld); correct it"
    digits = sum(char.isdigit() for char in value)
    if identifier.kind is IdentifierKind.PHONE and digits < _MIN_PHONE_DIGITS:
        return f"not a phone number (fewer than {_MIN_PHONE_DIGITS} digits); correct it"
    return None


def names_unknown_source(identifier: Identifier, sources: Iterable[str | None]) -> bool:
    """Whether ``identifier`` is a CRM id of a source none of ``sources`` (the config's
    source names) is: it could never match a row, and its source, written in plain on
    the list and in reports, might be anything, even a person's address."""
    if identifier.source is None:
        return False
    known = {normalise_source(name) for name in sources if name}
    return normalise_source(identifier.source) not in known


def suppression_sub_key(key: SecretKey) -> bytes:
    return derive_key(key, PURPOSE)


def normalise_identifier(expr: pl.Expr, kind: IdentifierKind, *, phone_region: str) -> pl.Expr:
    """E-mail: strip + lower-case; phone: E.164; CRM id: strip."""
    if kind is IdentifierKind.EMAIL:
        return normalise_email(expr)
    if kind is IdentifierKind.PHONE:
        return normalise_phone(expr, default_region=phone_region)
    return normalise_text(expr)


def identifier_digest(
    expr: pl.Expr, kind: IdentifierKind, *, sub_key: bytes, phone_region: str
) -> pl.Expr:
    """Hex HMAC of the normalised value; null and blank values give null (never match)."""
    normalised = normalise_identifier(expr, kind, phone_region=phone_region)
    # Matching the blank value's digest (known in advance) keeps this one chain:
    # Polars would normalise twice for a `when` on the normalised value.
    blank_digest = hmac_sha256_hex_values([""], sub_key=sub_key)[0]
    return hmac_sha256_hex(normalised, sub_key=sub_key).replace(blank_digest, None)


def digest_identifiers(
    identifiers: Sequence[Identifier], *, key: SecretKey, phone_region: str
) -> list[str | None]:
    """The list hash of each identifier (``None`` where the value is blank)."""
    sub_key = suppression_sub_key(key)
    digests: list[str | None] = [None] * len(identifiers)
    for kind in IdentifierKind:
        positions = [i for i, ident in enumerate(identifiers) if ident.kind is kind]
        if not positions:
            continue
        values = pl.Series("v", [identifiers[i].value for i in positions], dtype=pl.String)
        hashed = pl.select(
            identifier_digest(pl.lit(values), kind, sub_key=sub_key, phone_region=phone_region)
        ).to_series()
        for position, digest in zip(positions, hashed.to_list(), strict=True):
            digests[position] = digest
    return digests


def identifiers_in_row(row: Mapping[str, str | None], *, where: str) -> list[Identifier]:
    """The identifiers of one CSV row with columns email, phone, crm_id and source (any
    may be empty or missing). ``where`` names the file and row for the error message."""
    email, phone = (row.get("email") or "").strip(), (row.get("phone") or "").strip()
    crm_id, source = (row.get("crm_id") or "").strip(), (row.get("source") or "").strip()
    identifiers: list[Identifier] = []
    if email:
        identifiers.append(Identifier(IdentifierKind.EMAIL, email))
    if phone:
        identifiers.append(Identifier(IdentifierKind.PHONE, phone))
    for identifier in identifiers:
        if problem := identifier_problem(identifier):
            raise InputError(f"{where}, column '{identifier.kind.value}': {problem}")
    if crm_id:
        if not source:
            raise InputError(
                f"{where}, column 'source': a crm_id needs the name of its CRM "
                "(the source's name in the config, e.g. keap)"
            )
        identifiers.append(Identifier(IdentifierKind.CRM_ID, crm_id, source))
    return identifiers
