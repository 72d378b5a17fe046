"""Load and validate question templates (questions/templates/*.yaml).

A template is wording for one generator: `{{ name }}` slots filled from facts.
The syntax is deliberately tiny: a slot holds one name and nothing else. No
attribute access, no filters, no expressions, no str.format or eval; text from
the facts is inserted once and never read as template syntax again. Every
problem is reported at the file:line:col of the offending characters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from yaml.nodes import Node

from quizgen.bank.check import Checker, did_you_mean
from quizgen.bank.generators import CAP_SUFFIX, GENERATORS, GeneratorSpec, slot_names, template_slots
from quizgen.bank.kinds import load_kinds, shown_path
from quizgen.bank.marks import parse_text
from quizgen.errors import Diagnostic, Loc, errors_only
from quizgen.model import CLOZE_BLANK, DIFFICULTIES, QUESTION_TYPES, Kind, Template

TEMPLATES_DIR = "templates"
NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
# "{{" and "}}" delimit slots; "{%" and "{#" are refused outright so that nobody
# mistakes this for Jinja and expects statements or comments to work.
_TOKEN = re.compile(r"\{\{|\}\}|\{%|\{#")


# -- placeholder syntax ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SlotProblem:
    offset: int  # in the text
    token: str  # the characters the problem is reported at ("{{", "}}", ...)
    message: str


def parse_slots(text: str, known: Sequence[str] | None = None) -> tuple[list[str], list[SlotProblem]]:
    """The slot names used in ``text`` and its syntax problems. With ``known``,
    names outside it are problems too."""
    names: list[str] = []
    problems: list[SlotProblem] = []
    pos = 0
    while True:
        m = _TOKEN.search(text, pos)
        if m is None:
            break
        token, start = m.group(), m.start()
        if token == "}}":
            problems.append(SlotProblem(start, token, "expected '{{' before '}}', found a lone '}}'"))
            pos = start + 2
            continue
        if token in ("{%", "{#"):
            problems.append(SlotProblem(start, token, f"expected only {{{{ name }}}} placeholders, found '{token}' "
                                                      "(templates have no statements, comments or code)"))
            pos = start + 2
            continue
        end = text.find("}}", start + 2)
        reopen = text.find("{{", start + 2)
        if end < 0 or 0 <= reopen < end:
            problems.append(SlotProblem(start, token, "expected '}}' to close this placeholder, found "
                                                      + ("another '{{'" if end >= 0 else "the end of the text")))
            pos = start + 2
            continue
        inner = text[start + 2:end].strip()
        if not SLOT_NAME.match(inner):
            what = f"'{inner}'" if inner else "nothing"
            problems.append(SlotProblem(start, token, "expected a placeholder name of lower-case letters, digits "
                                                      f"and '_' (no attributes, calls or expressions), found {what}"))
        elif known is not None and inner not in known:
            problems.append(SlotProblem(start, token, f"unknown placeholder '{inner}'; expected one of "
                                                      f"{', '.join(sorted(known))}{did_you_mean(inner, known)}"))
        else:
            names.append(inner)
        pos = end + 2
    return names, problems


def fill(text: str, values: Mapping[str, str]) -> str:
    """Replace each slot by its value, once: values are never parsed again.
    Empty values leave no double spaces behind."""
    out = _SLOT.sub(lambda m: values[m.group(1)], text)
    return " ".join(out.split())


_SLOT = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")


def with_capitals(values: Mapping[str, str]) -> dict[str, str]:
    """The values plus a <name>_cap variant of each, for slots that open a sentence."""
    out = dict(values)
    out.update({k + CAP_SUFFIX: v[:1].upper() + v[1:] for k, v in values.items()})
    return out


# -- loading ------------------------------------------------------------------

TEMPLATE_REQUIRED = ("name", "generator", "type", "topic", "params", "prompt", "explanation")
TEMPLATE_OPTIONAL = ("difficulty", "tags", "options", "description")


def template_files(root: Path) -> list[Path]:
    folder = Path(root) / TEMPLATES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_templates(root: Path, kinds: Mapping[str, Kind] | None = None, declared: set[str] | None = None
                   ) -> tuple[tuple[Template, ...], list[Diagnostic]]:
    """Every valid template under ``root``/templates/, and every problem found.
    Templates are checked against the bank's kinds (``declared``: every kind
    named in kinds.yaml, valid or not); kinds.yaml's own problems are reported
    by load_facts, not again here."""
    if kinds is None:
        kinds, _, declared = load_kinds(root)
    templates: list[Template] = []
    diagnostics: list[Diagnostic] = []
    first: dict[str, Template] = {}
    for path in template_files(root):
        found, diags = load_template_file(path, kinds, declared)
        diagnostics.extend(diags)
        for t in found:
            if t.name in first:
                diagnostics.append(Diagnostic(t.loc, f"expected a unique template name, found '{t.name}' again "
                                                     f"(first defined at {first[t.name].loc})", path="name"))
                continue
            first[t.name] = t
            templates.append(t)
    return tuple(templates), diagnostics


def load_template_file(path: Path, kinds: Mapping[str, Kind],
                       declared: set[str] | None = None) -> tuple[list[Template], list[Diagnostic]]:
    file = shown_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [Diagnostic(Loc(file), f"cannot read file: {exc.strerror}")]
    except UnicodeDecodeError:
        return [], [Diagnostic(Loc(file, 1, 1), "expected UTF-8 text, found undecodable bytes")]
    return templates_document(text, file, kinds, declared)


def templates_document(text: str, file: str, kinds: Mapping[str, Kind],
                       declared: set[str] | None = None) -> tuple[list[Template], list[Diagnostic]]:
    """``declared``: every kind named in kinds.yaml, valid or not; a template
    of a kind that is broken there is left out without a second message."""
    node, diagnostics = parse_text(text, file)
    if errors_only(diagnostics):
        return [], diagnostics
    c = Checker(file)
    if node is None:
        c.diagnostics.append(Diagnostic(Loc(file, 1, 1), "expected a mapping with 'templates', found an empty file"))
        return [], diagnostics + c.diagnostics
    fields = c.mapping(node, "", required=("templates",))
    result: list[Template] = []
    if fields and "templates" in fields:
        for i, item in enumerate(c.sequence(fields["templates"], "templates", min_len=1) or ()):
            t = _template(c, text, item, f"templates[{i}]", kinds, declared or set(kinds))
            if t is not None:
                result.append(t)
    return result, diagnostics + c.diagnostics


def _template(c: Checker, source: str, node: Node, path: str, kinds: Mapping[str, Kind],
              declared: set[str]) -> Template | None:
    f = c.mapping(node, path, required=TEMPLATE_REQUIRED, optional=TEMPLATE_OPTIONAL)
    if f is None or any(k not in f for k in TEMPLATE_REQUIRED):
        return None
    before = len(c.diagnostics)
    name = c.string(f["name"], f"{path}.name")
    if name is not None and not NAME.match(name):
        c.error(f["name"], f"{path}.name", f"expected a template name of lower-case letters, digits and '-', "
                                           f"found '{name}'")
    gen_name = c.choice(f["generator"], f"{path}.generator", tuple(GENERATORS))
    spec = GENERATORS.get(gen_name or "")
    qtype = c.choice(f["type"], f"{path}.type", spec.types if spec else QUESTION_TYPES)
    topic = c.string(f["topic"], f"{path}.topic")
    if topic is not None and not NAME.match(topic):
        c.error(f["topic"], f"{path}.topic", f"expected a topic slug of lower-case letters, digits and '-', "
                                             f"found '{topic}'")
    difficulty = c.choice(f["difficulty"], f"{path}.difficulty", DIFFICULTIES) if "difficulty" in f else "medium"
    tags = c.strings(f["tags"], f"{path}.tags") if "tags" in f else ()
    for i, tag in enumerate(tags or ()):
        if not NAME.match(tag):
            c.error(f["tags"].value[i], f"{path}.tags[{i}]", f"expected a tag of lower-case letters, digits "
                                                             f"and '-', found '{tag}'")
    options = c.integer(f["options"], f"{path}.options", minimum=3) if "options" in f else 4
    if options is not None and options > 6:
        c.error(f["options"], f"{path}.options", f"expected at most 6 options, found {options}")
    description = c.string(f["description"], f"{path}.description") if "description" in f else ""
    params = _params(c, f["params"], f"{path}.params", spec, qtype, kinds, declared, node) \
        if spec and qtype else None
    prompt = c.string(f["prompt"], f"{path}.prompt")
    explanation = c.string(f["explanation"], f"{path}.explanation")
    if params is not None and spec is not None and qtype is not None:
        slots = template_slots(spec.name, qtype, dict(params), kinds)
        every = slot_names(slots.every)
        if prompt is not None:
            used = _check_slots(c, source, f["prompt"], f"{path}.prompt", prompt, every)
            for slot in dict.fromkeys(used):
                if slot in slots.hidden:
                    _report(c, source, f["prompt"], f"{path}.prompt", prompt, "{{", _slot_offset(prompt, slot),
                            f"placeholder '{slot}' would give the answer away in the prompt; "
                            "it is only available in the explanation")
        if explanation is not None:
            _check_slots(c, source, f["explanation"], f"{path}.explanation", explanation, every)
    if qtype == "cloze" and prompt is not None and not CLOZE_BLANK.search(prompt):
        c.error(f["prompt"], f"{path}.prompt", "expected at least one [[blank]] in a cloze prompt, found none")
    if len(c.diagnostics) > before or params is None:
        return None
    prompt, explanation = " ".join(prompt.split()), " ".join(explanation.split())  # type: ignore[union-attr]
    return Template(name=name, generator=gen_name, type=qtype, topic=topic,  # type: ignore[arg-type]
                    prompt=prompt, explanation=explanation,
                    difficulty=difficulty, tags=tags, params=params, options=options,  # type: ignore[arg-type]
                    description=description, loc=c.loc(node))  # type: ignore[arg-type]


def _params(c: Checker, node: Node, path: str, spec: GeneratorSpec, qtype: str,
            kinds: Mapping[str, Kind], declared: set[str], template: Node
            ) -> tuple[tuple[str, str | int], ...] | None:
    """The params, each checked for what it names: a kind, a field of that
    kind of the generator's field types, a language of that names field..."""
    given = c.mapping(node, path, required=tuple(k for k, p in spec.params.items() if p.required),
                      optional=tuple(k for k, p in spec.params.items() if not p.required))
    if given is None or any(k not in given for k, p in spec.params.items() if p.required):
        return None
    before = len(c.diagnostics)
    values: dict[str, str | int] = {}
    kind = None
    field = None
    for key, param in spec.params.items():
        if key not in given:
            if param.default is not None:
                values[key] = param.default
            continue
        n, p = given[key], f"{path}.{key}"
        if param.choices:
            value = c.choice(n, p, param.choices)
        elif param.minimum is not None:
            value = c.integer(n, p, minimum=param.minimum)
            if value is not None and param.maximum is not None and value > param.maximum:
                c.error(n, p, f"expected an integer of at most {param.maximum}, found {value}")
                value = None
        else:
            value = c.string(n, p)
            if value is not None and param.what == "kind":
                kind = kinds.get(value)
                if kind is None:
                    if value not in declared:  # a broken kind was reported in kinds.yaml
                        c.error(n, p, f"expected a kind of kinds.yaml ({', '.join(kinds)}), found "
                                      f"'{value}'{did_you_mean(value, sorted(declared))}")
                    value = None
            elif value is not None and kind is None:
                value = None  # nothing to check it against
            elif value is not None:
                value = _named(c, n, p, param.what, value, spec, kind, field, kinds)
                if param.what == "field" and value is not None:
                    field = kind.field(value)
                    if field is not None and field.kind and field.kind not in kinds:
                        return None  # it refers to a kind that is broken in kinds.yaml: reported there
        if value is None:
            values.pop(key, None)
            if len(c.diagnostics) == before:  # a broken kind: skip quietly
                return None
        else:
            values[key] = value
    if len(c.diagnostics) > before:
        return None
    if spec.name == "names" and qtype == "matching" and not ("ask" in values and "given" in values):
        c.error(node, path, "expected 'given' (the left column's language) and 'ask' (the right one's) "
                            "in a names matching template, found " +
                ("neither" if not {"ask", "given"} & set(values) else "only one"))
        return None
    if "ask" in values and values.get("ask") == values.get("given"):
        c.error(given["ask"], f"{path}.ask", f"expected a language other than 'given', found '{values['ask']}'")
        return None
    return tuple(sorted(values.items()))


