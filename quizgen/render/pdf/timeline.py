"""The timeline figure: events a set covers, on a year axis.

Events come only from what the set's questions cite, so the figure cannot say
more than the sources do:

* a year written in a citation quote ("the press was built around 1440", "in
  44 BC") becomes an event labelled with the words around it, verbatim;
* each cited article becomes an event at its date, labelled with outlet and
  headline; when the article prints no date the date is ours, and it is marked
  with an asterisk.

Years are counted astronomically inside (1 BC is 0, 44 BC is -43) and printed
as the quote prints them. A bare number is read as a year only with four
digits (1000-2999); a shorter one needs an era ("800 AD", "AD 800", "44 BC").
Days and months without a year ("On November 14") are left out: placing them
would mean guessing the year, and the article's own year can be the wrong one.

On a worksheet the figure is an exercise: the marks are numbered and the labels
are blank lines, because labelled events would hand out the answers to the
date questions. The answer key prints the labelled figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from quizgen.model import DEFAULT_LABELS, Question, Source

_BC = ("BCE", "BC", "B.C.E.", "B.C.")
_AD = ("AD", "CE", "A.D.", "C.E.")
_ISO = re.compile(r"^([+-]?\d{4,})(?:-(\d{2}))?")


def _era(words: Iterable[str]) -> str:
    # Longest first, so "BCE" is not read as "BC" followed by a letter.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def year_pattern(bc: Iterable[str] = ()) -> re.Pattern[str]:
    """Years as quotes print them; ``bc`` adds the bank's own word for BC
    (its ``bc`` label, e.g. "v. Chr.")."""
    before = _era((*_BC, *bc, *_AD))
    return re.compile(
        rf"(?<![\w.,/])(?:"
        rf"(?P<number>\d{{1,4}})\s?(?P<era>{before})(?![\w])"  # 44 BC, 800 AD
        rf"|(?P<lead>AD|A\.D\.)\s?(?P<after>\d{{1,4}})(?![\d\w])"  # AD 800
        rf"|(?P<bare>[12]\d{{3}})(?![\d\w])"  # 1440, 1945
        rf")")


_YEAR = year_pattern()


def read_year(match: re.Match[str], bc: Iterable[str] = ()) -> int:
    """The astronomical year of a match of ``year_pattern``."""
    if match.group("bare"):
        return int(match.group("bare"))
    if match.group("after"):
        return int(match.group("after"))
    number = int(match.group("number"))
    return 1 - number if match.group("era") in (*_BC, *bc) else number


def year_label(year: int, bc: str = DEFAULT_LABELS["bc"]) -> str:
    """An astronomical year as a reader counts it: 0 is "1 BC"."""
    return str(year) if year > 0 else f"{1 - year} {bc}"


LABEL_WORDS_BEFORE = 4
LABEL_WORDS_AFTER = 5
MAX_LABEL_CHARS = 90
MAX_EVENTS = 12


@dataclass(frozen=True, slots=True)
class Event:
    year: int  # astronomical: 1 BC is 0
    month: int | None
    date_text: str  # as printed: "44 BC", "1440", "2017-03", "2018-09"
    label: str
    source_ids: tuple[str, ...]
    inferred: bool = False
    kind: str = "quote"  # "quote" or "article"

    @property
    def position(self) -> float:
        """Fractional year: the middle of the month, or of the year."""
        return self.year + ((self.month - 0.5) / 12 if self.month else 0.5)


def events(questions: Iterable[Question], sources: Iterable[Source], bc: str = "") -> tuple[Event, ...]:
    """The set's events, earliest first, at most MAX_EVENTS (quotes first).
    ``bc`` is the bank's word for BC when it is not one of the English ones."""
    extra = (bc,) if bc and bc not in _BC else ()
    pattern = year_pattern(extra) if extra else _YEAR
    by_id = {s.id: s for s in sources}
    quoted: dict[int, Event] = {}
    cited: list[str] = []
    for q in questions:
        for citation in q.citations:
            if citation.source not in cited:
                cited.append(citation.source)
            for match in pattern.finditer(citation.quote):
                year = read_year(match, extra)
                if year in quoted:
                    if citation.source not in quoted[year].source_ids:
                        old = quoted[year]
                        quoted[year] = Event(old.year, None, old.date_text, old.label,
                                             old.source_ids + (citation.source,))
                    continue
                quoted[year] = Event(year, None, " ".join(match.group().split()), _fragment(citation.quote, match),
                                     (citation.source,))
    articles = [e for e in (_article_event(by_id[s]) for s in cited if s in by_id) if e is not None]
    # A year an article quotes about its own time ("March 20, 2017, 11:44") is
    # that article's own event, already on the axis with its full date.
    own_years = {(e.source_ids[0], e.year) for e in articles}
    quotes = [e for e in quoted.values() if not all((sid, e.year) in own_years for sid in e.source_ids)]
    chosen = quotes + articles
    chosen = chosen[:MAX_EVENTS]
    return tuple(sorted(chosen, key=lambda e: (e.position, e.kind, e.label)))


