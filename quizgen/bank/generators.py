"""What each generator offers templates: question types, params and the
placeholders (slots) a template may use, worked out from the bank's kinds.

Generators are generic over field types, so their slots come from the declared
fields: a kind with a date field `date` offers `{{ date }}`, `{{ date_on }}`...;
a names field with languages latin and german offers `{{ latin }}` and
`{{ german }}`. The generators themselves live in quizgen/generate/."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from quizgen.model import FieldSpec, Kind

CAP_SUFFIX = "_cap"
DATE_SUFFIXES = ("", "_on", "_prep", "_marked", "_on_marked", "_note")
TF_SLOTS = ("verdict", "stated")


@dataclass(frozen=True)
class Param:
    """A template parameter. ``what`` says what it names: "kind" (a kind of
    kinds.yaml), "field" (a field of that kind, of one of the generator's
    ``field_types``), "language" (a language of that names field),
    "kind-field" (any text/name field of the kind), "target-field" (a text
    field of the kind a ref field points to); or a fixed ``choices`` list, or
    an integer in [minimum, maximum]."""

    what: str = ""
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    default: str | int | None = None
    required: bool = False


@dataclass(frozen=True)
class GeneratorSpec:
    name: str
    summary: str
    types: tuple[str, ...]
    field_types: tuple[str, ...]  # the types the `field` param may name
    params: Mapping[str, Param] = field(default_factory=dict)


_KIND = Param(what="kind", required=True)


def _field(required: bool = True) -> Param:
    return Param(what="field", required=required)


_SIZE = Param(minimum=3, maximum=6, default=4)  # two pairs or two items test next to nothing
GENERATORS: dict[str, GeneratorSpec] = {g.name: g for g in (
    GeneratorSpec("attribute", "an attribute of a record (answer: the value; wrong: the same field of other "
                  "records, the referred kind's other records, or a point's wrong values)",
                  ("mcq", "short_answer", "true_false", "cloze"), ("text", "name", "ref", "point"),
                  {"kind": _KIND, "field": _field(), "same": Param(what="target-field")}),
    GeneratorSpec("entity", "the record that has an attribute value (answer: the record's name)",
                  ("mcq", "short_answer", "true_false"), ("text", "name", "ref"),
                  {"kind": _KIND, "field": _field()}),
    GeneratorSpec("event-date", "when something happened (answer: its date, at the precision the sources give)",
                  ("mcq", "short_answer", "cloze", "true_false"), ("date",),
                  {"kind": _KIND, "field": _field()}),
    GeneratorSpec("chronology", "put records in order by a date, earliest first; only dates that cannot "
                  "overlap are combined",
                  ("ordering",), ("date",),
                  {"kind": _KIND, "field": _field(), "size": _SIZE,
                   "item": Param(what="kind-field"), "describe": Param(what="kind-field")}),
    GeneratorSpec("role-holder", "who held a role at a record (answer: the holder; wrong: records of the "
                  "holder's kind that did not hold that role at an overlapping date)",
                  ("mcq", "short_answer", "true_false"), ("roles",),
                  {"kind": _KIND, "field": _field(), "prefer": Param(what="kind-field")}),
    GeneratorSpec("match", "match records to an attribute each has exactly one value of, no two sharing one",
                  ("matching",), ("text", "name", "ref", "roles"),
                  {"kind": _KIND, "field": _field(), "size": _SIZE}),
    GeneratorSpec("claim", "a true or deliberately falsified statement (true/false), or the true one among "
                  "false ones, or the false one among true ones (mcq, `pick`)",
                  ("true_false", "mcq"), ("claims",),
                  {"kind": _KIND, "field": _field(), "pick": Param(choices=("true", "false"), default="true")}),
    GeneratorSpec("names", "a record's name in one language (`ask`) given another (`given`), or names "
                  "matched across two languages",
                  ("mcq", "short_answer", "true_false", "matching"), ("names",),
                  {"kind": _KIND, "field": _field(), "ask": Param(what="language"),
                   "given": Param(what="language"), "size": _SIZE,
                   "distractors": Param(choices=("records", "languages"), default="records")}),
)}


# -- slots -------------------------------------------------------------------------

def field_slots(spec: FieldSpec, prefix: str = "") -> list[str]:
    """The slots a field offers, in the order the kind lists them."""
    p = prefix + spec.name
    if spec.type in ("text", "name", "ref", "refs"):
        return [p]
    if spec.type == "date":
        return [p + s for s in DATE_SUFFIXES]
    if spec.type == "point":
        return [p, p + "_note"]
    if spec.type == "names":
        base = prefix if spec.name == "names" else p + "_"
        return [base + key for key, _ in spec.languages] + [p + "_note"]
    return []  # roles, claims: used by their generators, not shown as text


def record_slots(kind: Kind, prefix: str = "") -> dict[str, str]:
    """slot -> the field of ``kind`` it shows ("note" for the record's note)."""
    out = {s: f.name for f in kind.fields for s in field_slots(f, prefix)}
    out[prefix + "note"] = "note"
    return out


def hidden_fields(kind: Kind, asked: set[str]) -> set[str]:
    """Fields that would show what is asked: the asked fields themselves, texts
    that mention one of them, and the note (free text that may say anything)."""
    return {f.name for f in kind.fields if f.name in asked or asked & set(f.mentions)} | {"note"}


@dataclass(frozen=True)
class Slots:
    every: tuple[str, ...]  # without the _cap variants
    hidden: frozenset[str]  # with them


def template_slots(generator: str, qtype: str, params: Mapping[str, str | int],
                   kinds: Mapping[str, Kind]) -> Slots:
    """The slots a template of this generator, type and (valid) params may use,
    and those it may use only in the explanation."""
    kind = kinds[str(params["kind"])]
    fname = str(params.get("field", ""))
    spec = kind.field(fname)
    own = record_slots(kind)
    slots: dict[str, str] = dict(own)
    hidden: set[str] = set()

    def hide_fields(names: set[str], table: Mapping[str, str] = own) -> None:
        hidden.update(s for s, f in table.items() if f in names)

    if generator in ("attribute", "event-date"):
        slots.update(answer="", answer_note="")
        hidden.update(("answer", "answer_note"))
        hide_fields(hidden_fields(kind, {fname}))
    elif generator == "entity":
        slots["answer"] = ""
        hidden.add("answer")
        title = kind.title.partition(".")[0]
        hide_fields(hidden_fields(kind, {title}) - ({fname} if fname != title else set()))
    elif generator == "chronology":
        slots = {"count": "", "timeline": "", "date_notes": ""}
        hidden.add("timeline")
    elif generator == "role-holder":
        at = kinds.get(spec.kind) if spec else None
        slots.update(answer="", role="")
        hidden.add("answer")
        hide_fields(hidden_fields(kind, {kind.title.partition(".")[0]}))  # the holder's name, its note
        if at is not None:
            theirs = record_slots(at, at.name + "_")
            slots.update(theirs)
            refs_to_me = {f.name for f in at.fields if f.type in ("ref", "refs") and f.kind == kind.name}
            hide_fields(hidden_fields(at, {"holders"} | refs_to_me), theirs)
    elif generator == "match":
        slots = {"count": "", "pairs_text": "", "notes": ""}
        hidden.update(("pairs_text", "notes"))
    elif generator == "claim":
        slots.update(statement="", truth="", detail="", answer="")
        hidden.update(("truth", "detail", "answer", "note"))
        if qtype == "mcq":
            hidden.add("statement")  # there, the statement is the answer
    elif generator == "names" and spec is not None:
        slots.update(language="", given_language="", answer="", other_names="", other_languages="")
        if qtype == "matching":
            slots = {"left_language": "", "right_language": "", "pairs_text": "", "count": "",
                     spec.name + "_note": ""}
            hidden.add("pairs_text")
        else:
            hidden.update(("answer", "note"))
            langs = [str(params["ask"])] if "ask" in params else [k for k, _ in spec.languages]
            base = "" if spec.name == "names" else spec.name + "_"
            hidden.update(base + lang for lang in langs)
            if "ask" not in params:
                hidden.add("other_names")
    if qtype == "true_false":
        slots.update(dict.fromkeys(TF_SLOTS, ""))
    hidden.add("verdict")
    every = tuple(slots)
    if qtype in ("cloze", "matching", "ordering"):
        hidden = {"verdict"} | ({"pairs_text", "timeline"} & hidden)
    return Slots(every, frozenset(hidden | {h + CAP_SUFFIX for h in hidden}))


def slot_names(every: tuple[str, ...]) -> tuple[str, ...]:
    return every + tuple(s + CAP_SUFFIX for s in every)
