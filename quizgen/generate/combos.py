"""Questions made of several records: put them in date order, or match each
to an attribute. Only combinations with exactly one right answer are made."""

from __future__ import annotations

import bisect
import itertools
import random
from typing import Iterator

from quizgen.generate.base import Combinations, Draft, Key, bounds_of, spelled
from quizgen.generate.names import _number
from quizgen.generate.options import unique_citations
from quizgen.model import Fact, FactDate, Role


class Chronology(Combinations):
    """`size` records whose dates cannot overlap, so their order is certain;
    any span of years, BC included. Approximate dates have no bounds and are
    left out."""

    def _sorted(self) -> list[tuple[tuple, tuple, Fact]]:
        """(first day, last day, record), by first day."""
        def compute():
            rows = []
            for r in self.records:
                d = r.get(self.field.name)  # type: ignore[union-attr]
                if isinstance(d, FactDate) and not d.approximate and self._item(r):
                    rows.append((*bounds_of(d), r))
            return sorted(rows, key=lambda row: (row[0], row[1], row[2].id))
        return self.memo("sorted", compute)  # type: ignore[return-value]

    def _item(self, r: Fact) -> str:
        return str(r.get(str(self.params["item"])) or "") if "item" in self.params else r.title

    def _describe(self, r: Fact) -> str:
        return str(r.get(str(self.params["describe"])) or r.title) if "describe" in self.params else r.title

    def count(self) -> int:
        """Chains of `size` records, each ending before the next begins: for
        each length, the chains ending at a record are summed over the records
        that end before it starts (a prefix sum in order of last day)."""
        rows = self._sorted()
        if self.size <= 0 or not rows:
            return 0
        by_end = sorted(range(len(rows)), key=lambda i: rows[i][1])
        ends = [rows[i][1] for i in by_end]
        before = [bisect.bisect_left(ends, start) for start, _, _ in rows]  # records ending earlier
        chains = [1] * len(rows)
        for _ in range(self.size - 1):
            prefix = [0]
            for i in by_end:
                prefix.append(prefix[-1] + chains[i])
            chains = [prefix[before[i]] for i in range(len(rows))]
        return sum(chains)

    def _keys(self) -> Iterator[Key]:
        rows = self._sorted()
        k = self.size

        def extend(chain: list[int]) -> Iterator[Key]:
            if len(chain) == k:
                yield tuple(rows[i][2].id for i in chain)
                return
            start = chain[-1] + 1 if chain else 0
            for i in range(start, len(rows)):
                if not chain or rows[chain[-1]][1] < rows[i][0]:
                    yield from extend(chain + [i])

        return extend([])

    def _random_key(self, rng: random.Random) -> Key | None:
        rows = self._sorted()
        if len(rows) < self.size:
            return None
        chain = [rows[i] for i in sorted(rng.sample(range(len(rows)), self.size))]
        if any(not a[1] < b[0] for a, b in zip(chain, chain[1:])):
            return None
        return tuple(row[2].id for row in chain)

    def draft(self, key: Key) -> Draft:
        records = [self.index.by_id[i] for i in key]
        parts = []
        for r in records:
            d: FactDate = r.get(self.field.name)  # type: ignore[assignment,union-attr]
            parts.append(f"{self._describe(r)} ({d.label()}{', inferred' if d.inferred else ''})")
        inferred = any(r.get(self.field.name).inferred for r in records)  # type: ignore[union-attr]
        notes = ("Dates marked inferred are not printed in full in the sources; they are worked out from "
                 "the sources' words or from outside knowledge." if inferred else "")
        slots = {"count": _number(len(records)), "timeline": "; ".join(parts) + ".", "date_notes": notes}
        return Draft(facts=key, citations=unique_citations(r.own_citations for r in records), slots=slots,
                     items=tuple(self._item(r) for r in records))


class Match(Combinations):
    """`size` records, each with a single value of the field, no two sharing
    one, so the matching has exactly one solution."""

    def _value(self, r: Fact) -> tuple[str, tuple] | None:
        """The record's one value and its citations, or None (none or several)."""
        value = r.get(self.field.name)  # type: ignore[union-attr]
        if self.field.type == "roles":  # type: ignore[union-attr]
            roles: tuple[Role, ...] = value or ()  # type: ignore[assignment]
            names = {x.role for x in roles}
            return (names.pop(), roles[0].citations) if len(names) == 1 else None
        if self.field.type == "ref":  # type: ignore[union-attr]
            target = self.index.by_id.get(str(value))
            return (target.title, r.own_citations + target.own_citations) if target else None
        return (str(value), r.own_citations) if value else None

    def _groups(self) -> list[tuple[str, list[Fact]]]:
        def compute():
            by_value: dict[str, list[Fact]] = {}
            for r in self.records:
                v = self._value(r)
                if v is not None:
                    by_value.setdefault(v[0], []).append(r)
            return sorted(by_value.items())
        return self.memo("groups", compute)  # type: ignore[return-value]

    def count(self) -> int:
        # elementary symmetric polynomial of the group sizes
        e = [1] + [0] * self.size
        for _, members in self._groups():
            for j in range(self.size, 0, -1):
                e[j] += e[j - 1] * len(members)
        return e[self.size]

    def _keys(self) -> Iterator[Key]:
        for values in itertools.combinations(self._groups(), self.size):
            for members in itertools.product(*(g for _, g in values)):
                yield tuple(r.id for r in members)

    def _random_key(self, rng: random.Random) -> Key | None:
        groups = self._groups()
        if len(groups) < self.size:
            return None
        picked = sorted(rng.sample(range(len(groups)), self.size))
        return tuple(rng.choice(groups[i][1]).id for i in picked)

    def draft(self, key: Key) -> Draft:
        records = [self.index.by_id[i] for i in key]
        found = [self._value(r) for r in records]
        pairs = tuple((spelled(r, v[1]), v[0]) for r, v in zip(records, found))  # type: ignore[index]
        text = "; ".join(f"{a}: {b}" for a, b in pairs) + "."
        notes = " ".join(r.note for r in records if r.note)
        slots = {"count": _number(len(pairs)), "pairs_text": text, "notes": notes}
        return Draft(facts=key, citations=unique_citations(v[1] for v in found), slots=slots,  # type: ignore[index]
                     pairs=pairs)
