"""Records of processing activities as JSON: fields in Art. 30 order, values structured."""

from __future__ import annotations

import json
from collections.abc import Sequence

from anonymise.records.ropa import RopaEntry


def render_json(entries: Sequence[RopaEntry], *, title: str) -> str:
    """``{"title", "activities": [{"activity", "role", "fields": [...], "missing"}]}``."""
    document = {
        "title": title,
        "activities": [
            {
                "activity": entry.activity,
                "role": entry.role,
                "fields": [
                    {"article": f.article or None, "field": f.name, "value": f.value}
                    for f in entry.fields
                ],
                "missing": list(entry.missing),
            }
            for entry in entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
