"""Where a YAML file is malformed, said without quoting it (a config or a plan may hold
a value someone pasted in)."""

from __future__ import annotations

import yaml


def yaml_position(exc: yaml.YAMLError) -> str:
    """`` (line L, column C; ScannerError)``: the position of the problem, and its kind;
    never PyYAML's own text, which quotes the characters around it."""
    mark = getattr(exc, "problem_mark", None)
    kind = exc.__class__.__name__
    if mark is None:
        return f" ({kind})"
    return f" (line {mark.line + 1}, column {mark.column + 1}; {kind})"
