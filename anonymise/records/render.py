"""Pick a renderer by format name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

from anonymise.records.render_csv import render_csv
from anonymise.records.render_html import render_html
from anonymise.records.render_json import render_json
from anonymise.records.render_md import render_markdown
from anonymise.records.ropa import RopaEntry

Format = Literal["md", "csv", "html", "json"]
FORMATS: Final[tuple[str, ...]] = ("md", "csv", "html", "json")
DEFAULT_TITLE: Final = "Records of processing activities (GDPR Art. 30)"


def render_ropa(
    entries: Sequence[RopaEntry], fmt: Format = "md", *, title: str = DEFAULT_TITLE
) -> str:
    """The entries as Markdown, CSV, a standalone HTML page or JSON."""
    if fmt == "md":
        return render_markdown(entries, title=title)
    if fmt == "csv":
        return render_csv(entries)
    if fmt == "html":
        return render_html(entries, title=title)
    if fmt == "json":
        return render_json(entries, title=title)
    raise ValueError(f"unknown format '{fmt}'; known: {', '.join(FORMATS)}")
