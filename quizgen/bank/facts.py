"""Load and validate the facts database (facts.yaml) against the bank's kinds
(kinds.yaml, quizgen/bank/kinds.py). Every problem is collected as a Diagnostic
at file:line:col; a record with a problem reports it once and is left out,
and references to it are not reported again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Mapping, Sequence

from yaml.nodes import MappingNode, Node

from quizgen.bank.check import Checker, did_you_mean
from quizgen.bank.fields import FieldReader
from quizgen.bank.kinds import HOLDERS, load_kinds, shown_path
from quizgen.bank.marks import load_yaml
from quizgen.errors import Diagnostic, Loc, errors_only
from quizgen.model import Citation, Claim, Fact, FieldSpec, Kind, Point, Role

__all__ = ["FACTS_FILE", "load_facts", "facts_document", "facts_by_id", "shown_path", "holders_of"]

FACTS_FILE = "facts.yaml"
SOURCES_FILE = "sources.yaml"
FACT_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def load_facts(root: Path, source_ids: list[str] | None = None, kinds: Mapping[str, Kind] | None = None,
               declared: set[str] | None = None) -> tuple[tuple[Fact, ...], list[Diagnostic]]:
    """The facts of the bank folder ``root``, validated against its kinds;
    records with errors are left out and every problem is reported (the kinds
    file's own problems too, unless ``kinds`` is given, with ``declared``: every
    kind named in kinds.yaml, valid or not). ``source_ids`` spares a second read
    of sources.yaml when the caller has already validated it."""
    diagnostics: list[Diagnostic] = []
    declared = set(declared if declared is not None else kinds or ())
    if kinds is None:
        kinds, diagnostics, declared = load_kinds(root)
        if errors_only(diagnostics) and not declared:
            # kinds.yaml is unreadable: one message there, not one per record here
            return (), diagnostics
    path = Path(root) / FACTS_FILE
    file = shown_path(path)
    if not path.is_file():
        return (), diagnostics + [Diagnostic(Loc(file), "expected the facts database here, found no file")]
    node, diags = load_yaml(path, file)
    if errors_only(diags):
        return (), diagnostics + diags
    c = Checker(file, source_ids=source_ids if source_ids is not None else _source_ids(Path(root)))
    facts = facts_document(c, node, kinds, declared)
    return facts, diagnostics + diags + c.diagnostics


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


def facts_document(c: Checker, root: Node | None, kinds: Mapping[str, Kind],
                   declared: set[str] | None = None) -> tuple[Fact, ...]:
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
    reader = _Reader(c, kinds, declared if declared is not None else set(kinds))
    facts = [f for i, item in enumerate(items) if (f := reader.fact(item, f"facts[{i}]")) is not None]
    reader.check_references(facts)
    return tuple(facts)


class _Reader(FieldReader):
    """Field readers for fact records; ``ids`` holds every id seen, valid or
    not, so references to a broken record are not reported as unknown as well."""

    def __init__(self, c: Checker, kinds: Mapping[str, Kind], declared: set[str]):
        self.c = c
        self.kinds = kinds
        self.declared = declared  # every kind named in kinds.yaml, valid or not
        self.ids: dict[str, tuple[str | None, Loc]] = {}
        self.refs: list[tuple[str, str, Node, str]] = []  # (id, kind wanted, node, path)
        self.checks: list[Callable[[dict[str, Fact]], None]] = []
        self.holders: dict[str, list[Fact]] = {}

    def fact(self, node: Node, path: str) -> Fact | None:
        c = self.c
        if not isinstance(node, MappingNode):
            c.expected(node, path, "a fact (a mapping)")
            return None
        kind_node = next((v for k, v in node.value if k.value == "kind"), None)
        id_node = next((v for k, v in node.value if k.value == "id"), None)
        kind_name = c.string(kind_node, f"{path}.kind") if kind_node is not None else None
        if kind_node is None:
            c.error(node, path, f"expected key 'kind' ({', '.join(self.kinds)}), found none")
        elif kind_name is not None and kind_name not in self.declared:
            c.error(kind_node, f"{path}.kind", f"expected one of the kinds of kinds.yaml ({', '.join(self.kinds)}); "
                                               f"found '{kind_name}'{did_you_mean(kind_name, sorted(self.declared))}")
        fid = self._id(id_node, f"{path}.id", kind_name) if id_node is not None else None
        kind = self.kinds.get(kind_name or "")
        if kind is None:  # unknown, or broken in kinds.yaml (reported there)
            return None
        before = len(c.diagnostics)
        spelled = any(f.spellings for f in kind.fields)
        f = c.mapping(node, path, required=("id", "kind", "citations", *(s.name for s in kind.fields if s.required)),
                      optional=("note", *(("spellings",) if spelled else ()),
                                *(s.name for s in kind.fields if not s.required)))
        if f is None or "citations" not in f:
            return None
        own = self.citations(f["citations"], f"{path}.citations")
        note = self.text(f["note"], f"{path}.note") if "note" in f else ""
        values: dict[str, object] = {}
        for spec in kind.fields:
            if spec.name in f:
                value = self.value(spec, f[spec.name], f"{path}.{spec.name}")
                if value is not None:
                    values[spec.name] = value
        spellings = self.spellings(f["spellings"], f"{path}.spellings") if "spellings" in f else ()
        if len(c.diagnostics) > before or own is None or fid is None or note is None or spellings is None:
            return None
        everything = _unique(own + tuple(cit for v in values.values() for cit in _sub_citations(v)))
        fact = Fact(id=fid, kind=kind.name, values=values, title=_title(kind, values), note=note,
                    own_citations=own, citations=everything, spellings=spellings, loc=c.loc(node))
        self._quotes(kind, fact, f, path)
        for spec in kind.fields:
            if spec.hides and spec.name in values:
                self.checks.append(lambda facts, s=spec: self._hides(s, fact, facts, f[s.name], f"{path}.{s.name}"))
        return fact if len(c.diagnostics) == before else None

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
        self.ids[fid] = (kind if kind in self.declared else None, self.c.loc(node))
        return fid

    # -- checks across fields and records ---------------------------------

    def _quotes(self, kind: Kind, fact: Fact, f: Mapping[str, Node], path: str) -> None:
        """Names said to be printed in the sources must appear in one of the record's quotes."""
        quotes = fact.citations
        for spec in kind.fields:
            value = fact.get(spec.name)
            if spec.quoted and isinstance(value, str) and not any(value in c.quote for c in quotes):
                self.c.error(f[spec.name], f"{path}.{spec.name}", f"expected '{value}' to appear in one of the "
                                                                  "record's quotes, found it in none")
            if spec.type == "names" and isinstance(value, dict):
                node = f[spec.name]
                for key, name in value.items():
                    if name.in_sources and not any(name.text in c.quote for c in quotes):
                        where = next((v for k, v in node.value if k.value == key), node)
                        self.c.error(where, f"{path}.{spec.name}.{key}", f"expected '{name.text}' to appear in one "
                                     "of the record's quotes, found it in none (cite it, or mark it "
                                     "not_in_sources: true)")
        for i, s in enumerate(fact.spellings):
            if not any(s.name in c.quote and c.source == s.source for c in quotes):
                self.c.error(f["spellings"].value[i], f"{path}.spellings[{i}]",
                             f"expected a quote from {s.source} containing '{s.name}', found none")

    def _hides(self, spec: FieldSpec, fact: Fact, facts: dict[str, Fact], node: Node, path: str) -> None:
        """A text that must not name the records it hides (the place of an
        event in a "where" prompt, the people holding offices in a "who" one)."""
        text = str(fact.get(spec.name))
        for field in spec.hides:
            if field == HOLDERS:
                hidden = self.holders.get(fact.id, [])
            else:
                value = fact.get(field)
                ids = (value,) if isinstance(value, str) else value or ()
                hidden = [facts[i] for i in ids if i in facts]  # type: ignore[union-attr]
            for other in hidden:
                for word in sorted(_name_words(other)):
                    if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE):
                        what = "holding a role at it" if field == HOLDERS else f"of its '{field}'"
                        self.c.error(node, path, f"expected no name of the records {what}, found '{word}'")
                        break

    def check_references(self, facts: list[Fact]) -> None:
        by_id = {f.id: f for f in facts}
        for ref, kind, node, path in self.refs:
            if ref not in self.ids:
                # a record whose kind is broken may still be the one meant
                known = sorted(k for k, (kd, _) in self.ids.items() if kd in (kind, None))
                self.c.error(node, path, f"expected the id of {_a(kind)} fact, found '{ref}'"
                                         f"{did_you_mean(ref, known)}")
            elif self.ids[ref][0] not in (kind, None):
                self.c.error(node, path, f"expected the id of {_a(kind)} fact, found '{ref}', "
                                         f"which is {_a(str(self.ids[ref][0]))}")
        self.holders = holders_of(facts, by_id)
        for check in self.checks:
            check(by_id)


