"""Identifiers masked for a terminal: enough to recognise, too little to copy."""

from __future__ import annotations

import polars as pl

from anonymise.suppression.identifiers import Identifier, IdentifierKind, normalise_identifier


def masked_identifier(identifier: Identifier, *, phone_region: str = "GB") -> str:
    """``j***@example.com``, ``+44******0123``, ``keap:***42``."""
    value = pl.select(
        normalise_identifier(
            pl.lit(identifier.value, dtype=pl.String), identifier.kind, phone_region=phone_region
        )
    ).item()
    text = str(value or "")
    if identifier.kind is IdentifierKind.EMAIL:
        local, at, domain = text.rpartition("@")
        return f"{local[:1]}***@{domain}" if at and local else "***"
    if identifier.kind is IdentifierKind.PHONE:
        if len(text) >= 10:
            return text[:3] + "*" * (len(text) - 7) + text[-4:]
        return "***" + text[-2:] if len(text) >= 6 else "***"
    return f"{identifier.source}:" + ("***" + text[-2:] if len(text) >= 6 else "***")
