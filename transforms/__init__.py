"""Polars transforms: each one a pure ``pl.Expr -> pl.Expr`` with keyword-only options.

Importing this package registers every action, so ``get_action("mask")`` works from
anywhere. A plan or config names actions; the engine applies them with

    apply_action(name, pl.col(column), ActionContext(key, entity, column), params)

    action        module              params
    keep          redact.py           -
    redact        redact.py           label
    drop          redact.py           - (is_column_drop: the caller drops the column)
    pseudonymise  pseudonymise.py     prefix, length
    fake          fake.py             locale, part, year_band
    encrypt       encrypt.py          normalise
    mask          mask.py             keep_first, keep_last, keep_email_domain, char
    generalise    generalise.py       to, width, decimals, reference_date, top
    date_shift    date_shift.py       by_column, max_days, by_entity
    redact_text   text_redaction.py   mode, entities, prefix, length

Shared rules: null stays null, and a blank value (``""`` or only whitespace) stays
``""`` (except ``keep``, which changes nothing, and ``encrypt``, which keeps the exact
value); so row counts and null counts never change. Python work (phonenumbers, Faker,
AES-SIV) runs once per distinct value, never per row. No transform logs or raises
with a cell's value.
"""

from transforms import (
    date_shift,
    encrypt,
    fake,
    generalise,
    mask,
    pseudonymise,
    redact,
    text_redaction,
)
from transforms.registry import (
    Action,
    ActionContext,
    action_names,
    apply_action,
    get_action,
    is_column_drop,
    register,
    validate_action_params,
)

__all__ = [
    "Action",
    "ActionContext",
    "action_names",
    "apply_action",
    "date_shift",
    "encrypt",
    "fake",
    "generalise",
    "get_action",
    "is_column_drop",
    "mask",
    "pseudonymise",
    "redact",
    "register",
    "text_redaction",
    "validate_action_params",
]
