"""Load and validate question templates (questions/templates/*.yaml).

A template is wording for one generator: `{{ name }}` slots filled from facts.
The syntax is deliberately tiny: a slot holds one name and nothing else. No
attribute access, no filters, no expressions, no str.format or eval; text from
the facts is inserted once and never read as template syntax again. Every
problem is reported at the file:line:col of the offending characters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from yaml.nodes import Node

from quizgen.bank.check import Checker, did_you_mean
from quizgen.errors import Diagnostic, Loc, errors_only
from quizgen.bank.facts import shown_path
from quizgen.bank.marks import parse_text
from quizgen.model import CLOZE_BLANK, DIFFICULTIES, QUESTION_TYPES, Template

TEMPLATES_DIR = "templates"
NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
SLOT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
# "{{" and "}}" delimit slots; "{%" and "{#" are refused outright so that nobody
# mistakes this for Jinja and expects statements or comments to work.
_TOKEN = re.compile(r"\{\{|\}\}|\{%|\{#")
CAP_SUFFIX = "_cap"


@dataclass(frozen=True)
class Param:
    choices: tuple[str, ...] = ()  # a string parameter, one of these
    minimum: int | None = None  # an integer parameter, in [minimum, maximum]
    maximum: int | None = None
    default: str | int | None = None


@dataclass(frozen=True)
class GeneratorSpec:
    """What a generator offers templates: question types, slot names, params.
    The generators themselves live in quizgen/generate/expand.py."""

    name: str
    summary: str
    types: tuple[str, ...]
    slots: tuple[str, ...]  # every slot; each also exists as <slot>_cap (first letter upper-case)
    # Slots that would give the answer away in an mcq, short-answer or
    # true/false prompt (a cloze prompt shows its answers inside [[blanks]]).
    hidden: tuple[str, ...] = ()
    hidden_param: str | None = None  # the param whose value names one more hidden slot
    params: Mapping[str, Param] = field(default_factory=dict)

    def hidden_slots(self, params: Mapping[str, str | int]) -> set[str]:
        hidden = set(self.hidden) | {"verdict"}
        if self.hidden_param:
            hidden.add(str(params.get(self.hidden_param, self.params[self.hidden_param].default)))
        return hidden | {h + CAP_SUFFIX for h in hidden}


_POINTS = ("ended", "restored", "left_open", "islands", "condition")
_DATE_SLOTS = ("when", "when_prep", "on_when", "when_marked", "on_when_marked", "date_note")
_TF = ("verdict", "stated")
_LANGUAGES = ("english", "russian", "japanese")

GENERATORS: dict[str, GeneratorSpec] = {g.name: g for g in (
    GeneratorSpec(
        "event-date", "when an event happened (answer: its date, at the precision the articles give)",
        ("mcq", "short_answer", "cloze", "true_false"),
        ("name", "label", "summary", "note", "status_note") + _DATE_SLOTS + _TF,
        hidden=("when", "on_when", "when_marked", "on_when_marked", "date_note", "summary")),
    GeneratorSpec(
        "role-holder", "who held an office at an event (answer: the person)",
        ("mcq", "short_answer", "true_false"),
        ("person", "role", "event", "event_name", "summary", "person_note") + _DATE_SLOTS + _TF,
        hidden=("person", "person_note", "event_name", "summary")),
    GeneratorSpec(
        "meeting-place", "where an event took place (answer: the place)",
        ("mcq", "short_answer", "true_false"),
        ("place", "unplaced", "name", "summary", "note", "status_note") + _DATE_SLOTS + _TF,
        hidden=("place", "name", "summary", "note")),
    GeneratorSpec(
        "island-name", "an island's name in another language (answer: the name chosen by `answer`)",
        ("mcq", "short_answer", "true_false"),
        _LANGUAGES + ("group_russia", "group_japan", "names_note", "note") + _TF,
        hidden=("note",), hidden_param="answer",
        params={"answer": Param(choices=_LANGUAGES, default="english")}),
    GeneratorSpec(
        "island-group-name", "which name each side uses for the island group (answer: the name)",
        ("mcq", "short_answer", "true_false"),
        ("side", "other_side", "group", "english", "native", "other_english", "names_note", "note") + _TF,
        hidden=("note",), hidden_param="answer",
        params={"answer": Param(choices=("english", "native"), default="english")}),
    GeneratorSpec(
        "island-matching", "match island names across two languages",
        ("matching",),
        ("left_language", "right_language", "pairs_text", "names_note"),
        params={"left": Param(choices=_LANGUAGES, default="english"),
                "right": Param(choices=_LANGUAGES, default="japanese"),
                "size": Param(minimum=2, maximum=6, default=4)}),
    GeneratorSpec(
        "declaration-claim", "a true or a deliberately falsified statement about a document",
        ("true_false",),
        ("document", "statement", "truth", "detail") + _TF,
        hidden=("truth", "detail")),
    GeneratorSpec(
        "declaration-choice", "pick the true statement among falsified ones, or the false one among true ones",
        ("mcq",),
        ("document", "chosen", "truth", "detail"),
        hidden=("chosen", "truth", "detail"),
        params={"pick": Param(choices=("true", "false"), default="true")}),
    GeneratorSpec(
        "declaration-point", "what a document ended, restored, left open, offered, and on what condition",
        ("mcq", "short_answer", "cloze"),
        ("document", "short_name", "value", "point_note", "note") + _POINTS,
        hidden=("value", "point_note"), hidden_param="point",
        params={"point": Param(choices=_POINTS, default="ended")}),
    GeneratorSpec(
        "chronology", "put events in order, earliest first",
        ("ordering",),
        ("count", "timeline", "date_notes"),
        hidden=("timeline",),
        params={"size": Param(minimum=3, maximum=6, default=4)}),
    GeneratorSpec(
        "people-roles", "match people to the offices the articles give them",
        ("matching",),
        ("pairs_text", "notes"),
        hidden=("pairs_text",),
        params={"size": Param(minimum=2, maximum=6, default=4)}),
)}


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


def slot_names(spec: GeneratorSpec) -> tuple[str, ...]:
    return spec.slots + tuple(s + CAP_SUFFIX for s in spec.slots)


def with_capitals(values: Mapping[str, str]) -> dict[str, str]:
    """The values plus a <name>_cap variant of each, for slots that open a sentence."""
    out = dict(values)
    out.update({k + CAP_SUFFIX: v[:1].upper() + v[1:] for k, v in values.items()})
    return out


# -- loading ------------------------------------------------------------------

TEMPLATE_REQUIRED = ("name", "generator", "type", "topic", "prompt", "explanation")
TEMPLATE_OPTIONAL = ("difficulty", "tags", "params", "options", "description")


def template_files(root: Path) -> list[Path]:
    folder = Path(root) / TEMPLATES_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def load_templates(root: Path) -> tuple[tuple[Template, ...], list[Diagnostic]]:
    """Every valid template under ``root``/templates/, and every problem found."""
    templates: list[Template] = []
    diagnostics: list[Diagnostic] = []
    first: dict[str, Template] = {}
    for path in template_files(root):
        found, diags = load_template_file(path)
        diagnostics.extend(diags)
        for t in found:
            if t.name in first:
                diagnostics.append(Diagnostic(t.loc, f"expected a unique template name, found '{t.name}' again "
                                                     f"(first defined at {first[t.name].loc})", path="name"))
                continue
            first[t.name] = t
            templates.append(t)
    return tuple(templates), diagnostics


def load_template_file(path: Path) -> tuple[list[Template], list[Diagnostic]]:
    file = shown_path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        return [], [Diagnostic(Loc(file), f"cannot read file: {exc.strerror}")]
    except UnicodeDecodeError:
        return [], [Diagnostic(Loc(file, 1, 1), "expected UTF-8 text, found undecodable bytes")]
    return templates_document(text, file)


def templates_document(text: str, file: str) -> tuple[list[Template], list[Diagnostic]]:
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
            t = _template(c, text, item, f"templates[{i}]")
            if t is not None:
                result.append(t)
    return result, diagnostics + c.diagnostics


def _template(c: Checker, source: str, node: Node, path: str) -> Template | None:
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
    options = c.integer(f["options"], f"{path}.options", minimum=2) if "options" in f else 4
    if options is not None and options > 6:
        c.error(f["options"], f"{path}.options", f"expected at most 6 options, found {options}")
    description = c.string(f["description"], f"{path}.description") if "description" in f else ""
    params = _params(c, f.get("params"), f"{path}.params", spec) if spec else None
    prompt = c.string(f["prompt"], f"{path}.prompt")
    explanation = c.string(f["explanation"], f"{path}.explanation")
    if spec is not None:
        every = slot_names(spec)
        if prompt is not None:
            used = _check_slots(c, source, f["prompt"], f"{path}.prompt", prompt, every)
            hidden = spec.hidden_slots(dict(params or ())) if qtype in ("mcq", "short_answer", "true_false") \
                else {"verdict", "verdict" + CAP_SUFFIX}
            for slot in dict.fromkeys(used):
                if slot in hidden:
                    _report(c, source, f["prompt"], f"{path}.prompt", prompt, "{{", _slot_offset(prompt, slot),
                            f"placeholder '{slot}' would give the answer away in the prompt; "
                            "it is only available in the explanation")
        if explanation is not None:
            _check_slots(c, source, f["explanation"], f"{path}.explanation", explanation, every)
    if qtype == "cloze" and prompt is not None and not CLOZE_BLANK.search(prompt):
        c.error(f["prompt"], f"{path}.prompt", "expected at least one [[blank]] in a cloze prompt, found none")
    if len(c.diagnostics) > before:
        return None
    prompt, explanation = " ".join(prompt.split()), " ".join(explanation.split())  # type: ignore[union-attr]
    return Template(name=name, generator=gen_name, type=qtype, topic=topic,  # type: ignore[arg-type]
                    prompt=prompt, explanation=explanation,
                    difficulty=difficulty, tags=tags, params=params, options=options,  # type: ignore[arg-type]
                    description=description, loc=c.loc(node))  # type: ignore[arg-type]


def _params(c: Checker, node: Node | None, path: str, spec: GeneratorSpec) -> tuple[tuple[str, str | int], ...] | None:
    given: dict[str, Node] = {}
    if node is not None:
        fields = c.mapping(node, path, optional=tuple(spec.params))
        if fields is None:
            return None
        given = fields
    values: dict[str, str | int] = {}
    ok = True
    for key, param in spec.params.items():
        if key not in given:
            values[key] = param.default  # type: ignore[assignment]
            continue
        if param.choices:
            value = c.choice(given[key], f"{path}.{key}", param.choices)
        else:
            value = c.integer(given[key], f"{path}.{key}", minimum=param.minimum)
            if value is not None and param.maximum is not None and value > param.maximum:
                c.error(given[key], f"{path}.{key}", f"expected an integer of at most {param.maximum}, found {value}")
                value = None
        if value is None:
            ok = False
        else:
            values[key] = value
    return tuple(sorted(values.items())) if ok else None


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