def _fragment(quote: str, match: re.Match[str]) -> str:
    """The words around a year, verbatim, with an ellipsis where cut."""
    words = list(re.finditer(r"\S+", quote))
    at = next(i for i, w in enumerate(words) if w.start() <= match.start() < w.end())
    first = max(0, at - LABEL_WORDS_BEFORE)
    last = min(len(words), at + 1 + LABEL_WORDS_AFTER)
    text = " ".join(w.group() for w in words[first:last]).rstrip(",;:")
    if first > 0:
        text = "…" + text
    if last < len(words):
        text += "…"
    return _shorten(text, MAX_LABEL_CHARS)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _article_event(source: Source) -> Event | None:
    date = source.published or source.inferred_date
    if not date:
        return None
    m = _ISO.match(date)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2)) if m.group(2) else None
    if "/" in date:  # a range: place it at its middle, print it whole
        end = _ISO.match(date.split("/", 1)[1])
        if end and end.group(2) and month and int(end.group(1)) == year:
            month = (month + int(end.group(2))) // 2
    label = _shorten(f"{source.outlet}: {source.headline}" if source.outlet else source.headline, MAX_LABEL_CHARS)
    return Event(year, month, date, label, (source.id,), inferred=not source.published, kind="article")


# -- drawing ---------------------------------------------------------------------

_LABEL_SIZE = 7.5
_LINE = _LABEL_SIZE + 2
_AXIS_SIZE = 7
_LANE = 3 * _LINE + 5  # date line, up to two text lines, and air
_BREAK = 26  # width given to a compressed stretch of years
_GAP_YEARS = 6  # a gap is compressed only when longer than this ...
_GAP_SHARE = 0.5  # ... and longer than this share of the whole span
_PAD = 6
_LABEL_WIDTH = 150.0
_RIGHT_ROOM = 104.0  # room right of the last event for its label
_BLANK_WIDTH = 16.0  # a mark's number; the writing room is the table under the figure
_TICK_ROOM = 34.0  # at least this much axis between two year labels
_MINOR_ROOM = 6.0  # and between two tick marks
_NICE = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500)


@dataclass(frozen=True, slots=True)
class _Label:
    number: int
    x: float  # the event's place on the axis; the label hangs right of it
    width: float
    date: str
    lines: tuple[str, ...]


