"""Records of processing activities as Markdown: a heading and a table per activity."""

from __future__ import annotations

from collections.abc import Sequence

from anonymise.records.ropa import RopaEntry, value_text


def render_markdown(entries: Sequence[RopaEntry], *, title: str) -> str:
    """One ``## activity`` section per entry with an Article | Field | Value table."""
    lines = [f"# {_cell(title)}", ""]
    if not entries:
        lines += ["No processing activity found.", ""]
    for entry in entries:
        lines += [f"## {_cell(entry.activity)} ({entry.role})", ""]
        lines += ["| Article | Field | Value |", "|---|---|---|"]
        for field in entry.fields:
            article = f"Art. {field.article}" if field.article else "history"
            lines.append(f"| {article} | {_cell(field.name)} | {_cell(value_text(field.value))} |")
        lines.append("")
        if entry.missing:
            lines += [f"Missing: {_cell(', '.join(entry.missing))}", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text that cannot break a Markdown table row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
