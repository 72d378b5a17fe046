"""Load and validate the facts database (questions/facts.yaml) into typed,
frozen records. Every problem is collected as a Diagnostic at file:line:col;
nothing is raised for bad input."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Sequence

from yaml.nodes import MappingNode, Node

from quizgen.bank.check import Checker, did_you_mean
from quizgen.errors import Diagnostic, Loc, errors_only
from quizgen.bank.marks import load_yaml
from quizgen.bank import records as validate
from quizgen.model import (
    Citation,
    Claim,
    Document,
    DocumentPoint,
    Event,
    Fact,
    FactDate,
    GroupName,
    Island,
    IslandGroup,
    Person,
    Place,
    Role,
    Spelling,
)

FACTS_FILE = "facts.yaml"
SOURCES_FILE = "sources.yaml"
MAX_QUOTE_WORDS = 30

FACT_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
DATE_VALUE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?\Z")
# Fact text is substituted into templates and then into cloze prompts: these
# markers would turn data into syntax.
MARKUP = re.compile(r"\{\{|\}\}|\[\[|\]\]")

KINDS = ("person", "event", "place", "island", "island_group", "document")
ISLAND_LANGUAGES = ("english", "russian", "japanese")
DOCUMENT_POINTS = ("ended", "restored", "left_open", "islands", "condition")
EVENT_STATUSES = ("held", "planned")

# Keys of each kind of record besides id, kind and note: (required, optional).
# The JSON Schema in questions/schema/facts.schema.json follows this table.
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "person": (("name", "country", "spellings", "citations"), ("roles",)),
    "event": (("label", "name", "summary", "citations"),
              ("unnamed", "unplaced", "date", "status", "place", "other_places", "participants")),
    "place": (("name", "type", "citations"), ("country",)),
    "island": (("names", "citations"), ("not_in_articles", "group")),
    "island_group": (("name", "members", "names", "citations"), ("not_in_articles", "location")),
    "document": (("name", "short_name", "citations"), ("date", "event", "claims") + DOCUMENT_POINTS),
}


def shown_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_facts(root: Path, source_ids: list[str] | None = None) -> tuple[tuple[Fact, ...], list[Diagnostic]]:
    """The facts of the bank folder ``root`` (questions/), validated; facts with
    errors are left out and every problem is reported. ``source_ids`` spares a
    second read of sources.yaml when the caller has already validated it."""
    path = Path(root) / FACTS_FILE
    file = shown_path(path)
    if not path.is_file():
        return (), [Diagnostic(Loc(file), "expected the facts database here, found no file")]
    node, diagnostics = load_yaml(path, file)
    if errors_only(diagnostics):
        return (), diagnostics
    c = Checker(file, source_ids=source_ids if source_ids is not None else _source_ids(Path(root)))
    facts = facts_document(c, node)
    return facts, diagnostics + c.diagnostics


def _source_ids(root: Path) -> list[str] | None:
    """Source ids from sources.yaml, read loosely: the registry's own problems
    are reported by whoever validates it, not once more here."""
    path = root / SOURCES_FILE
    if not path.is_file():
        return None
    node, diags = load_yaml(path, shown_path(path))
    if node is None or errors_only(diags) or not isinstance(node, MappingNode):
        return None
    ids = []
    for key, value in node.value:
        if key.value == "sources" and hasattr(value, "value") and isinstance(value.value, list):
            for item in value.value:
                if isinstance(item, MappingNode):
                    ids.extend(v.value for k, v in item.value if k.value == "id" and isinstance(v.value, str))
    return ids or None


def facts_document(c: Checker, root: Node | None) -> tuple[Fact, ...]:
    """Every valid fact of a parsed facts file, with cross-references checked."""
    if root is None:
        c.diagnostics.append(Diagnostic(Loc(c.file, 1, 1), "expected a mapping with 'facts', found an empty file"))
        return ()
    fields = c.mapping(root, "", required=("facts",))
    if not fields or "facts" not in fields:
        return ()
    items = c.sequence(fields["facts"], "facts", min_len=1)
    if items is None:
        return ()
    reader = _Reader(c)
    facts: list[Fact] = []
    for i, item in enumerate(items):
        fact = reader.fact(item, f"facts[{i}]")
        if fact is not None:
            facts.append(fact)
    reader.check_references(facts)
    return tuple(facts)


class _Reader:
    """Field readers for fact records; ``ids`` holds every id seen, valid or not,
    so references to a broken record are not reported as unknown as well."""

    def __init__(self, c: Checker):
        self.c = c
        self.ids: dict[str, tuple[str | None, Loc]] = {}
        self.refs: list[tuple[str, Sequence[str], Node, str]] = []  # (id, allowed kinds, node, path)
        self.checks: list[Callable[[dict[str, Fact]], None]] = []
        self.anchored: dict[str, list[Person]] = {}

    # -- one record -------------------------------------------------------

    def fact(self, node: Node, path: str) -> Fact | None:
        c = self.c
        if not isinstance(node, MappingNode):
            c.expected(node, path, "a fact (a mapping)")
            return None
        kind_node = next((v for k, v in node.value if k.value == "kind"), None)
        if kind_node is None:
            c.error(node, path, f"expected key 'kind' ({', '.join(KINDS)}), found none")
            return None
        kind = c.choice(kind_node, f"{path}.kind", KINDS)
        id_node = next((v for k, v in node.value if k.value == "id"), None)
        fid = self._id(id_node, f"{path}.id", kind) if id_node is not None else None
        if kind is None:
            return None
        before = len(c.diagnostics)
        record = getattr(self, f"_{kind}")(node, path)
        if record is None or fid is None or len(c.diagnostics) > before:
            return None
        return record

    def _id(self, node: Node, path: str, kind: str | None) -> str | None:
        fid = self.c.string(node, path)
        if fid is None:
            return None
        if not FACT_ID.match(fid):
            self.c.error(node, path, f"expected a fact id of lower-case letters, digits and '-', found '{fid}'")
            return None
        if fid in self.ids:
            self.c.error(node, path, f"expected a unique fact id, found '{fid}' again "
                                     f"(first defined at {self.ids[fid][1]})")
            return None
        self.ids[fid] = (kind, self.c.loc(node))
        return fid

    def _fields(self, node: Node, path: str, kind: str):
        required, optional = KIND_FIELDS[kind]
        fields = self.c.mapping(node, path, required=("id", "kind") + required, optional=optional + ("note",))
        if fields is None or any(k not in fields for k in required):
            return None
        return fields

    def _person(self, node: Node, path: str) -> Person | None:
        f = self._fields(node, path, "person")
        if f is None:
            return None
        name = self.text(f["name"], f"{path}.name")
        country = self.text(f["country"], f"{path}.country")
        citations = self.citations(f["citations"], f"{path}.citations")
        spellings = self.spellings(f["spellings"], f"{path}.spellings")
        roles = self.roles(f["roles"], f"{path}.roles") if "roles" in f else ()
        note = self.note(f, path)
        if None in (name, country, citations, spellings, roles, note):
            return None
        everything = citations + tuple(cit for r in roles for cit in r.citations)  # type: ignore[operator]
        self._spellings_quoted(spellings, everything, f["spellings"], f"{path}.spellings")  # type: ignore[arg-type]
        return Person(id=f["id"].value, name=name, country=country, spellings=spellings,  # type: ignore[arg-type]
                      roles=roles, note=note, citations=everything, loc=self.c.loc(node))  # type: ignore[arg-type]

    def _event(self, node: Node, path: str) -> Event | None:
        f = self._fields(node, path, "event")
        if f is None:
            return None
        texts = {k: self.text(f[k], f"{path}.{k}") if k in f else "" for k in
                 ("label", "name", "summary", "unnamed", "unplaced")}
        date = self.date(f["date"], f"{path}.date") if "date" in f else None
        status = self.c.choice(f["status"], f"{path}.status", EVENT_STATUSES) if "status" in f else "held"
        place = self.ref(f["place"], f"{path}.place", ("place",)) if "place" in f else None
        others = self.refs_list(f["other_places"], f"{path}.other_places", ("place",)) if "other_places" in f else ()
        people = self.refs_list(f["participants"], f"{path}.participants", ("person",)) if "participants" in f else ()
        citations = self.citations(f["citations"], f"{path}.citations")
        note = self.note(f, path)
        if None in texts.values() or None in (status, others, people, citations, note) or \
                ("date" in f and date is None) or ("place" in f and place is None):
            return None
        if place is not None and not texts["unplaced"]:
            self.c.error(node, path, "expected 'unplaced' (what happened, without the place) "
                                     "on an event with a place, found none")
            return None
        event = Event(id=f["id"].value, date=date, status=status, place=place,  # type: ignore[arg-type]
                      other_places=others, participants=people, note=note,  # type: ignore[arg-type]
                      citations=citations, loc=self.c.loc(node), **texts)  # type: ignore[arg-type]
        if place is not None:
            self.checks.append(lambda facts: self._unplaced_hides_place(event, facts, f["unplaced"], path))
        if event.unnamed:
            self.checks.append(lambda facts: self._unnamed_hides_people(event, facts, f["unnamed"], path))
        return event

    def _place(self, node: Node, path: str) -> Place | None:
        f = self._fields(node, path, "place")
        if f is None:
            return None
        name = self.text(f["name"], f"{path}.name")
        ptype = self.slug(f["type"], f"{path}.type", "a place type")
        country = self.text(f["country"], f"{path}.country") if "country" in f else ""
        citations = self.citations(f["citations"], f"{path}.citations")
        note = self.note(f, path)
        if None in (name, ptype, country, citations, note):
            return None
        self._quoted(name, citations, f["name"], f"{path}.name")  # type: ignore[arg-type]
        return Place(id=f["id"].value, name=name, type=ptype, country=country,  # type: ignore[arg-type]
                     note=note, citations=citations, loc=self.c.loc(node))  # type: ignore[arg-type]

    def _island(self, node: Node, path: str) -> Island | None:
        f = self._fields(node, path, "island")
        if f is None:
            return None
        names_f = self.c.mapping(f["names"], f"{path}.names", required=ISLAND_LANGUAGES)
        names = {k: self.text(v, f"{path}.names.{k}") for k, v in (names_f or {}).items()}
        unprinted = self.choices(f["not_in_articles"], f"{path}.not_in_articles", ISLAND_LANGUAGES) \
            if "not_in_articles" in f else ()
        group = self.ref(f["group"], f"{path}.group", ("island_group",)) if "group" in f else ""
        citations = self.citations(f["citations"], f"{path}.citations")
        note = self.note(f, path)
        if names_f is None or len(names) < 3 or None in names.values() or \
                None in (unprinted, group, citations, note):
            return None
        for lang in ISLAND_LANGUAGES:
            if lang not in unprinted:  # type: ignore[operator]
                self._quoted(names[lang], citations, names_f[lang], f"{path}.names.{lang}")  # type: ignore[arg-type]
        return Island(id=f["id"].value, english=names["english"], russian=names["russian"],  # type: ignore[arg-type]
                      japanese=names["japanese"], not_in_articles=unprinted, group=group,  # type: ignore[arg-type]
                      note=note, citations=citations, loc=self.c.loc(node))  # type: ignore[arg-type]

    def _island_group(self, node: Node, path: str) -> IslandGroup | None:
        f = self._fields(node, path, "island_group")
        if f is None:
            return None
        name = self.text(f["name"], f"{path}.name")
        members = self.refs_list(f["members"], f"{path}.members", ("island",), min_len=2)
        unprinted = self.choices(f["not_in_articles"], f"{path}.not_in_articles", ("english", "native")) \
            if "not_in_articles" in f else ()
        location = self.ref(f["location"], f"{path}.location", ("place",)) if "location" in f else ""
        citations = self.citations(f["citations"], f"{path}.citations")
        note = self.note(f, path)
        names: list[GroupName] = []
        items = self.c.sequence(f["names"], f"{path}.names", min_len=2) or []
        for i, item in enumerate(items):
            p = f"{path}.names[{i}]"
            g = self.c.mapping(item, p, required=("side", "english", "native"))
            if g is None or len(g) < 3:
                continue
            side, english, native = (self.text(g[k], f"{p}.{k}") for k in ("side", "english", "native"))
            if None in (side, english, native):
                continue
            if citations is not None and "english" not in (unprinted or ()):
                self._quoted(english, citations, g["english"], f"{p}.english")  # type: ignore[arg-type]
            names.append(GroupName(side, english, native))  # type: ignore[arg-type]
        if len(names) != len(items) or None in (name, members, unprinted, location, citations, note):
            return None
        for key in ("side", "english"):
            self._distinct([getattr(n, key) for n in names], f["names"], f"{path}.names", key)
        return IslandGroup(id=f["id"].value, name=name, members=members, names=tuple(names),  # type: ignore[arg-type]
                           not_in_articles=unprinted, location=location, note=note,  # type: ignore[arg-type]
                           citations=citations, loc=self.c.loc(node))  # type: ignore[arg-type]

    def _document(self, node: Node, path: str) -> Document | None:
        f = self._fields(node, path, "document")
        if f is None:
            return None
        name = self.text(f["name"], f"{path}.name")
        short_name = self.text(f["short_name"], f"{path}.short_name")
        date = self.date(f["date"], f"{path}.date") if "date" in f else None
        event = self.ref(f["event"], f"{path}.event", ("event",)) if "event" in f else ""
        points = {k: self.point(f[k], f"{path}.{k}") if k in f else None for k in DOCUMENT_POINTS}
        claims = self.claims(f["claims"], f"{path}.claims") if "claims" in f else ()
        citations = self.citations(f["citations"], f"{path}.citations")
        note = self.note(f, path)
        if None in (name, short_name, event, claims, citations, note) or ("date" in f and date is None) or \
                any(points[k] is None for k in DOCUMENT_POINTS if k in f):
            return None
        parts = [*(p for p in points.values() if p), *claims]  # type: ignore[misc]
        everything = citations + tuple(cit for part in parts for cit in part.citations)  # type: ignore[operator]
        return Document(id=f["id"].value, name=name, short_name=short_name, date=date,  # type: ignore[arg-type]
                        event=event, note=note, claims=claims, citations=everything,  # type: ignore[arg-type]
                        loc=self.c.loc(node), **points)  # type: ignore[arg-type]

    # -- parts ------------------------------------------------------------

    def text(self, node: Node, path: str) -> str | None:
        """Prose or a name: one line of plain text, no template or cloze markers."""
        value = self.c.string(node, path)
        if value is None:
            return None
        value = " ".join(value.split())
        found = MARKUP.search(value)
        if found:
            self.c.error(node, path, f"expected plain text, found '{found.group()}' "
                                     "(template and cloze markers are not allowed in facts)")
            return None
        return value

    def note(self, fields: dict[str, Node], path: str) -> str | None:
        return self.text(fields["note"], f"{path}.note") if "note" in fields else ""

    def slug(self, node: Node, path: str, what: str) -> str | None:
        value = self.c.string(node, path)
        if value is not None and not SLUG.match(value):
            self.c.error(node, path, f"expected {what} of lower-case letters, digits and '-', found '{value}'")
            return None
        return value

    def choices(self, node: Node, path: str, allowed: Sequence[str]) -> tuple[str, ...] | None:
        items = self.c.sequence(node, path)
        if items is None:
            return None
        values = [self.c.choice(item, f"{path}[{i}]", allowed) for i, item in enumerate(items)]
        return None if None in values else tuple(values)  # type: ignore[arg-type]

    def texts(self, node: Node, path: str, min_len: int = 0) -> tuple[str, ...] | None:
        items = self.c.sequence(node, path, min_len=min_len)
        if items is None:
            return None
        values = [self.text(item, f"{path}[{i}]") for i, item in enumerate(items)]
        if None in values:
            return None
        if not self._distinct(values, node, path, "entries"):  # type: ignore[arg-type]
            return None
        return tuple(values)  # type: ignore[arg-type]

    def date(self, node: Node, path: str) -> FactDate | None:
        c = self.c
        f = c.mapping(node, path, required=("value",), optional=("inferred", "basis"))
        if f is None or "value" not in f:
            return None
        value = c.string(f["value"], f"{path}.value")
        inferred = c.boolean(f["inferred"], f"{path}.inferred") if "inferred" in f else False
        basis = self.text(f["basis"], f"{path}.basis") if "basis" in f else ""
        if value is None or inferred is None or basis is None:
            return None
        date = FactDate(value, inferred, basis)
        problem = date.problem()
        if problem:
            c.error(f["value"], f"{path}.value", problem)
            return None
        if inferred and not basis:
            c.error(node, path, "expected 'basis' (how the date was inferred) on an inferred date, found none")
            return None
        return date

    def citations(self, node: Node, path: str) -> tuple[Citation, ...] | None:
        # facts cite exactly like questions do: one checker for both
        return validate.citations(self.c, node, path)

    def spellings(self, node: Node, path: str) -> tuple[Spelling, ...] | None:
        items = self.c.sequence(node, path, min_len=1)
        if items is None:
            return None
        result = []
        for i, item in enumerate(items):
            p = f"{path}[{i}]"
            f = self.c.mapping(item, p, required=("name", "source"))
            if f is None or len(f) < 2:
                continue
            name, source = self.text(f["name"], f"{p}.name"), self.c.string(f["source"], f"{p}.source")
            if name is not None and source is not None:
                result.append(Spelling(name, source, self.c.loc(item)))
        return tuple(result) if len(result) == len(items) else None

    def roles(self, node: Node, path: str) -> tuple[Role, ...] | None:
        items = self.c.sequence(node, path, min_len=1)
        if items is None:
            return None
        result = []
        for i, item in enumerate(items):
            p = f"{path}[{i}]"
            f = self.c.mapping(item, p, required=("role", "at", "citations"))
            if f is None or len(f) < 3:
                continue
            role = self.text(f["role"], f"{p}.role")
            at = self.ref(f["at"], f"{p}.at", ("event",))
            citations = self.citations(f["citations"], f"{p}.citations")
            if None not in (role, at, citations):
                result.append(Role(role, at, citations, self.c.loc(item)))  # type: ignore[arg-type]
        if len(result) != len(items):
            return None
        keys = [f"{r.role} at {r.at}" for r in result]
        return tuple(result) if self._distinct(keys, node, path, "roles") else None

    def point(self, node: Node, path: str) -> DocumentPoint | None:
        f = self.c.mapping(node, path, required=("text", "citations"), optional=("wrong", "note"))
        if f is None or len(set(f) & {"text", "citations"}) < 2:
            return None
        text = self.text(f["text"], f"{path}.text")
        wrong = self.texts(f["wrong"], f"{path}.wrong") if "wrong" in f else ()
        note = self.note(f, path)
        citations = self.citations(f["citations"], f"{path}.citations")
        if None in (text, wrong, note, citations):
            return None
        if text in wrong:  # type: ignore[operator]
            self.c.error(f["wrong"], f"{path}.wrong", f"expected wrong values only, found the true text '{text}'")
            return None
        return DocumentPoint(text, wrong, note, citations, self.c.loc(node))  # type: ignore[arg-type]

    def claims(self, node: Node, path: str) -> tuple[Claim, ...] | None:
        items = self.c.sequence(node, path, min_len=1)
        if items is None:
            return None
        result = []
        for i, item in enumerate(items):
            p = f"{path}[{i}]"
            f = self.c.mapping(item, p, required=("key", "statement", "detail", "citations"), optional=("false",))
            if f is None or len(set(f) & {"key", "statement", "detail", "citations"}) < 4:
                continue
            key = self.slug(f["key"], f"{p}.key", "a claim key")
            statement = self.text(f["statement"], f"{p}.statement")
            detail = self.text(f["detail"], f"{p}.detail")
            false = self.texts(f["false"], f"{p}.false") if "false" in f else ()
            citations = self.citations(f["citations"], f"{p}.citations")
            if None not in (key, statement, detail, false, citations):
                claim = Claim(key, statement, detail, false, citations, self.c.loc(item))  # type: ignore[arg-type]
                result.append(claim)
        if len(result) != len(items):
            return None
        return tuple(result) if self._distinct([c.key for c in result], node, path, "claim keys") else None

    def ref(self, node: Node, path: str, kinds: Sequence[str]) -> str | None:
        value = self.c.string(node, path)
        if value is not None:
            self.refs.append((value, kinds, node, path))
        return value

    def refs_list(self, node: Node, path: str, kinds: Sequence[str], min_len: int = 0) -> tuple[str, ...] | None:
        items = self.c.sequence(node, path, min_len=min_len)
        if items is None:
            return None
        values = [self.ref(item, f"{path}[{i}]", kinds) for i, item in enumerate(items)]
        if None in values or not self._distinct(values, node, path, "references"):  # type: ignore[arg-type]
            return None
        return tuple(values)  # type: ignore[arg-type]

    # -- checks across fields and records ---------------------------------

    def _distinct(self, values: Sequence[str], node: Node, path: str, what: str) -> bool:
        seen: set[str] = set()
        for i, v in enumerate(values):
            if v in seen:
                where = node.value[i] if isinstance(node.value, list) and i < len(node.value) else node
                self.c.error(where, f"{path}[{i}]", f"expected distinct {what}, found '{v}' twice")
                return False
            seen.add(v)
        return True

    def _quoted(self, name: str, citations: Sequence[Citation], node: Node, path: str) -> None:
        """A name said to be printed in the articles must appear in one of the quotes."""
        if not any(name in c.quote for c in citations):
            self.c.error(node, path, f"expected '{name}' to appear in one of the record's quotes, found it in none "
                                     "(cite it, or list it under not_in_articles)")

    def _spellings_quoted(self, spellings: Sequence[Spelling], citations: Sequence[Citation],
                          node: Node, path: str) -> None:
        for i, s in enumerate(spellings):
            if not any(s.name in c.quote and c.source == s.source for c in citations):
                self.c.error(node.value[i], f"{path}[{i}]",
                             f"expected a quote from {s.source} containing '{s.name}', found none")

    def _unplaced_hides_place(self, event: Event, facts: dict[str, Fact], node: Node, path: str) -> None:
        place = facts.get(event.place or "")
        if isinstance(place, Place) and place.name.casefold() in event.unplaced.casefold():
            self.c.error(node, f"{path}.unplaced", f"expected the event without its place, found '{place.name}' in it")

    def _unnamed_hides_people(self, event: Event, facts: dict[str, Fact], node: Node, path: str) -> None:
        """A "who held this office at ..." prompt shows the event's `unnamed`
        description, so it must not name anyone who held an office there."""
        for person in self.anchored.get(event.id, ()):
            for word in sorted(_surnames(person)):
                if re.search(rf"\b{re.escape(word)}\b", event.unnamed):
                    self.c.error(node, f"{path}.unnamed", f"expected the event without the names of the "
                                                          f"people holding offices at it, found '{word}'")

    def check_references(self, facts: list[Fact]) -> None:
        by_id = {f.id: f for f in facts}
        for ref, kinds, node, path in self.refs:
            wanted = _a(" or ".join(kinds))
            if ref not in self.ids:
                # a record whose kind is broken may still be the one meant
                known = sorted(k for k, (kind, _) in self.ids.items() if kind in kinds or kind is None)
                self.c.error(node, path, f"expected the id of {wanted} fact, found '{ref}'"
                                         f"{did_you_mean(ref, known)}")
            elif self.ids[ref][0] not in kinds:
                self.c.error(node, path, f"expected the id of {wanted} fact, found '{ref}', "
                                         f"which is {_a(str(self.ids[ref][0]))}")
        self.anchored = {}  # event id -> people holding an office at it
        for p in facts:
            if isinstance(p, Person):
                for at in dict.fromkeys(r.at for r in p.roles):
                    self.anchored.setdefault(at, []).append(p)
        for check in self.checks:
            check(by_id)
        self._roles_need_unnamed(facts, by_id)

    def _roles_need_unnamed(self, facts: list[Fact], by_id: dict[str, Fact]) -> None:
        for person in facts:
            if not isinstance(person, Person):
                continue
            for role in person.roles:
                event = by_id.get(role.at)
                if isinstance(event, Event) and not event.unnamed:
                    self.c.diagnostics.append(Diagnostic(role.loc, f"expected event '{event.id}' to have "
                                                         "'unnamed' (it anchors a role), found none", path="at"))


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _surnames(person: Person) -> set[str]:
    return {s.name.split()[-1] for s in person.spellings} | {person.name.split()[-1]}


def facts_by_id(facts: Sequence[Fact]) -> dict[str, Fact]:
    return {f.id: f for f in facts}
