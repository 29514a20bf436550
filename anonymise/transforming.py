"""Apply a planned input to a frame: one Polars expression per column, in one pass."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

import polars as pl

from anonymise.errors import ConfigError, PlanError
from anonymise.plan import PlannedInput
from anonymise.planning import REVIEW
from anonymise.suppression import allowed_mask, deny_terms_pattern
from detectors import entities as e
from detectors.columns import Columns
from detectors.settings import DetectionSettings
from transforms import ActionContext, apply_action, is_column_drop, validate_action_params
from transforms.distinct import map_distinct_series
from transforms.text_replace import are_whole_words, replace_all


def check_plan_fits(
    planned: PlannedInput, columns: list[str], *, plan_source: str, source: str | None = None
) -> None:
    """A plan is bound to its input's columns; another file's plan is refused (naming
    ``source``, the input it was given for, when there is one)."""
    planned_names = [c.name for c in planned.columns]
    if planned_names != columns:
        missing = [c for c in planned_names if c not in columns]
        extra = [c for c in columns if c not in planned_names]
        detail = (
            f"the input lacks column '{missing[0]}'"
            if missing
            else f"the plan does not cover column '{extra[0]}'"
            if extra
            else "the columns are in another order"
        )
        given = f" than input '{source}'" if source else ""
        raise PlanError(
            f"plan '{plan_source}' was made for another file{given} "
            f"('{planned.source}'): {detail}; scan this input to write a plan for it (a plan "
            "must hold every input of the run)"
        )


def check_actions(planned: PlannedInput, *, where: str) -> None:
    """Every column has an action (none left to review), which exists, with valid
    params (a ``*_column`` param naming a column of the input), before any data is
    touched."""
    for column in planned.columns:
        if column.action == REVIEW:
            raise ConfigError(
                f"{where}, column '{column.name}': unclassified and detection.unclassified "
                "is 'fail'; add a rule for it under 'columns:' or review the plan"
            )
    check_action_params(planned, where=where)
    names = {column.name for column in planned.columns}
    for column in planned.columns:
        for key, value in column.params.items():
            if key.endswith("_column") and value not in names:
                raise ConfigError(
                    f"{where}, column '{column.name}', param '{key}': the input has no "
                    f"column '{value}'; name one of its columns"
                )


def check_action_params(planned: PlannedInput, *, where: str) -> None:
    """Every action named exists and its params are valid (a column left to review
    aside: whether that stops a run depends on which input it is)."""
    for column in planned.columns:
        if column.action == REVIEW:
            continue
        try:
            validate_action_params(column.action, column.params)
        except ConfigError as exc:
            raise ConfigError(f"{where}, column '{column.name}': {exc}") from None


# A capital, then letters (combining accents included), apostrophes and hyphens.
_NAME_WORD = r"^\p{Lu}[\p{L}\p{M}'’-]+$"


def names_in_frame(frame: Columns, planned: PlannedInput) -> list[str]:
    """The distinct words of the input's own name columns ("Jane", "Doe"), longest first.

    Free text mentions the very people the export lists; their names are redacted from
    notes even where no dictionary knows them. Each name comes in its composed and its
    decomposed Unicode form ("José" typed on one machine, "Jose" and an accent on
    another), whichever form the column holds.
    """
    person = [c.name for c in planned.columns if c.entity == e.PERSON and c.name in frame.columns]
    if not person:
        return []
    words = (
        pl.concat([frame.get_column(c).cast(pl.String).unique() for c in person])
        .drop_nulls()
        .unique()
        .str.split(" ")
        .explode()
        .str.strip_chars(" ,.;'\"()")
    )
    kept = words.filter(words.str.contains(_NAME_WORD))
    forms = pl.concat([kept.str.normalize("NFC"), kept.str.normalize("NFD")]).unique()
    return sorted(forms.to_list(), key=lambda w: (-len(w), w))


_LABEL_WORD = "PERSON"
_JOINERS = re.compile("['’-]")
_NEVER = r"[^\s\S]"  # matches nothing


def name_passes(names: list[str]) -> list[list[str]]:
    """``names`` in the groups ``redact_names`` replaces one after the other: names with
    an apostrophe or hyphen ("O'Brien", "Smith-Jones"), then the plain words.

    Two passes find what one alternation of all the names finds. A plain name only
    matches a whole word, and no match of a joined name can start inside a word, so the
    two kinds only meet where both start at one word; there the joined name is the
    longer and the one alternation (longest first) takes it too. The plain pass never
    sees inside a label, unless a name is the label's own word, which keeps one pass.
    So do names not shaped as ``names_in_frame`` gives them (one word, longest first),
    for which the argument does not hold. Rust runs the plain words alone two to three
    times faster than all the names in one alternation (2,294 words: 0.8 -> 0.3 s on
    450k ASCII cells, measured once).
    """
    joined = [n for n in names if _JOINERS.search(n)]
    plain = [n for n in names if not _JOINERS.search(n)]
    if not joined or not plain or _LABEL_WORD in plain or not _as_names_in_frame(names):
        return [names] if names else []
    return [joined, plain]


def _as_names_in_frame(names: list[str]) -> bool:
    """What the two passes rest on: names as ``names_in_frame`` gives them (each matches
    ``_NAME_WORD``: word characters but for the joiners), longest first."""
    shaped = pl.Series(names, dtype=pl.String).str.contains(_NAME_WORD).all()
    return shaped and all(len(a) >= len(b) for a, b in pairwise(names))


def redact_names(expr: pl.Expr, names: list[str]) -> pl.Expr:
    """Replace whole-word occurrences of ``names`` by ``<PERSON>`` (Rust regex, run only
    on cells that hold one of the names at all; pure-ASCII cells are searched for the
    ASCII names only, the only ones they can hold)."""
    passes = name_passes(names)
    if not passes:
        return expr
    # Built once, not per call: a run in batches calls this for every slice, and
    # escaping a few thousand names costs ~12 ms each time.
    regexes = []
    for group in passes:
        alternation = "|".join(re.escape(n) for n in group)
        in_ascii = "|".join(re.escape(n) for n in group if n.isascii()) or _NEVER
        regexes.append((alternation, in_ascii, _as_whole_words(group)))

    def scrub(texts: pl.Series) -> pl.Series:
        for alternation, in_ascii, whole_words in regexes:
            texts = replace_all(
                texts,
                rf"\b(?:{alternation})\b",
                f"<{_LABEL_WORD}>",
                candidates=alternation,
                ascii_pattern=rf"(?-u:\b)(?:{in_ascii})(?-u:\b)",
                whole_words=whole_words,
            )
        return texts

    return expr.map_batches(scrub, return_dtype=pl.String)


def _as_whole_words(names: list[str]) -> pl.Series | None:
    """``names`` as a Series when each is a whole word (``^\\w+$``: the plain names,
    not those with an apostrophe or hyphen), for ``replace_all`` to replace them word by
    word in non-ASCII notes; else None."""
    words = pl.Series(names, dtype=pl.String)
    return words if are_whole_words(words) else None


def _scrub(text: pl.Expr, names: list[str], deny: str | None) -> pl.Expr:
    """The input's own names and the deny terms out of free text."""
    text = redact_names(text, names)
    if deny is None:
        return text
    return text.map_batches(
        lambda texts: replace_all(texts, deny, "<REDACTED>"), return_dtype=pl.String
    )


