"""Where a YAML file is malformed, said without quoting it (a config or a plan may hold
a value someone pasted in)."""

from __future__ import annotations

import yaml


def yaml_position(exc: yaml.YAMLError) -> str:
    """`` (line L, column C; ScannerError)``: the position of the problem, and where what
    it broke began when that is elsewhere (an unclosed quote is found at the end of the
    file), and its kind; never PyYAML's own text, which quotes the characters around
    it."""
    kind = exc.__class__.__name__
    marks = [getattr(exc, name, None) for name in ("context_mark", "problem_mark")]
    places = list(dict.fromkeys(f"line {m.line + 1}, column {m.column + 1}" for m in marks if m))
    if not places:
        return f" ({kind})"
    if len(places) == 2:
        return f" ({places[1]}, in what opens at {places[0]}; {kind})"
    return f" ({places[0]}; {kind})"