def holders_of(facts: Sequence[Fact], by_id: Mapping[str, Fact] | None = None) -> dict[str, list[Fact]]:
    """Record id -> the records holding a role at it."""
    out: dict[str, list[Fact]] = {}
    for f in facts:
        for value in f.values.values():
            if isinstance(value, tuple) and value and isinstance(value[0], Role):
                for at in dict.fromkeys(r.at for r in value):
                    out.setdefault(at, []).append(f)
    return out


def _title(kind: Kind, values: Mapping[str, object]) -> str:
    name, _, language = kind.title.partition(".")
    value = values.get(name, "")
    if isinstance(value, dict):
        return value[language].text
    return str(value)


def _name_words(fact: Fact) -> set[str]:
    """The words that would name a record: its title and spellings, and their last words."""
    names = [fact.title, *(s.name for s in fact.spellings)]
    return {n for n in names if n} | {n.split()[-1] for n in names if n}


def _sub_citations(value: object) -> tuple[Citation, ...]:
    if isinstance(value, (Point, Role, Claim)):
        return value.citations
    if isinstance(value, tuple):
        return tuple(c for v in value if isinstance(v, (Role, Claim)) for c in v.citations)
    return ()


def _unique(citations: Sequence[Citation]) -> tuple[Citation, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in citations:
        if (c.source, c.quote) not in seen:
            seen.add((c.source, c.quote))
            out.append(c)
    return tuple(out)


def _a(word: str) -> str:
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def facts_by_id(facts: Sequence[Fact]) -> dict[str, Fact]:
    return {f.id: f for f in facts}
