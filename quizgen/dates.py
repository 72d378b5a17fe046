"""Dates as precise as a source allows, for any year: standard library only.

A value is written
  * ``1969``, ``1969-07``, ``1969-07-20``: a year, a month or a day;
  * ``-44``, ``-44-03-15``: a year BC takes a minus sign (44 BC, 15 March 44 BC).
    There is no year 0: 1 BC is ``-1`` and AD 1 is ``1``. Years have any number
    of digits (``800``, ``0800`` and ``-3000`` are all fine);
  * ``~1440``: an approximate year, shown as "around 1440". It is never the key
    of a "when" question, never offered as an exact option, and never ordered
    against other dates (its bounds are unknown);
  * ``1440/1450``, ``2016-09/2016-12``: a range, both ends of the same form,
    earliest first.
Days are checked against the (proleptic Gregorian) calendar, so 2016-02-30 is
an error. A point in time is a (year, month, day) tuple in astronomical
numbering (1 BC is year 0), so tuples compare in time order for any year.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PRECISIONS = ("year", "month", "day")
_POINT = re.compile(r"(-?)(\d+)(?:-(\d{2})(?:-(\d{2}))?)?\Z")
FORMS = "YYYY, YYYY-MM, YYYY-MM-DD, ~YYYY or START/END (a year BC as -YYYY)"

Day = tuple[int, int, int]


def _leap(astronomical_year: int) -> bool:
    y = astronomical_year
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def days_in_month(astronomical_year: int, month: int) -> int:
    if month == 2:
        return 29 if _leap(astronomical_year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@dataclass(frozen=True, slots=True)
class _Point:
    year: int  # as written: -44 for 44 BC, never 0
    month: int = 0  # 0: not given
    day: int = 0

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def astronomical(self) -> int:
        return self.year if self.year > 0 else self.year + 1

    def first(self) -> Day:
        return (self.astronomical, self.month or 1, self.day or 1)

    def last(self) -> Day:
        month = self.month or 12
        return (self.astronomical, month, self.day or days_in_month(self.astronomical, month))

    def year_label(self) -> str:
        return f"{-self.year} BC" if self.year < 0 else str(self.year)

    def label(self, precision: str) -> str:
        if precision == "year":
            return self.year_label()
        if precision == "month":
            return f"{MONTHS[self.month - 1]} {self.year_label()}"
        return f"{self.day} {MONTHS[self.month - 1]} {self.year_label()}"

    def token(self, precision: str) -> str:
        """The canonical value at a precision, for keys: "-44-03", "2016"."""
        text = f"{'-' if self.year < 0 else ''}{abs(self.year):04d}"
        if precision in ("month", "day"):
            text += f"-{self.month:02d}"
        if precision == "day":
            text += f"-{self.day:02d}"
        return text


def parse_point(text: str) -> tuple[_Point | None, str | None]:
    """One date (no range, no ~): the point, or why it is not a calendar date."""
    m = _POINT.match(text)
    if not m:
        return None, f"expected a date {FORMS}, found '{text}'"
    sign, year_s, month_s, day_s = m.groups()
    year = int(year_s) * (-1 if sign else 1)
    if year == 0:
        return None, f"expected a year other than 0 (1 BC is -1, AD 1 is 1), found '{text}'"
    month = int(month_s) if month_s else 0
    if month_s and not 1 <= month <= 12:
        return None, f"expected a month from 01 to 12, found '{text}'"
    day = int(day_s) if day_s else 0
    if day_s:
        point = _Point(year, month, 1)
        most = days_in_month(point.astronomical, month)
        if not 1 <= day <= most:
            return None, (f"expected a day that exists in the calendar, found '{text}' "
                          f"({point.label('month')} has {most} days)")
    return _Point(year, month, day), None


@functools.lru_cache(maxsize=4096)
def _points(value: str) -> tuple[_Point, ...]:
    """The points of a valid value, parsed once per distinct value (large
    facts files ask for the same dates' labels and bounds many times)."""
    text = value[1:] if value.startswith("~") else value
    points = tuple(parse_point(p)[0] for p in text.split("/"))
    if None in points or not 1 <= len(points) <= 2:
        raise ValueError(value)
    return points  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class FactDate:
    """A date as precise as the article allows (see the module docstring).
    ``inferred`` marks a date the article does not print; ``basis`` says how it
    was read or inferred, in our words."""

    value: str
    inferred: bool = False
    basis: str = ""

    @property
    def approximate(self) -> bool:
        return self.value.startswith("~")

    def _points(self) -> tuple[_Point, ...]:
        return _points(self.value)

    def problem(self) -> str | None:
        """Why the value is not a valid date, or None."""
        text = self.value[1:] if self.approximate else self.value
        parts = text.split("/")
        if len(parts) > 2 or (self.approximate and len(parts) != 1):
            return f"expected a date {FORMS}, found '{self.value}'"
        points = []
        for part in parts:
            point, problem = parse_point(part)
            if problem:
                return problem
            points.append(point)
        if self.approximate and points[0].precision != "year":  # type: ignore[union-attr]
            return f"expected an approximate year ~YYYY, found '{self.value}'"
        if len(points) == 2:
            a, b = points
            if a.precision != b.precision:  # type: ignore[union-attr]
                return f"expected both ends of a range in the same form, found '{self.value}'"
            if a.first() >= b.first():  # type: ignore[union-attr]
                return f"expected the earlier date first in a range, found '{self.value}'"
        return None

    @property
    def precision(self) -> str:
        """"year", "month", "day", "range" or "approximate"."""
        if self.approximate:
            return "approximate"
        points = self._points()
        return "range" if len(points) == 2 else points[0].precision

    @property
    def exact(self) -> bool:
        """A single year, month or day: may be asked for and offered as an option."""
        return self.precision in PRECISIONS

    @property
    def bounds(self) -> tuple[Day, Day]:
        """First and last day the date may mean (raises ValueError when invalid
        or approximate: an approximate date has no bounds to order by)."""
        if self.approximate:
            raise ValueError(self.value)
        points = self._points()
        return points[0].first(), points[-1].last()

    def overlaps(self, other: "FactDate") -> bool:
        (a0, a1), (b0, b1) = self.bounds, other.bounds
        return a0 <= b1 and b0 <= a1

    def token(self, precision: str | None = None) -> str | None:
        """The canonical value at its own or a coarser precision (a key part)."""
        own = self.precision
        want = precision or own
        if own not in PRECISIONS or want not in PRECISIONS or PRECISIONS.index(want) > PRECISIONS.index(own):
            return None
        return self._points()[0].token(want)

    def label(self, precision: str | None = None) -> str | None:
        """The date for a reader, at its own precision or a coarser one
        ("20 July 1969", "July 1969", "1969", "44 BC", "around 1440");
        None if it cannot be shown at that precision."""
        own = self.precision
        want = precision or own
        if own == "approximate":
            return f"around {self._points()[0].year_label()}" if want == own else None
        points = self._points()
        if own == "range":
            if want != "range":
                return None
            a, b = points
            if a.precision == "month" and a.year == b.year:
                return f"between {MONTHS[a.month - 1]} and {b.label('month')}"
            return f"between {a.label(a.precision)} and {b.label(b.precision)}"
        if want not in PRECISIONS or PRECISIONS.index(want) > PRECISIONS.index(own):
            return None
        return points[0].label(want)

    def preposition(self) -> str:
        """"on 20 July 1969", "in 1969"; ranges and approximate dates take none."""
        return {"day": "on", "month": "in", "year": "in"}.get(self.precision, "")
