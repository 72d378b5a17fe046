"""Generators with one answer per question: an attribute of a record, the
record that has an attribute, the date of a record, who held a role at one."""

from __future__ import annotations

from typing import Iterator

from quizgen.generate.base import Draft, Generator, Key, overlap, spelled
from quizgen.generate.options import dedupe, fold
from quizgen.model import Fact, FactDate, Point, Role


class Attribute(Generator):
    """The value of a text, name, ref or point field. Wrong options: the same
    field of the kind's other records; for a ref, the referred kind's other
    records (of the same `same` field, never one listed in a `related`
    field); for a point, its deliberately wrong values."""

    def _answer(self, fact: Fact) -> str:
        value = fact.get(self.field.name)  # type: ignore[union-attr]
        if isinstance(value, Point):
            return value.text
        if self.field.type == "ref":  # type: ignore[union-attr]
            target = self.index.by_id.get(str(value))
            return target.title if target else ""
        return str(value or "")

    def _pool(self, fact: Fact) -> dict[str, str]:
        """Wrong values: text -> a stable token."""
        return self.memo(("pool", fact.id), lambda: self._compute_pool(fact))  # type: ignore[return-value]

    def _compute_pool(self, fact: Fact) -> dict[str, str]:
        f = self.field
        value = fact.get(f.name)  # type: ignore[union-attr]
        answer = self._answer(fact)
        if isinstance(value, Point):
            return {w: str(i) for i, w in enumerate(value.wrong) if fold(w) != fold(answer)}
        if f.type == "ref":  # type: ignore[union-attr]
            target = self.index.by_id.get(str(value))
            excluded = {str(value)}
            for rel in f.related:  # type: ignore[union-attr]
                excluded.update(fact.get(rel) or ())  # type: ignore[arg-type]
            same = self.params.get("same")
            group = target.get(str(same)) if same is not None and target is not None else None
            names = {title: tid for title, tid in self._targets(group) if tid not in excluded}
        else:
            others = sorted((str(r.get(f.name)), r.id) for r in self.records  # type: ignore[union-attr]
                            if r.id != fact.id and r.get(f.name))  # type: ignore[union-attr]
            names = {}
            for text, rid in others:
                names.setdefault(text, rid)
        return {n: names[n] for n in dedupe(names, exclude=[answer])}

    def _targets(self, group: object) -> list[tuple[str, str]]:
        """(title, id) of the referred kind's records, by title; only those whose
        `same` field equals ``group`` when it is given."""
        same = self.params.get("same")
        return self.memo(("targets", group), lambda: [  # type: ignore[return-value]
            (t.title, t.id) for t in sorted(self.index.of(self.field.kind), key=lambda t: t.title)  # type: ignore[union-attr]
            if group is None or t.get(str(same)) == group])

    def _eligible(self) -> Iterator[Fact]:
        for r in self.records:
            if r.get(self.field.name) is not None and self.shows(r):  # type: ignore[union-attr]
                yield r

    def _keys(self) -> Iterator[Key]:
        return self._item_keys(((r.id,), self._pool(r)) for r in self._eligible())

    def units(self, key: Key, q) -> tuple[str, ...]:
        if self.field.type == "point":  # type: ignore[union-attr]
            return (f"{key[0]}#{self.field.name}",)  # type: ignore[union-attr]
        return q.facts

    def draft(self, key: Key) -> Draft:
        fact = self.index.by_id[self._base(key)[0]]
        values, cites = self.values(fact)
        value = fact.get(self.field.name)  # type: ignore[union-attr]
        answer = self._answer(fact)
        citations = fact.own_citations
        facts: tuple[str, ...] = (fact.id,)
        accept: tuple[str, ...] = ()
        note = ""
        if isinstance(value, Point):
            citations, accept, note = value.citations, value.accept, value.note
        elif self.field.type == "ref":  # type: ignore[union-attr]
            target = self.index.by_id[str(value)]
            citations, facts, note = citations + target.own_citations, (fact.id, target.id), target.note
        pool = self._pool(fact)
        draft = Draft(facts=facts, citations=citations, slots={**values, "answer_note": note}, answer=answer,
                      wrong=list(pool), accept=accept, extra_citations=cites)
        return self._stated(key, draft, pool)


