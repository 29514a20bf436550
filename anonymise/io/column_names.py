"""Making header names unique and non-blank, remembering what each one was."""

from __future__ import annotations

from collections.abc import Sequence


def unique_column_names(header: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    """Names for ``header`` that are unique and non-blank, and ``{new name: original}``.

    The first of several equal names keeps it; the second becomes ``NAME_2``, the third
    ``NAME_3``. A blank name becomes ``column_N`` (N is its 1-based position). A new name
    never takes a name that appears in the header itself.
    """
    taken = {name for name in header if name.strip()}
    kept: set[str] = set()
    names: list[str] = []
    renamed: dict[str, str] = {}
    for position, original in enumerate(header, start=1):
        if original.strip() and original not in kept:
            name = original
        else:
            stem = original if original.strip() else f"column_{position}"
            name = _first_free(stem, taken, start=2 if original.strip() else 1)
            renamed[name] = original
        kept.add(name)
        taken.add(name)
        names.append(name)
    return names, renamed


def _first_free(stem: str, taken: set[str], *, start: int) -> str:
    if start == 1 and stem not in taken:
        return stem
    suffix = max(start, 2)
    while f"{stem}_{suffix}" in taken:
        suffix += 1
    return f"{stem}_{suffix}"
