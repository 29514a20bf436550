from __future__ import annotations

from datetime import date, datetime

import pytest

from anonymise.erasure.deadline import erasure_deadline
from anonymise.erasure.requests import parse_received_at


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        ("2025-01-15", date(2025, 2, 15)),
        ("2025-01-31", date(2025, 2, 28)),  # clamped to the month's end
        ("2024-01-31", date(2024, 2, 29)),  # leap year
        ("2025-03-31", date(2025, 4, 30)),
        ("2025-12-31", date(2026, 1, 31)),  # across the year
        ("2024-01-31T23:30:00Z", date(2024, 2, 29)),  # a date-time counts from its date
        ("2025-05-31T08:00:00+02:00", date(2025, 6, 30)),
    ],
)
def test_deadline_is_one_calendar_month(received: str, deadline: date) -> None:
    assert erasure_deadline(parse_received_at(received)) == deadline


def test_datetime_and_date_are_both_accepted() -> None:
    assert isinstance(parse_received_at("2025-01-31"), date)
    assert isinstance(parse_received_at("2025-01-31T09:00:00"), datetime)