def drawing(evts: tuple[Event, ...], width: float, blank: bool, cx):
    """A reportlab Drawing of the events. With ``blank`` the labels are
    numbered write-in lines (worksheet); otherwise date and label (key).
    ``cx`` is the bank's print context (fonts, the word for BC)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, String
    from reportlab.lib import colors

    fonts = cx.fonts
    scale = _Scale([e.year for e in evts], width - _RIGHT_ROOM)
    labels = []
    for n, e in enumerate(evts, start=1):
        x = scale.x(e.position)
        room = min(_LABEL_WIDTH, width - x - 3)
        if blank:
            labels.append(_Label(n, x, min(_BLANK_WIDTH, room), str(n), ()))
            continue
        # numbered as on the worksheet, so the key's table and figure match the exercise
        date = f"{n}. {e.date_text}" + ("*" if e.inferred else "")
        lines = _wrap(e.label, room, lambda t: fonts.string_width(t, _LABEL_SIZE))
        w = max([fonts.string_width(date, _LABEL_SIZE, bold=True)] +
                [fonts.string_width(t, _LABEL_SIZE) for t in lines])
        labels.append(_Label(n, x, w, date, lines))
    lanes = _lanes(labels)

    axis_y = 16.0
    height = axis_y + 6 + (1 + max(lanes.values(), default=0)) * _LANE + 5
    d = Drawing(width, height, initialFontName=fonts.base)  # the default would be Helvetica, not embedded
    grey = colors.Color(0.3, 0.3, 0.3)
    stem = colors.Color(0.55, 0.55, 0.55)

    def text(x: float, y: float, value: str, size: float, bold: bool = False, anchor: str = "start",
             color=colors.black) -> None:
        """Plain text run by run, each in the font that has its glyphs."""
        if anchor == "middle":
            x -= fonts.string_width(value, size, bold) / 2
        for dx, chunk, name in fonts.pieces(value, size, bold):
            d.add(String(x + dx, y, chunk, fontName=name, fontSize=size, fillColor=color))

    d.add(Line(0, axis_y, scale.end + 10, axis_y, strokeColor=colors.black, strokeWidth=0.9))
    for start, end in scale.breaks:
        mid = (start + end) / 2
        d.add(Line(start + 4, axis_y, end - 4, axis_y, strokeColor=colors.white, strokeWidth=2.5))
        for dx in (-3, 3):
            d.add(Line(mid + dx - 2.5, axis_y - 4, mid + dx + 2.5, axis_y + 4, strokeWidth=0.8))
    for x in scale.marks():
        d.add(Line(x, axis_y - 3, x, axis_y + 3, strokeWidth=0.6))
    bc = cx.label("bc")
    for x, label in _spaced([(x, year_label(y, bc)) for x, y in scale.labelled()],
                            lambda t: fonts.string_width(t, _AXIS_SIZE)):
        text(x, axis_y - 11, label, _AXIS_SIZE, anchor="middle", color=grey)
    for lab in labels:
        top = axis_y + 6 + (lanes[lab.number] + 1) * _LANE
        left = lab.x + 3
        d.add(Line(lab.x, axis_y, lab.x, top, strokeColor=stem, strokeWidth=0.5))
        d.add(Circle(lab.x, axis_y, 2.4, fillColor=colors.black, strokeColor=None))
        baseline = top - _LABEL_SIZE
        if blank:  # the number only: the answers go in the table under the figure
            text(left, baseline, lab.date, _LABEL_SIZE + 3, bold=True)
            continue
        text(left, baseline, lab.date, _LABEL_SIZE, bold=True)
        for line in lab.lines:
            baseline -= _LINE
            text(left, baseline, line, _LABEL_SIZE)
    return d


def _spaced(labels: list[tuple[float, str]], measure) -> list[tuple[float, str]]:
    """Axis labels, left to right, leaving out any that would touch the one
    before it: the label of a lone year beside a break can come close to the
    next stretch's first."""
    kept: list[tuple[float, str]] = []
    right = float("-inf")
    for x, label in sorted(labels):
        half = measure(label) / 2
        if x - half >= right + 4:
            kept.append((x, label))
            right = x + half
    return kept


def _wrap(text: str, width: float, measure) -> tuple[str, ...]:
    """At most two lines no wider than width; an ellipsis ends what is cut."""
    lines: list[str] = []
    words = text.split()
    while words and len(lines) < 2:
        line = words.pop(0)
        while words and measure(line + " " + words[0]) <= width:
            line += " " + words.pop(0)
        lines.append(line)
    if words:
        last = lines[-1]
        while last and measure(last + "…") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last.rstrip(",;:") + "…"
    return tuple(lines)