def _named(c: Checker, node: Node, path: str, what: str, value: str, spec: GeneratorSpec, kind: Kind,
           field, kinds: Mapping[str, Kind]) -> str | None:
    """Check a param that names a field or a language."""
    if what == "field":
        names = [f.name for f in kind.fields if f.type in spec.field_types]
        chosen = kind.field(value)
        if chosen is None or chosen.type not in spec.field_types:
            found = f"'{value}', which is a {chosen.type} field" if chosen else f"'{value}'"
            c.error(node, path, f"expected a {' or '.join(spec.field_types)} field of kind '{kind.name}' "
                                f"({', '.join(names) or 'it has none'}), found {found}"
                                f"{did_you_mean(value, names) if chosen is None else ''}")
            return None
        return value
    if what == "kind-field":
        names = [f.name for f in kind.fields if f.type in ("text", "name")]
        if value not in names:
            c.error(node, path, f"expected a text or name field of kind '{kind.name}' ({', '.join(names)}), "
                                f"found '{value}'{did_you_mean(value, names)}")
            return None
        return value
    if field is None:
        return None  # the field itself was reported
    if what == "language":
        keys = [k for k, _ in field.languages]
        if value not in keys:
            c.error(node, path, f"expected a language of field '{field.name}' ({', '.join(keys)}), found "
                                f"'{value}'{did_you_mean(value, keys)}")
            return None
        return value
    if what == "target-field":
        target = kinds.get(field.kind) if field.type == "ref" else None
        names = [f.name for f in target.fields if f.type in ("text", "name")] if target else []
        if value not in names:
            c.error(node, path, f"expected a text field of the kind '{field.name}' refers to "
                                f"({', '.join(names) or 'none'}), found '{value}'{did_you_mean(value, names)}")
            return None
        return value
    return value