class Entity(Generator):
    """The record that has a value: the prompt shows the value, the answer
    is the record's name; wrong options are records with another value."""

    def _pool(self, fact: Fact) -> dict[str, str]:
        mine = fold(str(fact.get(self.field.name)))  # type: ignore[union-attr]
        names = {r.title: r.id for r in sorted(self.records, key=lambda r: r.title)
                 if r.get(self.field.name) is not None  # type: ignore[union-attr]
                 and fold(str(r.get(self.field.name))) != mine}  # type: ignore[union-attr]
        return {n: names[n] for n in dedupe(names, exclude=[fact.title])}

    def _keys(self) -> Iterator[Key]:
        # a value several records share has several right answers: not asked
        counts: dict[str, int] = {}
        for r in self.records:
            if r.get(self.field.name) is not None:  # type: ignore[union-attr]
                v = fold(str(r.get(self.field.name)))  # type: ignore[union-attr]
                counts[v] = counts.get(v, 0) + 1
        return self._item_keys(((r.id,), self._pool(r)) for r in self.records
                               if r.get(self.field.name) is not None  # type: ignore[union-attr]
                               and counts[fold(str(r.get(self.field.name)))] == 1  # type: ignore[union-attr]
                               and self.shows(r))

    def draft(self, key: Key) -> Draft:
        fact = self.index.by_id[self._base(key)[0]]
        values, cites = self.values(fact)
        pool = self._pool(fact)
        draft = Draft(facts=(fact.id,), citations=fact.own_citations, slots=dict(values), answer=fact.title,
                      wrong=list(pool), extra_citations=cites)
        return self._stated(key, draft, pool)


class EventDate(Generator):
    """When something happened, at the precision the sources give. Wrong
    options are other records' dates at that precision, in date order;
    approximate dates and ranges are never asked for nor offered."""

    def _date(self, fact: Fact) -> FactDate | None:
        value = fact.get(self.field.name)  # type: ignore[union-attr]
        return value if isinstance(value, FactDate) and value.exact else None

    def _labels(self, precision: str) -> dict[str, tuple[str, tuple]]:
        """Every exact date shown at ``precision``: label -> (token, sort key), in date order."""
        def compute() -> dict[str, tuple[str, tuple]]:
            table: dict[str, tuple[str, tuple]] = {}
            for other in self.records:
                d = self._date(other)
                label = d.label(precision) if d else None
                if d and label and label not in table:
                    table[label] = (d.token(precision), d.bounds[0])  # type: ignore[assignment]
            return dict(sorted(table.items(), key=lambda kv: kv[1][1]))
        return self.memo(("labels", precision), compute)  # type: ignore[return-value]

    def _pool(self, date: FactDate) -> dict[str, str]:
        answer = date.label()
        # not memoised: one near-complete table per distinct date would cost far more memory than time
        return {k: tok for k, (tok, _) in self._labels(date.precision).items() if k != answer}

    def _keys(self) -> Iterator[Key]:
        return self._item_keys(((r.id,), self._pool(d)) for r in self.records
                               if (d := self._date(r)) is not None and self.shows(r))

    def draft(self, key: Key) -> Draft:
        fact = self.index.by_id[self._base(key)[0]]
        date: FactDate = self._date(fact)  # type: ignore[assignment]
        values, cites = self.values(fact)
        pool = self._pool(date)
        answer = date.label() or date.value
        accept = [date.value]
        if date.precision == "day":  # "December 15, 2016"
            day, month, year = answer.split(" ", 2)
            accept.append(f"{month} {int(day)}, {year}")
        order = {label: sort for label, (_, sort) in self._labels(date.precision).items()}
        draft = Draft(facts=(fact.id,), citations=fact.own_citations, slots=dict(values), answer=answer,
                      wrong=list(pool), accept=tuple(accept), extra_citations=cites,
                      order_options=lambda options: sorted(options, key=lambda o: order[o]))
        prep = date.preposition()
        return self._stated(key, draft, pool, lambda v: f"{prep} {v}".strip())