def _lanes(labels: list[_Label]) -> dict[int, int]:
    """Rows above the axis for the labels, lowest first. Every label hangs to
    the right of its stem, so going from the rightmost event leftwards, a
    label goes in the lowest row where it overlaps no label and sits above
    every stem it reaches over. Then no two labels overlap and no stem
    crosses a label, whatever the events."""
    lane: dict[int, int] = {}
    placed: list[_Label] = []
    for lab in sorted(labels, key=lambda lb: -lb.x):
        left, right = lab.x, lab.x + 3 + lab.width
        row = 1 + max((lane[p.number] for p in placed if left - _PAD <= p.x <= right + _PAD), default=-1)
        while any(lane[p.number] == row and p.x < right + _PAD for p in placed):
            row += 1
        lane[lab.number] = row
        placed.append(lab)
    return lane


def nice_step(years: float) -> int:
    """The smallest round number of years (1, 2, 5, 10, 20, 25, 50, 100, ...,
    then 1000, 2000, ...) of at least ``years``."""
    scale = 1
    while True:
        for n in _NICE:
            if n * scale >= years:
                return n * scale
        scale *= 1000


class _Scale:
    """Years to x, with a stretch that is empty for most of the span squeezed
    into a short break. Years are astronomical; year y covers [y, y + 1)."""

    def __init__(self, years: list[int], width: float):
        years = sorted(set(years)) or [2000]
        limit = max(_GAP_YEARS, _GAP_SHARE * (years[-1] - years[0]))
        clusters: list[list[int]] = [[years[0], years[0]]]
        for y in years[1:]:
            if y - clusters[-1][1] > limit:
                clusters.append([y, y])
            else:
                clusters[-1][1] = y
        self.clusters = [(a, b + 1) for a, b in clusters]  # half-open spans of years
        span = sum(b - a for a, b in self.clusters)
        margin = 10.0
        self.per_year = (width - 2 * margin - _BREAK * (len(self.clusters) - 1)) / span
        self.starts = []
        x = margin
        self.breaks = []
        for i, (a, b) in enumerate(self.clusters):
            if i:
                self.breaks.append((x, x + _BREAK))
                x += _BREAK
            self.starts.append(x)
            x += (b - a) * self.per_year
        self.end = x
        # Years between labels: round numbers, as many as fit.
        self.step = nice_step(_TICK_ROOM / self.per_year)

    def x(self, position: float) -> float:
        for (a, b), start in zip(self.clusters, self.starts):
            if a <= position <= b:
                return start + (position - a) * self.per_year
        raise ValueError(f"year {position} outside the timeline")

    def labelled(self) -> list[tuple[float, int]]:
        """(x, year) of the year labels, each in the middle of its year (where
        an event of that year sits): every year when years are wide, else the
        round ones; a stretch without a round year labels its first."""
        out = []
        for (a, b), start in zip(self.clusters, self.starts):
            for y in _round_years(a, b, self.step) or [a]:
                out.append((start + (y - a + 0.5) * self.per_year, y))
        return out

    def marks(self) -> list[float]:
        """x of the tick marks: year boundaries when years are wide, else
        round years at a finer step than the labels."""
        out = []
        if self.per_year >= _TICK_ROOM:
            for (a, b), start in zip(self.clusters, self.starts):
                out += [start + (y - a) * self.per_year for y in range(a, b + 1)]
            return out
        minor = nice_step(_MINOR_ROOM / self.per_year)
        if minor >= self.step:
            minor = self.step
        for (a, b), start in zip(self.clusters, self.starts):
            out += [start + (y - a + 0.5) * self.per_year for y in _round_years(a, b, minor)]
        return out


def _round_years(a: int, b: int, step: int) -> list[int]:
    """The round years in [a, b) as a reader counts them: 1500, or 100 BC
    (astronomical -99); there is no year 0 to count from."""
    ad = range(-(-max(a, 1) // step) * step, b, step)
    # BC years n BC = 1 - n for a <= 1 - n < min(b, 1), i.e. n in (1 - min(b, 1), 1 - a]
    low, high = 1 - min(b, 1) + 1, 1 - a
    bc = range(-(-max(low, 1) // step) * step, high + 1, step)
    return sorted([1 - n for n in bc] + list(ad))
