"""Generalise: replace a value by a coarser one that many people share.

| to | input | output |
|---|---|---|
| year, year_month | a date (see ``dates.parse_date``) | ``1984``, ``1984-07`` |
| age_band | a date of birth | ``30-39`` at ``reference_date`` (``width``; ``top`` gives ``90+``) |
| outward_code | a postcode | UK ``SW1A 1AA`` -> ``SW1A``; numeric codes -> first 2 digits |
| decimals | a coordinate or ``lat, lon`` (text or number) | rounded to ``decimals``, as text |
| bucket | a number (text or number) | ``1000-1999`` for ``width`` 1000 |

Numeric codes: ``75001``, ``1010``, ``90210-1234``, Dutch ``1012 AB``, Polish ``00-950``,
Portuguese ``1000-001``; a Canadian one keeps its first half (``K1A 0B1`` -> ``K1A``), an
Irish Eircode its routing key (``D02 X285`` -> ``D02``).
All outputs are text. A value that cannot be read becomes null; null stays null and a
blank value stays ``""``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Final, Literal

import polars as pl
import pydantic

from anonymise.errors import ConfigError
from transforms.dates import parse_date
from transforms.distinct import map_distinct_expr
from transforms.normalise import as_text
from transforms.registry import ActionContext, register

Target = Literal["year", "year_month", "age_band", "outward_code", "decimals", "bucket"]
PositiveInt = Annotated[int, pydantic.Field(gt=0)]
Decimals = Annotated[int, pydantic.Field(ge=0, le=10)]
# YAML gives a date; JSON or the CLI give ISO text: both are fine here.
ReferenceDate = Annotated[date, pydantic.Field(strict=False)]

_MAX_AGE: Final = 130
_UK_POSTCODE: Final = r"^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][A-Z]{2}$"
_UK_OUTWARD_ONLY: Final = r"^([A-Z]{1,2}[0-9][A-Z0-9]?)$"
_NUMERIC_POSTCODE: Final = r"^([0-9]{2})(?:[0-9]{2,3}|-[0-9]{3})(?:-[0-9]{3,4}| ?[A-Z]{2})?$"
_CANADIAN_POSTCODE: Final = r"^([A-Z][0-9][A-Z]) ?[0-9][A-Z][0-9]$"
_EIRCODE: Final = r"^([AC-FHKNPRTV-Y][0-9]{2}|D6W) ?[0-9AC-FHKNPRTV-Y]{4}$"  # its routing key
_NUMBER_NOISE: Final = r"[\s_'£$€]"
# A number whose last mark is a comma followed by other than three digits, whose dots
# group thousands, or a zero and a comma: "1.234,50", "12,5", "1.234.567", "1.234",
# "0,125". One mark followed by three digits groups thousands ("1,234", "1.234": amounts
# have two decimals, not three) but after a lone zero ("0.125"), value by value, so a run
# in batches reads every value as a whole run does.
_DECIMAL_COMMA: Final = (
    r"^[+-]?(?:\d{1,3}(?:\.\d{3})*,(?:\d{1,2}|\d{4,})|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?"
    r"|\d+,\d{1,2}|0,\d+)$"
)
# the labels bucket and age_band write, which verification must not take for numbers
RANGE_LABEL: Final = r"^-?\d+--?\d+$|^\d+\+$"


def generalise_date(expr: pl.Expr, *, to: Literal["year", "year_month"]) -> pl.Expr:
    """The year (``1984``) or year and month (``1984-07``) of a date; a year written
    alone (``1984``) is its own year."""
    of_date = parse_date(expr).dt.strftime("%Y" if to == "year" else "%Y-%m")
    if to == "year":
        alone = expr.cast(pl.String).str.strip_chars()
        of_date = pl.coalesce(of_date, alone.str.extract(r"^((?:1[89]|20)\d{2})$", 1))
    return _keep_blank(expr, of_date)


def age_band(
    expr: pl.Expr, *, reference_date: date, width: int = 10, top: int | None = None
) -> pl.Expr:
    """The age band (``30-39``) of a date of birth on ``reference_date``; ``top`` groups
    every age from it up (``90+``). Births after ``reference_date`` give null."""
    if width < 1:
        raise ValueError("width must be at least 1")

    def band_of(born: pl.Expr) -> pl.Expr:
        birthday_to_come = (born.dt.month() > reference_date.month) | (
            (born.dt.month() == reference_date.month) & (born.dt.day() > reference_date.day)
        )
        age = reference_date.year - born.dt.year().cast(pl.Int64) - birthday_to_come.cast(pl.Int64)
        band = _range_label(age // width * width, width)
        if top is not None:
            band = pl.when(age >= top).then(pl.lit(f"{top}+")).otherwise(band)
        return pl.when((age >= 0) & (age <= _MAX_AGE)).then(band)

    return _keep_blank(expr, map_distinct_expr(parse_date(expr), band_of))


def outward_code(expr: pl.Expr) -> pl.Expr:
    """The outward code of a UK postcode (a Canadian one's first half), or the first 2
    digits of a numeric code."""

    def outward_of(postcode: pl.Expr) -> pl.Expr:
        postcode = postcode.str.strip_chars().str.to_uppercase().str.replace_all(r"\s+", " ")
        return pl.coalesce(
            postcode.str.extract(_UK_POSTCODE, 1),
            postcode.str.extract(_UK_OUTWARD_ONLY, 1),
            postcode.str.extract(_NUMERIC_POSTCODE, 1),
            postcode.str.extract(_CANADIAN_POSTCODE, 1),
            postcode.str.extract(_EIRCODE, 1),
        )

    return _keep_blank(expr, map_distinct_expr(expr.cast(pl.String), outward_of))


def round_coordinates(expr: pl.Expr, *, decimals: int = 2) -> pl.Expr:
    """Each number of ``51.5074`` or ``51.5074, -0.1278`` rounded, as fixed-point text."""
    rounded = (
        expr.cast(pl.String)
        .str.split(",")
        .list.eval(
            pl.element()
            .str.strip_chars()
            .cast(pl.Float64, strict=False)
            .round(decimals)
            .cast(pl.Decimal(38, decimals), strict=False)
            .cast(pl.String)
        )
        .list.join(", ", ignore_nulls=False)
    )
    return _keep_blank(expr, rounded)


def bucket(expr: pl.Expr, *, width: int) -> pl.Expr:
    """The bucket of a number: ``1234.5`` with ``width`` 1000 gives ``1000-1999``.
    Thousands separators, spaces and a currency sign are ignored."""
    if width < 1:
        raise ValueError("width must be at least 1")
    number = _number_text(expr)

    def bucket_of(text: pl.Expr) -> pl.Expr:
        low = (text.cast(pl.Float64, strict=False) / width).floor().cast(pl.Int64, strict=False)
        return _range_label(low * width, width)

    return _keep_blank(expr, map_distinct_expr(number, bucket_of))


def _number_text(expr: pl.Expr) -> pl.Expr:
    """A number's text with a dot for its decimals and no separators: ``1.234,50``,
    ``1,234.50`` and ``1.234`` are ``1234.50``, ``1234.50`` and ``1234``."""
    text = as_text(expr).str.replace_all(_NUMBER_NOISE, "")
    as_comma = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    as_dot = text.str.replace_all(",", "", literal=True)
    return pl.when(text.str.contains(_DECIMAL_COMMA)).then(as_comma).otherwise(as_dot)


def _range_label(low: pl.Expr, width: int) -> pl.Expr:
    return pl.concat_str(low.cast(pl.String), pl.lit("-"), (low + width - 1).cast(pl.String))


def _keep_blank(original: pl.Expr, result: pl.Expr) -> pl.Expr:
    stripped = original.cast(pl.String).str.strip_chars()
    return pl.when(stripped == "").then(stripped).otherwise(result)


_APPLIES_TO: Final = {
    "age_band": {"width", "reference_date", "top"},
    "decimals": {"decimals"},
    "bucket": {"width"},
}


def _check_params(params: Mapping[str, Any]) -> None:
    """Each param only with the targets it applies to; ``bucket`` needs its width."""
    to = params["to"]
    for param, value in params.items():
        if param != "to" and value is not None and param not in _APPLIES_TO.get(to, set()):
            raise ConfigError(f"action 'generalise': param '{param}' does not apply to to='{to}'")
    if to == "bucket" and params.get("width") is None:
        raise ConfigError("action 'generalise': to='bucket' needs the param 'width'")


@register("generalise", check=_check_params)
def generalise_action(
    expr: pl.Expr,
    *,
    ctx: ActionContext,
    to: Target,
    width: PositiveInt | None = None,
    decimals: Decimals | None = None,
    reference_date: ReferenceDate | None = None,
    top: PositiveInt | None = None,
) -> pl.Expr:
    # apply_action has run _check_params on these params
    if to in ("year", "year_month"):
        return generalise_date(expr, to=to)
    if to == "age_band":
        reference = reference_date or date.today()
        return age_band(expr, reference_date=reference, width=width or 10, top=top)
    if to == "outward_code":
        return outward_code(expr)
    if to == "decimals":
        return round_coordinates(expr, decimals=2 if decimals is None else decimals)
    if width is None:
        raise ConfigError("action 'generalise': to='bucket' needs the param 'width'")
    return bucket(expr, width=width)