def apply_plan(
    frame: pl.DataFrame,
    planned: PlannedInput,
    *,
    key: bytes,
    allow_values: Sequence[str] = (),
    deny_terms: Sequence[str] = (),
    detection: DetectionSettings | None = None,
    phone_region: str = "GB",
) -> pl.DataFrame:
    """The transformed frame: same rows in the same order, dropped columns removed.

    Allow-listed values (the company's own support address) pass every action
    untouched; deny-listed terms are always redacted from free text.
    """
    return frame.select(
        plan_expressions(
            planned,
            names=names_in_frame(frame, planned),
            key=key,
            allow_values=allow_values,
            deny_terms=deny_terms,
            detection=detection,
            phone_region=phone_region,
        )
    )


def _per_distinct_note(result: pl.Expr, column: str) -> pl.Expr:
    """``result``, a function of each value of ``column`` alone, computed once per
    distinct note: notes repeat ("Left a voicemail."), and each search of the text
    costs far more than mapping answers back (the bench's 1M notes, 157k distinct,
    with the pattern table and the input's names: 1.50 -> 1.35 s)."""

    def per_note(values: pl.Series) -> pl.Series:
        return values.to_frame(column).select(result).to_series()

    return map_distinct_series(pl.col(column), per_note)


def plan_expressions(
    planned: PlannedInput,
    *,
    names: Sequence[str],
    key: bytes,
    allow_values: Sequence[str] = (),
    deny_terms: Sequence[str] = (),
    detection: DetectionSettings | None = None,
    phone_region: str = "GB",
) -> list[pl.Expr]:
    """One expression per kept column, applying ``planned`` to a frame of the input (or
    to each slice of it in turn: what an expression learns of the values, such as
    libphonenumber's answers, it keeps for the next slice). ``names`` are the input's
    own names (``names_in_frame``)."""
    deny = deny_terms_pattern(deny_terms)
    entities = {column.name: column.entity for column in planned.columns}
    expressions = []
    for column in planned.columns:
        if is_column_drop(column.action):
            continue
        ctx = ActionContext(
            key=key,
            entity=column.entity,
            column=column.name,
            detection=detection,
            phone_region=phone_region,
            column_entities=entities,
        )
        scrub_text = column.entity == e.FREE_TEXT and column.action != "keep"
        # redact_text must see the text whole ("Jane.Doe@x.com" is an e-mail and "Ann
        # Garcia" a full name only while "Jane" and "Ann" are there), so names and deny
        # terms go after it; any other action (encrypt, mask) gets the scrubbed text.
        after = column.action == "redact_text"
        source = pl.col(column.name)
        if scrub_text and not after:
            source = _scrub(source, list(names), deny)
        result = apply_action(column.action, source, ctx, column.params)
        if scrub_text and after:
            result = _scrub(result, list(names), deny)
        if allow_values and column.action != "keep":
            original = pl.col(column.name)
            result = pl.when(allowed_mask(original, allow_values)).then(original).otherwise(result)
        if after:
            result = _per_distinct_note(result, column.name)
        expressions.append(result.alias(column.name))
    return expressions
