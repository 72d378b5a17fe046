"""Load and validate the bank's kinds of fact record (kinds.yaml at the bank root).

A kind names its fields and their types; facts.yaml is checked against it and
the generators work from the types alone, so a new kind of fact is a few lines
of YAML. Every problem is a Diagnostic at file:line:col; nothing is raised.

    kinds:
      invention:
        title: name                     # the field that names a record
        fields:
          name: {type: name, required: true, quoted: true}
          date: date                    # shorthand: just the type
          inventor: {ref: person}       # a reference to a record of another kind
          places: {refs: place}
          names: {type: names, languages: [latin, german]}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from yaml.nodes import MappingNode, Node, ScalarNode

from quizgen.bank.check import Checker, did_you_mean
from quizgen.bank.marks import load_yaml
from quizgen.errors import Diagnostic, Loc, errors_only
from quizgen.model import FIELD_TYPES, FieldSpec, Kind

KINDS_FILE = "kinds.yaml"
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")  # kind and field names are also slot names
RESERVED = ("id", "kind", "note", "citations")  # keys every record has
FIELD_KEYS = ("type", "ref", "refs", "required", "at", "languages", "spellings", "quoted",
              "mentions", "hides", "related", "description")
# Which options make sense for which type; anything else is reported.
OPTIONS = {
    "text": ("quoted", "mentions", "hides"),
    "name": ("quoted", "spellings", "mentions"),
    "date": (),
    "ref": ("related",),
    "refs": (),
    "roles": ("at",),
    "names": ("languages",),
    "claims": (),
    "point": (),
}
HOLDERS = "holders"  # in `hides`/`mentions`: the records holding a role at this one


def shown_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_kinds(root: Path) -> tuple[dict[str, Kind], list[Diagnostic], set[str]]:
    """The valid kinds of the bank folder ``root``, every problem found, and
    the names of every kind declared (valid or not), so that a reference to a
    broken kind is not reported a second time as unknown."""
    path = Path(root) / KINDS_FILE
    file = shown_path(path)
    if not path.is_file():
        return {}, [Diagnostic(Loc(file), "expected the kinds of fact record here (kinds.yaml), found no file")], set()
    node, diagnostics = load_yaml(path, file)
    if errors_only(diagnostics):
        return {}, diagnostics, set()
    c = Checker(file)
    kinds, declared = kinds_document(c, node)
    return kinds, diagnostics + c.diagnostics, declared


def kinds_document(c: Checker, root: Node | None) -> tuple[dict[str, Kind], set[str]]:
    if root is None:
        c.diagnostics.append(Diagnostic(Loc(c.file, 1, 1), "expected a mapping with 'kinds', found an empty file"))
        return {}, set()
    top = c.mapping(root, "", required=("kinds",))
    if not top or "kinds" not in top:
        return {}, set()
    if not isinstance(top["kinds"], MappingNode) or not top["kinds"].value:
        c.expected(top["kinds"], "kinds", "a mapping of kind names to their fields")
        return {}, set()
    declared = {k.value for k, _ in top["kinds"].value if isinstance(k, ScalarNode)}
    kinds: dict[str, Kind] = {}
    for key, value in top["kinds"].value:
        name = key.value
        if not NAME.match(str(name)):
            c.error(key, f"kinds.{name}", f"expected a kind name of lower-case letters, digits and '_', "
                                          f"found '{name}'")
            continue
        kind = _kind(c, name, value, f"kinds.{name}", declared)
        if kind is not None:
            kinds[name] = kind
    return kinds, declared


def _kind(c: Checker, name: str, node: Node, path: str, declared: set[str]) -> Kind | None:
    f = c.mapping(node, path, required=("fields",), optional=("title", "description"))
    if f is None or "fields" not in f:
        return None
    before = len(c.diagnostics)
    fields_node = f["fields"]
    if not isinstance(fields_node, MappingNode) or not fields_node.value:
        c.expected(fields_node, f"{path}.fields", "a mapping of field names to their types")
        return None
    specs: list[FieldSpec] = []
    for key, value in fields_node.value:
        fname, fpath = str(key.value), f"{path}.fields.{key.value}"
        if not NAME.match(fname):
            c.error(key, fpath, f"expected a field name of lower-case letters, digits and '_', found '{fname}'")
        elif fname in RESERVED:
            c.error(key, fpath, f"expected a field name other than {', '.join(RESERVED)} "
                                f"(every record has those), found '{fname}'")
        else:
            spec = _field(c, fname, value, fpath, declared)
            if spec is not None:
                specs.append(spec)
    by_name = {s.name: s for s in specs}
    broken = {str(k.value) for k, _ in fields_node.value} - set(by_name)  # reported already
    for spec in specs:
        _cross_check(c, spec, by_name, broken, fields_node, f"{path}.fields.{spec.name}")
    title = c.string(f["title"], f"{path}.title") if "title" in f else "name"
    description = c.string(f["description"], f"{path}.description") if "description" in f else ""
    if title is not None and len(c.diagnostics) == before:
        problem = _title_problem(title, by_name)
        if problem:
            c.error(f.get("title", node), f"{path}.title", problem)
    if len(c.diagnostics) > before or title is None or description is None:
        return None
    return Kind(name, tuple(specs), title, description, c.loc(node))


def _field(c: Checker, name: str, node: Node, path: str, declared: set[str]) -> FieldSpec | None:
    if isinstance(node, ScalarNode):  # shorthand: `date: date`
        ftype = c.choice(node, path, FIELD_TYPES)
        if ftype in ("ref", "refs", "roles"):
            wanted = "{type: roles, at: KIND}" if ftype == "roles" else f"{{{ftype}: KIND}}"
            c.error(node, path, f"expected {wanted} (naming the kind it refers to), found only '{ftype}'")
            return None
        return FieldSpec(name, ftype, loc=c.loc(node)) if ftype else None
    f = c.mapping(node, path, optional=FIELD_KEYS)
    if f is None:
        return None
    given = [k for k in ("type", "ref", "refs") if k in f]
    if len(given) != 1:
        c.error(node, path, "expected exactly one of 'type', 'ref' or 'refs', found "
                            + (" and ".join(f"'{g}'" for g in given) if given else "none"))
        return None
    before = len(c.diagnostics)
    target = ""
    if given[0] == "type":
        ftype = c.choice(f["type"], f"{path}.type", FIELD_TYPES)
        if ftype in ("ref", "refs"):
            c.error(f["type"], f"{path}.type", f"expected {{{ftype}: KIND}} for a reference, found 'type: {ftype}'")
            return None
    else:
        ftype = given[0]
        target = _kind_name(c, f[ftype], f"{path}.{ftype}", declared) or ""
    if ftype is None:
        return None
    allowed = OPTIONS[ftype]
    for key in f:
        if key not in allowed and key not in ("type", "ref", "refs", "required", "description"):
            c.error(f[key], f"{path}.{key}", f"expected an option of a {ftype} field "
                                             f"({', '.join(allowed + ('required', 'description'))}), found '{key}'")
    if ftype == "roles":
        if "at" not in f:
            c.error(node, path, "expected key 'at' (the kind of record a role is held at), found none")
        else:
            target = _kind_name(c, f["at"], f"{path}.at", declared) or ""
    languages: tuple[tuple[str, str], ...] = ()
    if ftype == "names":
        if "languages" not in f:
            c.error(node, path, "expected key 'languages' (the languages of the names), found none")
        else:
            languages = _languages(c, f["languages"], f"{path}.languages")
    flags = {k: c.boolean(f[k], f"{path}.{k}") if k in f else False for k in ("required", "spellings", "quoted")}
    lists = {k: _names(c, f[k], f"{path}.{k}") if k in f else () for k in ("mentions", "hides", "related")}
    description = c.string(f["description"], f"{path}.description") if "description" in f else ""
    if len(c.diagnostics) > before or None in flags.values() or None in lists.values() or description is None:
        return None
    return FieldSpec(name, ftype, kind=target, languages=languages, description=description,  # type: ignore[arg-type]
                     loc=c.loc(node), **flags, **lists)  # type: ignore[arg-type]


def _kind_name(c: Checker, node: Node, path: str, declared: set[str]) -> str | None:
    value = c.string(node, path)
    if value is not None and value not in declared:
        c.error(node, path, f"expected the name of a kind declared in this file, found '{value}'"
                            f"{did_you_mean(value, sorted(declared))}")
        return None
    return value


def _languages(c: Checker, node: Node, path: str) -> tuple[tuple[str, str], ...]:
    """A list of language keys, or a mapping of keys to how a reader calls them."""
    if isinstance(node, MappingNode):
        pairs = [(str(k.value), c.string(v, f"{path}.{k.value}")) for k, v in node.value]
    else:
        keys = c.strings(node, path, min_len=1) or ()
        pairs = [(k, k.replace("_", " ").capitalize()) for k in keys]
    out = []
    for i, (key, label) in enumerate(pairs):
        if not NAME.match(key):
            c.error(node, f"{path}[{i}]", f"expected a language key of lower-case letters, digits and '_', "
                                          f"found '{key}'")
        elif label is not None:
            out.append((key, label))
    if len(out) < 2 and len(out) == len(pairs):
        c.error(node, path, f"expected at least 2 languages, found {len(out)}")
    return tuple(out)


def _names(c: Checker, node: Node, path: str) -> tuple[str, ...] | None:
    values = c.strings(node, path, min_len=1)
    return tuple(values) if values is not None else None


def _cross_check(c: Checker, spec: FieldSpec, fields: Mapping[str, FieldSpec], broken: set[str],
                 node: MappingNode, path: str) -> None:
    """Options that name other fields must name fields of the right type."""
    where = next((v for k, v in node.value if k.value == spec.name), node)
    known = sorted(fields)
    for option, allowed in (("mentions", None), ("hides", ("ref", "refs")), ("related", ("refs",))):
        for other in getattr(spec, option):
            target = fields.get(other)
            if (other == HOLDERS and option in ("mentions", "hides")) or other in broken:
                continue
            if target is None:
                extra = f" or '{HOLDERS}'" if option != "related" else ""
                c.error(where, f"{path}.{option}", f"expected a field of this kind{extra}, found '{other}'"
                                                   f"{did_you_mean(other, known)}")
            elif allowed and target.type not in allowed:
                c.error(where, f"{path}.{option}", f"expected a {' or '.join(allowed)} field, found '{other}', "
                                                   f"which is a {target.type} field")
            elif option == "related" and target.kind != spec.kind:
                c.error(where, f"{path}.{option}", f"expected a refs field of kind '{spec.kind}', found "
                                                   f"'{other}', which refers to '{target.kind}'")


def _title_problem(title: str, fields: Mapping[str, FieldSpec]) -> str | None:
    name, _, language = title.partition(".")
    spec = fields.get(name)
    if spec is None:
        return f"expected the field that names a record, found '{title}'{did_you_mean(name, sorted(fields))}"
    if spec.type == "names":
        keys = [k for k, _ in spec.languages]
        if language not in keys:
            return f"expected '{name}.<language>' ({', '.join(name + '.' + k for k in keys)}), found '{title}'"
        return None if spec.required else \
            f"expected a required field to name a record, found '{title}', which is optional"
    if spec.type not in ("text", "name") or language:
        return f"expected a text or name field (or names.<language>), found '{title}'"
    if not spec.required:
        return f"expected a required field to name a record, found '{title}', which is optional"
    return None
