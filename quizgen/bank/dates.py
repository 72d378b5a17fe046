"""Calendar-checked ISO dates of the source registry: YYYY, YYYY-MM,
YYYY-MM-DD, and for inferred dates a START/END range, earliest first.
2026-11-31 is not a date. Standard library only."""

from __future__ import annotations

import datetime
import re

DATE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


def _bounds(value: str) -> tuple[datetime.date, datetime.date] | None:
    """First and last day of YYYY, YYYY-MM or YYYY-MM-DD; None when no such day."""
    parts = [int(p) for p in value.split("-")]
    try:
        if len(parts) == 1:
            return datetime.date(parts[0], 1, 1), datetime.date(parts[0], 12, 31)
        if len(parts) == 2:
            first = datetime.date(parts[0], parts[1], 1)
            after = datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return first, after - datetime.timedelta(days=1)
        day = datetime.date(*parts)
        return day, day
    except ValueError:
        return None


def date_problem(value: str, *, allow_range: bool) -> str | None:
    """Why ``value`` is not a calendar date (or, with ``allow_range``, a
    START/END range, earliest first), or None when it is one."""
    forms = "YYYY, YYYY-MM or YYYY-MM-DD" + (", or START/END" if allow_range else "")
    ends = value.split("/") if allow_range else [value]
    if len(ends) > 2 or not all(DATE_PATTERN.match(e) for e in ends):
        return f"expected an ISO date ({forms}), found '{value}'"
    bounds = [_bounds(e) for e in ends]
    for end, b in zip(ends, bounds):
        if b is None:
            return f"expected a date of the calendar, found '{end}'" + (f" in '{value}'" if len(ends) > 1 else "")
    if len(ends) == 2 and bounds[0][0] > bounds[1][1]:  # type: ignore[index]
        return f"expected a range earliest first, found '{value}' (it ends before it starts)"
    return None
