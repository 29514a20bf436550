"""The Art. 12(3) deadline: one calendar month from receipt, clamped to the month's end."""

from __future__ import annotations

import calendar
from datetime import date, datetime


def erasure_deadline(received_at: date | datetime) -> date:
    """``2025-01-31`` -> ``2025-02-28``; ``2024-01-31`` -> ``2024-02-29``; a date-time
    counts from its own calendar date (as written, in its own time zone)."""
    day = received_at.date() if isinstance(received_at, datetime) else received_at
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))
