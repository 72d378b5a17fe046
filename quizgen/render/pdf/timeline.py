"""The timeline figure: events a set covers, on a year axis.

Events come only from what the set's questions cite, so the figure cannot say
more than the sources do:

* a year written in a citation quote ("In 1956, Russia and Japan inked a
  declaration") becomes an event labelled with the words around it, verbatim;
* each cited article becomes an event at its date, labelled with outlet and
  headline; when the article prints no date the date is ours, and it is marked
  with an asterisk.

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

from quizgen.model import Question, Source

_YEAR = re.compile(r"(?<![\d.,/])(1[89]\d\d|20\d\d)(?![\d\w])")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?")

LABEL_WORDS_BEFORE = 4
LABEL_WORDS_AFTER = 5
MAX_LABEL_CHARS = 90
MAX_EVENTS = 12


@dataclass(frozen=True, slots=True)
class Event:
    year: int
    month: int | None
    date_text: str  # as printed: "1956", "2017-03", "2018-09"
    label: str
    source_ids: tuple[str, ...]
    inferred: bool = False
    kind: str = "quote"  # "quote" or "article"

    @property
    def position(self) -> float:
        """Fractional year: the middle of the month, or of the year."""
        return self.year + ((self.month - 0.5) / 12 if self.month else 0.5)


def events(questions: Iterable[Question], sources: Iterable[Source]) -> tuple[Event, ...]:
    """The set's events, earliest first, at most MAX_EVENTS (quotes first)."""
    by_id = {s.id: s for s in sources}
    quoted: dict[int, Event] = {}
    cited: list[str] = []
    for q in questions:
        for citation in q.citations:
            if citation.source not in cited:
                cited.append(citation.source)
            for match in _YEAR.finditer(citation.quote):
                year = int(match.group(1))
                if year in quoted:
                    if citation.source not in quoted[year].source_ids:
                        old = quoted[year]
                        quoted[year] = Event(old.year, None, old.date_text, old.label,
                                             old.source_ids + (citation.source,))
                    continue
                quoted[year] = Event(year, None, str(year), _fragment(citation.quote, match),
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
_GAP_YEARS = 6  # a gap longer than this is compressed
_PAD = 6
_LABEL_WIDTH = 150.0
_RIGHT_ROOM = 104.0  # room right of the last event for its label
_BLANK_WIDTH = 92.0


@dataclass(frozen=True, slots=True)
class _Label:
    number: int
    x: float  # the event's place on the axis; the label hangs right of it
    width: float
    date: str
    lines: tuple[str, ...]


def drawing(evts: tuple[Event, ...], width: float, blank: bool):
    """A reportlab Drawing of the events. With ``blank`` the labels are
    numbered write-in lines (worksheet); otherwise date and label (key)."""
    from reportlab.graphics.shapes import Circle, Drawing, Line, String
    from reportlab.lib import colors

    from quizgen.render.pdf import fonts as pdf_fonts
    from quizgen.render.pdf.fonts import SANS, SANS_BOLD

    scale = _Scale([e.year for e in evts], width - _RIGHT_ROOM)
    labels = []
    for n, e in enumerate(evts, start=1):
        x = scale.x(e.position)
        room = min(_LABEL_WIDTH, width - x - 3)
        if blank:
            labels.append(_Label(n, x, min(_BLANK_WIDTH, room), str(n), ()))
            continue
        date = e.date_text + ("*" if e.inferred else "")
        lines = _wrap(e.label, room, lambda t: pdf_fonts.string_width(t, _LABEL_SIZE))
        w = max([pdf_fonts.string_width(date, _LABEL_SIZE, SANS_BOLD)] +
                [pdf_fonts.string_width(t, _LABEL_SIZE) for t in lines])
        labels.append(_Label(n, x, w, date, lines))
    lanes = _lanes(labels)

    axis_y = 16.0
    height = axis_y + 6 + (1 + max(lanes.values(), default=0)) * _LANE + 5
    d = Drawing(width, height, initialFontName=SANS)  # the default would be Helvetica, not embedded
    grey = colors.Color(0.3, 0.3, 0.3)
    stem = colors.Color(0.55, 0.55, 0.55)
    d.add(Line(0, axis_y, scale.end + 10, axis_y, strokeColor=colors.black, strokeWidth=0.9))
    for start, end in scale.breaks:
        mid = (start + end) / 2
        d.add(Line(start + 4, axis_y, end - 4, axis_y, strokeColor=colors.white, strokeWidth=2.5))
        for dx in (-3, 3):
            d.add(Line(mid + dx - 2.5, axis_y - 4, mid + dx + 2.5, axis_y + 4, strokeWidth=0.8))
    for x, label in scale.ticks():
        if label:
            d.add(String(x, axis_y - 11, label, fontName=SANS, fontSize=_AXIS_SIZE,
                         textAnchor="middle", fillColor=grey))
        else:
            d.add(Line(x, axis_y - 3, x, axis_y + 3, strokeWidth=0.6))
    for lab in labels:
        top = axis_y + 6 + (lanes[lab.number] + 1) * _LANE
        left = lab.x + 3
        d.add(Line(lab.x, axis_y, lab.x, top, strokeColor=stem, strokeWidth=0.5))
        d.add(Circle(lab.x, axis_y, 2.4, fillColor=colors.black, strokeColor=None))
        baseline = top - _LABEL_SIZE
        if blank:
            d.add(String(left, baseline, lab.date, fontName=SANS_BOLD, fontSize=_LABEL_SIZE + 1))
            for i, y in enumerate((baseline, baseline - _LINE - 3, baseline - 2 * _LINE - 4)):
                d.add(Line(left + (10 if i == 0 else 0), y - 1, left + lab.width, y - 1,
                           strokeWidth=0.5, strokeColor=stem))
            continue
        _runs(d, String, pdf_fonts, left, baseline, lab.date, SANS_BOLD)
        for line in lab.lines:
            baseline -= _LINE
            _runs(d, String, pdf_fonts, left, baseline, line, SANS)
    return d


def _runs(d, String, pdf_fonts, x: float, y: float, text: str, font: str) -> None:
    """Draw text run by run, each in the font that has its glyphs."""
    for run_font, chunk in pdf_fonts.runs(text):
        face = run_font if run_font == pdf_fonts.JAPANESE else font
        d.add(String(x, y, chunk, fontName=face, fontSize=_LABEL_SIZE))
        x += pdf_fonts.string_width(chunk, _LABEL_SIZE, face)


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


class _Scale:
    """Years to x, with long empty stretches squeezed into a short break."""

    def __init__(self, years: list[int], width: float):
        years = sorted(set(years)) or [2000]
        clusters: list[list[int]] = [[years[0], years[0]]]
        for y in years[1:]:
            if y - clusters[-1][1] > _GAP_YEARS:
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

    def x(self, position: float) -> float:
        for (a, b), start in zip(self.clusters, self.starts):
            if a <= position <= b:
                return start + (position - a) * self.per_year
        raise ValueError(f"year {position} outside the timeline")

    def ticks(self) -> list[tuple[float, str]]:
        """Tick positions at year boundaries, with an empty label, and year
        labels centred in their year (thinned out when crowded)."""
        step = 1
        while self.per_year * step < 28:
            step += 1
        out = []
        for (a, b), start in zip(self.clusters, self.starts):
            for y in range(a, b + 1):
                out.append((start + (y - a) * self.per_year, ""))
            for y in range(a, b, step):
                out.append((start + (y - a + 0.5) * self.per_year, str(y)))
        return out
