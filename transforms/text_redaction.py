"""Text redaction: replace personal data *inside* free text (notes, comments).

Each entity has one Rust-regex pattern (``DEFAULT_PATTERNS``, the one table the
detector team extends), applied in table order: e-mails go first so that the digits of
``jane.07700900123@x.com`` are not taken for a phone number, IP addresses before phones
for the same reason. A match becomes ``<ENTITY>`` (mode ``label``) or the entity's
pseudonym (mode ``pseudonymise``), the very token the ``pseudonymise`` action gives the
same value in a column, so a note still joins to its contact. Tokens and labels contain
nothing a later pattern matches.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Final, Literal

import polars as pl
import pydantic

from anonymise.errors import ConfigError
from transforms.pseudonymise import (
    DEFAULT_LENGTH,
    DEFAULT_PREFIX,
    TokenLength,
    TokenPrefix,
    pseudonymise,
)
from transforms.registry import ActionContext, register

Mode = Literal["label", "pseudonymise"]

_PHONE_SEPARATOR: Final = r"[ .\-]?"
DEFAULT_PATTERNS: Final[Mapping[str, str]] = {
    # dots may repeat: exports hold addresses such as "x@mace-s.a.r.l..fr"
    "EMAIL_ADDRESS": r"[\w.%+\-]+@[\w\-]+(?:\.+[\w\-]+)*\.+[A-Za-z]{2,}",
    "IP_ADDRESS": (
        r"\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b"
        r"|\b(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}\b"
        r"|\b(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5}\b"
    ),
    # International (+44 ..., +1 (555) ...), an area code in brackets, or 9-15 digits
    # with single spaces, dots or hyphens between them.
    "PHONE_NUMBER": (
        rf"\+\d{{1,3}}{_PHONE_SEPARATOR}(?:\(\d{{1,5}}\){_PHONE_SEPARATOR})?"
        rf"\d(?:{_PHONE_SEPARATOR}\d){{5,13}}\b"
        rf"|\(\d{{2,5}}\){_PHONE_SEPARATOR}\d(?:{_PHONE_SEPARATOR}\d){{5,9}}\b"
        rf"|\b\d(?:{_PHONE_SEPARATOR}\d){{8,14}}\b"
    ),
    "POSTCODE": r"(?i)\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}\b",
}

_OPEN: Final = "\x01"
_CLOSE: Final = "\x02"
_WRAPPED_MATCH: Final = f"{_OPEN}[^{_OPEN}{_CLOSE}]*{_CLOSE}"


def redact_spans(
    expr: pl.Expr,
    *,
    patterns: Mapping[str, str] = DEFAULT_PATTERNS,
    mode: Mode = "label",
    ctx: ActionContext | None = None,
    prefix: str = DEFAULT_PREFIX,
    length: int = DEFAULT_LENGTH,
) -> pl.Expr:
    """Free text with every match of ``patterns`` (entity -> pattern, in order) replaced."""
    if mode == "pseudonymise" and ctx is None:
        raise ValueError("mode 'pseudonymise' needs a ctx with the key")
    # The wrapping characters must not occur in the text itself.
    text = expr.cast(pl.String).str.replace_all(f"[{_OPEN}{_CLOSE}]", "")
    for entity, pattern in patterns.items():
        if mode == "label":
            text = text.str.replace_all(pattern, f"<{entity}>")
        else:
            assert ctx is not None
            wrapped = text.str.replace_all(pattern, f"{_OPEN}${{0}}{_CLOSE}")
            text = _tokenise_wrapped(wrapped, entity=entity, ctx=ctx, prefix=prefix, length=length)
    return text.name.keep()


def _tokenise_wrapped(
    wrapped: pl.Expr, *, entity: str, ctx: ActionContext, prefix: str, length: int
) -> pl.Expr:
    def tokenise(texts: pl.Series) -> pl.Series:
        spans = texts.str.extract_all(_WRAPPED_MATCH).explode().drop_nulls().unique()
        if spans.is_empty():
            return texts
        spans = spans.str.strip_chars(_OPEN + _CLOSE)
        tokens = spans.to_frame("span").select(
            pseudonymise(pl.col("span"), key=ctx.key, entity=entity, prefix=prefix, length=length)
        )
        # Each text splits at the closing marks into pieces "plain text OPEN span"; a
        # piece becomes its plain text and the span's token.
        piece = pl.element().str.split_exact(_OPEN, 1)
        token = piece.struct.field("field_1").replace_strict(
            spans, tokens.to_series(), default=None
        )
        rebuilt = pl.concat_str(piece.struct.field("field_0"), token.fill_null(""))
        return texts.str.split(_CLOSE).list.eval(rebuilt).list.join("")

    # Free text is mostly distinct: no per-distinct step, the batch is worked as it is.
    return wrapped.map_batches(tokenise, return_dtype=pl.String, is_elementwise=True)


def patterns_for(entities: list[str] | None) -> dict[str, str]:
    """The default patterns of ``entities`` (all if None), in table order."""
    if entities is None:
        return dict(DEFAULT_PATTERNS)
    unknown = sorted(set(entities) - set(DEFAULT_PATTERNS))
    if unknown:
        raise ConfigError(
            f"action 'redact_text': param 'entities': no pattern for '{unknown[0]}'; "
            f"known entities: {', '.join(DEFAULT_PATTERNS)}"
        )
    return {entity: p for entity, p in DEFAULT_PATTERNS.items() if entity in entities}


@register("redact_text")
def redact_text_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    mode: Mode = "label",
    entities: Annotated[list[str], pydantic.Field(min_length=1)] | None = None,
    prefix: TokenPrefix = DEFAULT_PREFIX,
    length: TokenLength = DEFAULT_LENGTH,
) -> pl.Expr:
    return redact_spans(
        expr, patterns=patterns_for(entities), mode=mode, ctx=ctx, prefix=prefix, length=length
    )
