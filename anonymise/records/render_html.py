"""Records of processing activities as one standalone, escaped HTML page."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from anonymise.records.ropa import RopaEntry, Value, value_text

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       color: #1a1a1a; line-height: 1.4; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { border: 1px solid #bbb; padding: 0.35rem 0.6rem; text-align: left;
         vertical-align: top; }
thead th { background: #eee; }
td.article { white-space: nowrap; color: #555; }
ul { margin: 0; padding-left: 1.2rem; }
p.missing { color: #a00000; }
"""


def render_html(entries: Sequence[RopaEntry], *, title: str) -> str:
    """A page with a ``<table>`` per activity; every text is escaped."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(title)}</h1>",
    ]
    if not entries:
        parts.append("<p>No processing activity found.</p>")
    for entry in entries:
        parts.append(f"<h2>{escape(entry.activity)} ({escape(entry.role)})</h2>")
        parts.append("<table>")
        parts.append("<thead><tr><th>Article</th><th>Field</th><th>Value</th></tr></thead>")
        parts.append("<tbody>")
        for field in entry.fields:
            article = f"Art. {field.article}" if field.article else "history"
            parts.append(
                f'<tr><td class="article">{escape(article)}</td>'
                f"<th>{escape(field.name)}</th><td>{_value(field.value)}</td></tr>"
            )
        parts.append("</tbody>")
        parts.append("</table>")
        if entry.missing:
            parts.append(f'<p class="missing">Missing: {escape(", ".join(entry.missing))}</p>')
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _value(value: Value) -> str:
    if isinstance(value, list) and value:
        return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in value) + "</ul>"
    if isinstance(value, dict) and value:
        items = (f"<li>{escape(str(k))}: {escape(str(v))}</li>" for k, v in value.items())
        return "<ul>" + "".join(items) + "</ul>"
    return escape(value_text(value))