def _check_slots(c: Checker, source: str, node: Node, path: str, text: str,
                 known: Sequence[str]) -> list[str]:
    names, problems = parse_slots(text, known)
    for p in problems:
        _report(c, source, node, path, text, p.token, p.offset, p.message)
    return names


def _slot_offset(text: str, slot: str) -> int:
    m = re.search(r"\{\{\s*" + re.escape(slot) + r"\s*\}\}", text)
    return m.start() if m else 0


def _report(c: Checker, source: str, node: Node, path: str, text: str, token: str, offset: int,
            message: str) -> None:
    """Report at the token's place in the file. The parsed value and the raw
    scalar differ (quotes, folding, indentation), but tokens such as '{{' pass
    through unchanged, so the n-th one in the value is the n-th one in the raw text."""
    nth = sum(1 for m in _TOKEN.finditer(text, 0, offset) if m.group() == token)
    start = node.start_mark.index
    raw = source[start:node.end_mark.index]
    hits = [m.start() for m in _TOKEN.finditer(raw) if m.group() == token]
    at = start + (hits[nth] if nth < len(hits) else 0)
    line = source.count("\n", 0, at) + 1
    col = at - (source.rfind("\n", 0, at) + 1) + 1
    c.diagnostics.append(Diagnostic(Loc(c.file, line, col), message, "error", path))


