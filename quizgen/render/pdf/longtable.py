"""A table of many rows laid out a page at a time.

A reportlab Table measures all its rows whenever it is wrapped or split, and
the part left over after each page is a new Table that measures all of its
rows again: a key's summary of N questions costs N²/rows-per-page row
measurements. PageTable hands reportlab only a window of the rows that is
sure to overfill the space left on the page; reportlab splits that window
exactly where it would have split the whole table (the rows above the split
are the same rows with the same heights), and the rest waits, unmeasured, for
the next page. The pages come out as the whole table's would. The rows may
come from an iterator, made only when a page needs them: then the rows of a
long table never wait in memory all at once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

from reportlab.platypus import Flowable, Table

WINDOW = 64  # rows of the first try: more than a page holds at the smallest row height

# make(rows, last) -> the Table of the header row, then ``rows``; ``last``
# says whether they end with the table's final rows (a total, say), which is
# where styles aimed at the end of the table belong.
MakeTable = Callable[[list[list[object]], bool], Table]


class PageTable(Flowable):
    """The body ``rows`` under the header ``make`` puts above them; ``tail``
    (a total row, say) closes the table. ``make`` builds the Table of any
    run of rows with the header repeated, styled as the whole table would be."""

    def __init__(self, rows: Iterable[list[object]], tail: Sequence[list[object]], make: MakeTable,
                 window: int = WINDOW):
        super().__init__()
        self.hAlign = "LEFT"
        self.tail, self.make, self.window = list(tail), make, window
        self._ahead: list[list[object]] = []  # rows made, not yet on a page
        self._more = iter(rows)  # rows not yet made (shared with the rest after a split)
        self._table: Table | None = None
        self._for: tuple[float, float] | None = None
        self._last = False

    def _rows(self, k: int) -> tuple[list[list[object]], bool]:
        """The first ``k`` rows, and whether they are all there is (one row
        more is made to know)."""
        ahead = self._ahead
        if len(ahead) <= k and self._more is not None:
            ahead.extend(itertools.islice(self._more, k + 1 - len(ahead)))
            if len(ahead) <= k:
                self._more = None
        return ahead[:k], len(ahead) <= k

    def _wrapped(self, avail_width: float, avail_height: float) -> tuple[Table, float, float]:
        if self._table is None or self._for != (avail_width, avail_height):
            k = self.window
            while True:  # a window of rows taller than the space, or every row there is
                rows, last = self._rows(k)
                table = self.make(rows + self.tail if last else rows, last)
                width, height = table.wrap(avail_width, avail_height)
                if last or height > avail_height:
                    break
                k *= 2
            self._table, self._for, self._last, self._k = table, (avail_width, avail_height), last, k
            self._size = width, height
        return self._table, *self._size

    def wrap(self, avail_width, avail_height):
        _, self.width, self.height = self._wrapped(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        table, _, _ = self._wrapped(avail_width, avail_height)
        parts = table.split(avail_width, avail_height)
        if len(parts) != 2 or self._last:  # nothing fits, all of it fits, or the window held every row
            return parts
        first, rest = parts
        # rest repeats the header, then the window's rows below the split (the
        # first perhaps the lower part of a row split across the page)
        left = [list(row) for row in rest._cellvalues[1:]]
        after = PageTable((), self.tail, self.make, self.window)
        # reportlab is done with this table once it has split it in two: its
        # rows not yet made go on with the rest
        after._ahead, after._more = left + self._ahead[self._k:], self._more
        return [first, after]

    def draw(self):
        # Only when the whole remainder fitted without a split: then it is the one table.
        self._table.drawOn(self.canv, 0, 0)
