"""Readers for the value of each field type of a fact record (text, date,
refs, roles, names, claims, points); quizgen/bank/facts.py applies them to
records. Each reports its problems on the Checker and returns None."""

from __future__ import annotations

import re
from typing import Sequence

from yaml.nodes import MappingNode, Node, ScalarNode

from quizgen.bank import records as validate
from quizgen.bank.check import NULL, Checker
from quizgen.model import Citation, Claim, FactDate, FieldSpec, Name, Point, Role, Spelling

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
# Fact text is substituted into templates and then into cloze prompts: these
# markers would turn data into syntax.
MARKUP = re.compile(r"\{\{|\}\}|\[\[|\]\]")


class FieldReader:
    """``refs`` collects every reference read, checked once all records are known."""

    c: Checker
    refs: list[tuple[str, str, Node, str]]

    def value(self, spec: FieldSpec, node: Node, path: str) -> object | None:
        t = spec.type
        if t in ("text", "name"):
            return self.text(node, path)
        if t == "date":
            return self.date(node, path)
        if t == "ref":
            return self.ref(node, path, spec.kind)
        if t == "refs":
            return self.refs_list(node, path, spec.kind)
        if t == "roles":
            return self.roles(node, path, spec.kind)
        if t == "names":
            return self.names(node, path, spec)
        if t == "claims":
            return self.claims(node, path)
        return self.point(node, path)

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

    def texts(self, node: Node, path: str) -> tuple[str, ...] | None:
        items = self.c.sequence(node, path)
        if items is None:
            return None
        values = [self.text(item, f"{path}[{i}]") for i, item in enumerate(items)]
        if None in values or not self._distinct(values, node, path, "entries"):  # type: ignore[arg-type]
            return None
        return tuple(values)  # type: ignore[arg-type]

    def date(self, node: Node, path: str) -> FactDate | None:
        """`"1969"`, `-44`, or `{value, inferred, basis}`; read from the raw
        scalar, since YAML would turn 2016-12-15 into a timestamp and -44 into a number."""
        c = self.c
        fields: dict[str, Node] = {"value": node}
        if isinstance(node, MappingNode):
            fields = c.mapping(node, path, required=("value",), optional=("inferred", "basis")) or {}
            if "value" not in fields:
                return None
        value_node = fields["value"]
        vpath = f"{path}.value" if value_node is not node else path
        if not isinstance(value_node, ScalarNode) or value_node.tag == NULL or not value_node.value.strip():
            c.expected(value_node, vpath, "a date such as 1969, 1969-07, 1969-07-20, -44, ~1440 or 1440/1450")
            return None
        inferred = c.boolean(fields["inferred"], f"{path}.inferred") if "inferred" in fields else False
        basis = self.text(fields["basis"], f"{path}.basis") if "basis" in fields else ""
        if inferred is None or basis is None:
            return None
        date = FactDate(value_node.value.strip(), inferred, basis)
        problem = date.problem()
        if problem:
            c.error(value_node, vpath, problem)
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

    def roles(self, node: Node, path: str, at_kind: str) -> tuple[Role, ...] | None:
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
            at = self.ref(f["at"], f"{p}.at", at_kind)
            citations = self.citations(f["citations"], f"{p}.citations")
            if None not in (role, at, citations):
                result.append(Role(role, at, citations, self.c.loc(item)))  # type: ignore[arg-type]
        if len(result) != len(items):
            return None
        keys = [f"{r.role} at {r.at}" for r in result]
        return tuple(result) if self._distinct(keys, node, path, "roles") else None

    def names(self, node: Node, path: str, spec: FieldSpec) -> dict[str, Name] | None:
        keys = [k for k, _ in spec.languages]
        f = self.c.mapping(node, path, required=keys)
        if f is None or any(k not in f for k in keys):
            return None
        out: dict[str, Name] = {}
        for key in keys:
            value, p = f[key], f"{path}.{key}"
            if isinstance(value, MappingNode):
                g = self.c.mapping(value, p, required=("name",), optional=("not_in_sources",))
                if g is None or "name" not in g:
                    continue
                text = self.text(g["name"], f"{p}.name")
                unprinted = self.c.boolean(g["not_in_sources"], f"{p}.not_in_sources") \
                    if "not_in_sources" in g else False
                if text is not None and unprinted is not None:
                    out[key] = Name(text, not unprinted)
            else:
                text = self.text(value, p)
                if text is not None:
                    out[key] = Name(text)
        return out if len(out) == len(keys) else None

    def point(self, node: Node, path: str) -> Point | None:
        f = self.c.mapping(node, path, required=("text", "citations"), optional=("wrong", "accept", "note"))
        if f is None or len(set(f) & {"text", "citations"}) < 2:
            return None
        text = self.text(f["text"], f"{path}.text")
        wrong = self.texts(f["wrong"], f"{path}.wrong") if "wrong" in f else ()
        accept = self.texts(f["accept"], f"{path}.accept") if "accept" in f else ()
        note = self.text(f["note"], f"{path}.note") if "note" in f else ""
        citations = self.citations(f["citations"], f"{path}.citations")
        if None in (text, wrong, accept, note, citations):
            return None
        if text in wrong:  # type: ignore[operator]
            self.c.error(f["wrong"], f"{path}.wrong", f"expected wrong values only, found the true text '{text}'")
            return None
        return Point(text, wrong, accept, note, citations, self.c.loc(node))  # type: ignore[arg-type]

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
            key = self.c.string(f["key"], f"{p}.key")
            if key is not None and not SLUG.match(key):
                self.c.error(f["key"], f"{p}.key", f"expected a claim key of lower-case letters, digits and '-', "
                                                   f"found '{key}'")
                key = None
            statement = self.text(f["statement"], f"{p}.statement")
            detail = self.text(f["detail"], f"{p}.detail")
            false = self.texts(f["false"], f"{p}.false") if "false" in f else ()
            citations = self.citations(f["citations"], f"{p}.citations")
            if None not in (key, statement, detail, false, citations):
                result.append(Claim(key, statement, detail, false, citations, self.c.loc(item)))  # type: ignore[arg-type]
        if len(result) != len(items):
            return None
        return tuple(result) if self._distinct([c.key for c in result], node, path, "claim keys") else None

    def ref(self, node: Node, path: str, kind: str) -> str | None:
        value = self.c.string(node, path)
        if value is not None:
            self.refs.append((value, kind, node, path))
        return value

    def refs_list(self, node: Node, path: str, kind: str) -> tuple[str, ...] | None:
        items = self.c.sequence(node, path, min_len=1)
        if items is None:
            return None
        values = [self.ref(item, f"{path}[{i}]", kind) for i, item in enumerate(items)]
        if None in values or not self._distinct(values, node, path, "references"):  # type: ignore[arg-type]
            return None
        return tuple(values)  # type: ignore[arg-type]

    def _distinct(self, values: Sequence[str], node: Node, path: str, what: str) -> bool:
        seen: set[str] = set()
        for i, v in enumerate(values):
            if v in seen:
                where = node.value[i] if isinstance(node.value, list) and i < len(node.value) else node
                self.c.error(where, f"{path}[{i}]", f"expected distinct {what}, found '{v}' twice")
                return False
            seen.add(v)
        return True

