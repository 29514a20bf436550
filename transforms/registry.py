"""The registry of named actions a plan or config can ask for.

An action is ``(expr, *, ctx, **params) -> pl.Expr``. Its keyword-only parameters (all
but ``ctx``), with their annotations and defaults, are its params: ``register`` turns
them into a strict pydantic model, so an unknown or badly typed param is a
``ConfigError`` naming the action and the param before any data is read. The caller
adds where the params came from (config key, column).

    @register("mask")
    def mask_action(expr: pl.Expr, *, ctx: ActionContext, keep_last: int = 0) -> pl.Expr:
        ...

    apply_action("mask", pl.col("email"), ctx, {"keep_last": 4})
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import pydantic

from anonymise.errors import ConfigError
from detectors.settings import DetectionSettings

ActionFunction = Callable[..., pl.Expr]


@dataclass(frozen=True)
class ActionContext:
    """What an action may know besides its params: the key, the entity, the column and
    the run's detection settings (free-text detection honours them)."""

    key: bytes = field(repr=False)
    entity: str | None
    column: str
    detection: DetectionSettings | None = None
    phone_region: str = "GB"
    """Where a phone number written nationally is read (``suppression.phone_region``)."""
    column_entities: Mapping[str, str | None] = field(default_factory=dict)
    """The plan's entity of every column of the input (``date_shift``'s subject)."""


ParamsCheck = Callable[[Mapping[str, Any]], None]
"""Checks params that make sense only together; raises ``ConfigError``."""


@dataclass(frozen=True)
class Action:
    name: str
    function: ActionFunction
    params_model: type[pydantic.BaseModel]
    drops_column: bool = False
    check: ParamsCheck | None = None

    @property
    def param_names(self) -> list[str]:
        return sorted(self.params_model.model_fields)

    def validate_params(self, params: Mapping[str, object]) -> dict[str, Any]:
        """The params as the action gets them; ``ConfigError`` on the first problem."""
        unknown = sorted(set(params) - set(self.params_model.model_fields))
        if unknown:
            known = ", ".join(self.param_names) or "none"
            raise ConfigError(
                f"action '{self.name}': unknown param '{unknown[0]}'; known params: {known}"
            )
        try:
            model = self.params_model.model_validate(dict(params))
        except pydantic.ValidationError as e:
            first = e.errors(include_url=False, include_input=False)[0]
            param = ".".join(str(part) for part in first["loc"]) or "params"
            message = first["msg"].removeprefix("Value error, ")
            raise ConfigError(f"action '{self.name}': param '{param}': {message}") from None
        validated = {name: getattr(model, name) for name in self.params_model.model_fields}
        if self.check is not None:
            self.check(validated)
        return validated


_ACTIONS: dict[str, Action] = {}


def register(
    name: str, *, drops_column: bool = False, check: ParamsCheck | None = None
) -> Callable[[ActionFunction], ActionFunction]:
    """Register an action under ``name``; a second action with the same name is an error.
    ``check`` judges the params together (one needed by another), as types cannot."""

    def decorator(function: ActionFunction) -> ActionFunction:
        if name in _ACTIONS:
            raise RuntimeError(
                f"action '{name}' is registered twice: by {_ACTIONS[name].function.__module__} "
                f"and by {function.__module__}"
            )
        model = _params_model(name, function)
        _ACTIONS[name] = Action(name, function, model, drops_column, check)
        return function

    return decorator


def get_action(name: str) -> Action:
    """The action called ``name``; ``ConfigError`` listing the known ones if there is none."""
    try:
        return _ACTIONS[name]
    except KeyError:
        raise ConfigError(
            f"unknown action '{name}'; known actions: {', '.join(action_names())}"
        ) from None


def action_names() -> list[str]:
    return sorted(_ACTIONS)


def is_column_drop(name: str) -> bool:
    """True if the action removes the whole column (the caller drops it)."""
    return get_action(name).drops_column


def validate_action_params(name: str, params: Mapping[str, object]) -> dict[str, Any]:
    """Check an action's params without building an expression (for config validation)."""
    return get_action(name).validate_params(params)


def apply_action(
    name: str, expr: pl.Expr, ctx: ActionContext, params: Mapping[str, object] | None = None
) -> pl.Expr:
    """The expression for one column's action, named after ``ctx.column``."""
    action = get_action(name)
    validated = action.validate_params(params or {})
    return action.function(expr, ctx=ctx, **validated).alias(ctx.column)


def _params_model(name: str, function: ActionFunction) -> type[pydantic.BaseModel]:
    hints = typing.get_type_hints(function, include_extras=True)
    fields: dict[str, Any] = {}
    for param in inspect.signature(function).parameters.values():
        if param.name in ("expr", "ctx"):
            continue
        if param.kind is not inspect.Parameter.KEYWORD_ONLY:
            raise TypeError(f"action '{name}': param '{param.name}' must be keyword-only")
        default = ... if param.default is inspect.Parameter.empty else param.default
        fields[param.name] = (hints[param.name], default)
    config = pydantic.ConfigDict(extra="forbid", strict=True, frozen=True)
    model: type[pydantic.BaseModel] = pydantic.create_model(
        f"{name}_params", __config__=config, **fields
    )
    return model
