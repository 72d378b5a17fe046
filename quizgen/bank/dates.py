"""The source registry's date policy: ISO dates YYYY, YYYY-MM, YYYY-MM-DD
(four-digit years, as articles are dated), and for inferred dates a
START/END range, earliest first, its ends of any of those forms. The calendar
itself is quizgen.dates', the one every date of a bank is checked by."""

from __future__ import annotations

import re

from quizgen.dates import parse_point

DATE_PATTERN = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


def date_problem(value: str, *, allow_range: bool) -> str | None:
    """Why ``value`` is not a calendar date (or, with ``allow_range``, a
    START/END range, earliest first), or None when it is one."""
    forms = "YYYY, YYYY-MM or YYYY-MM-DD" + (", or START/END" if allow_range else "")
    ends = value.split("/") if allow_range else [value]
    if len(ends) > 2 or not all(DATE_PATTERN.match(e) for e in ends):
        return f"expected an ISO date ({forms}), found '{value}'"
    points = []
    for end in ends:
        point, problem = parse_point(end)
        if problem:
            return problem + (f" in '{value}'" if len(ends) > 1 else "")
        points.append(point)
    if len(points) == 2 and points[0].first() > points[1].last():  # type: ignore[union-attr]
        return f"expected a range earliest first, found '{value}' (it ends before it starts)"
    return None