class RoleHolder(Generator):
    """Who held a role at a record. Wrong options are records of the
    holder's kind that did not hold the same role at an overlapping date;
    those sharing the holder's `prefer` field come first, and true/false
    statements name only them (when there are any), so statements are plausible."""

    def _holdings(self) -> list[tuple[Fact, int, Role, Fact]]:
        def compute():
            out = []
            for p in self.records:
                for i, role in enumerate(p.get(self.field.name) or ()):  # type: ignore[union-attr]
                    at = self.index.by_id.get(role.at)
                    if at is not None:
                        out.append((p, i, role, at))
            return out
        return self.memo("holdings", compute)  # type: ignore[return-value]

    def _pool(self, holding, plausible_only: bool = False) -> dict[str, str]:
        return self.memo(("pool", holding[0].id, holding[1], plausible_only),  # type: ignore[return-value]
                         lambda: self._compute_pool(holding, plausible_only))

    def _compute_pool(self, holding, plausible_only: bool) -> dict[str, str]:
        p, _, role, at = holding
        by_role = self.memo("by-role", lambda: _group_by_role(self._holdings()))
        date = self.index.date_of(at)
        holders = {o.id for o, _, _, other_at in by_role.get(role.role, ())  # type: ignore[union-attr]
                   if overlap(self.index.date_of(other_at), date)}
        people = self.memo("people", lambda: [(name, r.id, fold(name)) for name, r in
                                              sorted({r.title: r for r in self.records}.items())])
        mine = fold(p.title)
        pool = {name: rid for name, rid, folded in people if rid not in holders and folded != mine}  # type: ignore[union-attr]
        prefer = self.params.get("prefer")
        if plausible_only and prefer:
            same = {n: i for n, i in pool.items() if self.index.by_id[i].get(str(prefer)) == p.get(str(prefer))}
            return same or pool
        return pool

    def _keys(self) -> Iterator[Key]:
        tf = self.template.type == "true_false"
        for h in self._holdings():
            if self.shows(h[0]) and self.shows(h[3], self.index.kinds[h[3].kind], h[3].kind + "_"):
                yield from self._item_keys([((h[0].id, str(h[1])), self._pool(h, plausible_only=tf))])

    def _slots(self, holding):
        p, _, role, at = holding
        mine, cites = self.values(p)
        theirs, their_cites = self.values(at, self.index.kinds[at.kind], at.kind + "_")
        return {**mine, **theirs, "role": role.role}, {**cites, **their_cites}

    def draft(self, key: Key) -> Draft:
        pid, i = self._base(key)[:2]
        holding = next(h for h in self._holdings() if h[0].id == pid and h[1] == int(i))
        p, _, role, at = holding
        slots, cites = self._slots(holding)
        # the name as the role's own source spells it; other spellings are
        # accepted, with a quote of the source that prints each
        cited = {c.source for c in role.citations}
        answer = spelled(p, role.citations)
        others = sorted(({s.name for s in p.spellings} | {p.title}) - {answer})
        spelled_in = {s.source for s in p.spellings if s.name in others}
        citations = role.citations + tuple(c for c in p.own_citations if c.source in spelled_in - cited)
        accept = tuple(others) + (p.title.split()[-1],)
        slots = {**slots, "answer": answer}
        pool = self._pool(holding)
        draft = Draft(facts=(p.id, at.id), citations=citations, slots=slots, answer=answer,
                      wrong=list(pool), preferred=list(self._pool(holding, plausible_only=True)),
                      accept=accept, extra_citations=cites)
        return self._stated(key, draft, pool)


def _group_by_role(holdings):
    out: dict[str, list] = {}
    for h in holdings:
        out.setdefault(h[2].role, []).append(h)
    return out
