"""The text a record offers templates, slot by slot (see
quizgen/bank/generators.py for the names), with the citations each slot
brings when a template uses it."""

from __future__ import annotations

from typing import Mapping

from quizgen.bank.generators import DATE_SUFFIXES, field_slots
from quizgen.generate.options import join_names
from quizgen.model import Citation, Fact, FactDate, FieldSpec, Kind, Name, Point


def date_values(date: FactDate | None, base: str) -> dict[str, str]:
    if date is None:
        return {base + s: "" for s in DATE_SUFFIXES}
    when = date.label() or date.value
    prep = date.preposition()
    on = f"{prep} {when}".strip()
    mark = " (inferred)" if date.inferred else ""
    note = (f"{when[:1].upper()}{when[1:]} is inferred: the source does not print it in full. {date.basis}"
            if date.inferred else date.basis)
    return {base: when, base + "_on": on, base + "_prep": prep, base + "_marked": when + mark,
            base + "_on_marked": on + mark, base + "_note": note}


def names_note(spec: FieldSpec, names: Mapping[str, Name] | None, plural: bool = False) -> str:
    """Said wherever names a source does not print are shown (``plural``: of several records)."""
    added = [spec.language(k) for k, n in (names or {}).items() if not n.in_sources]
    if not added:
        return ""
    what = "name is" if len(added) == 1 and not plural else "names are"
    return f"The {join_names(added)} {what} not printed in the sources: added data, not quoted from any source."


def record_values(fact: Fact | None, kind: Kind, by_id: Mapping[str, Fact],
                  prefix: str = "") -> tuple[dict[str, str], dict[str, tuple[Citation, ...]]]:
    """Every slot of the record (empty text where it has no value), and the
    citations of the slots that show another record or a cited sub-item."""
    values: dict[str, str] = {}
    cites: dict[str, tuple[Citation, ...]] = {}
    for spec in kind.fields:
        value = fact.get(spec.name) if fact is not None else None
        slots = field_slots(spec, prefix)
        p = prefix + spec.name
        if spec.type in ("text", "name"):
            values[p] = str(value or "")
            if prefix and value and fact is not None:  # another record's words: its quotes back them
                cites[p] = fact.own_citations
        elif spec.type == "date":
            values.update(date_values(value, p))  # type: ignore[arg-type]
        elif spec.type == "ref":
            target = by_id.get(str(value or ""))
            values[p] = target.title if target else ""
            if target:
                cites[p] = target.own_citations
        elif spec.type == "refs":
            targets = [by_id[i] for i in value or () if i in by_id]  # type: ignore[union-attr]
            values[p] = join_names([t.title for t in targets])
            if targets:
                cites[p] = tuple(c for t in targets for c in t.own_citations)
        elif spec.type == "point":
            point: Point | None = value  # type: ignore[assignment]
            values[p] = point.text if point else ""
            values[p + "_note"] = point.note if point else ""
            if point:
                cites[p] = point.citations
        elif spec.type == "names":
            names: Mapping[str, Name] = value or {}  # type: ignore[assignment]
            for slot, (key, _) in zip(slots, spec.languages):
                values[slot] = names[key].text if key in names else ""
            values[p + "_note"] = names_note(spec, names)
    values[prefix + "note"] = fact.note if fact is not None else ""
    return values, cites
