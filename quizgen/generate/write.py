"""`quizgen generate`: select generated questions and write them as an ordinary
question file. No click here; the CLI is a thin layer over `generate()`.

Selection is seeded and balanced across templates, so `--count 40` over ten
templates gives about four of each rather than forty of the most prolific one.
The file is written in the curated bank's own format (a person may edit it, and
it loads like any other question file), byte for byte the same for the same
inputs and seed, atomically, and never over an existing file without `force`.
"""

from __future__ import annotations

import json
import os
import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from quizgen.bank.check import did_you_mean
from quizgen.errors import Diagnostic, Loc, QuizgenError, errors_only
from quizgen.generate.expand import FactIndex, Generator, Key, generator_for
from quizgen.bank.facts import load_facts, shown_path
from quizgen.bank.kinds import load_kinds
from quizgen.bank.marks import load_yaml
from quizgen.model import Question, Template
from quizgen.bank.templates import load_templates
from quizgen.writefile import write_text_atomic

SCHEMA = "schema/questions.schema.json"
WIDTH = 88  # folded prose is wrapped here; the loader joins the lines again


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    generator: str
    type: str
    topic: str
    difficulty: str
    count: int  # distinct questions the facts allow
    description: str


@dataclass(frozen=True)
class GenerateResult:
    path: Path
    written: int
    by_template: tuple[tuple[str, int], ...]  # (template, questions written), in template order
    requested: int | None
    available: int  # new questions the selected templates could make
    skipped_existing: int  # candidates whose ids the bank already has in other files
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def short(self) -> bool:
        return self.requested is not None and self.written < self.requested

    def summary(self) -> str:
        n_templates = sum(1 for _, n in self.by_template if n)
        lines = [f"wrote {shown_path(self.path)}: {self.written} question{'s' if self.written != 1 else ''} "
                 f"from {n_templates} template{'s' if n_templates != 1 else ''}"]
        width = max((len(name) for name, _ in self.by_template), default=0)
        lines += [f"  {name.ljust(width)}  {n}" for name, n in self.by_template if n]
        if self.skipped_existing:
            lines.append(f"skipped {self.skipped_existing} question{'s' if self.skipped_existing != 1 else ''} "
                         "already in the bank")
        if self.short:
            lines.append(f"asked for {self.requested}; the facts allow only {self.available} new "
                         f"question{'s' if self.available != 1 else ''} from these templates")
        return "\n".join(lines)


def load_inputs(root: Path) -> tuple[tuple[Template, ...], FactIndex]:
    """Templates and indexed facts, or QuizgenError with every problem."""
    kinds, diagnostics, declared = load_kinds(root)
    facts, diags = load_facts(root, kinds=kinds, declared=declared) if declared or not diagnostics else ((), [])
    diagnostics += diags
    templates, diags = load_templates(root, kinds=kinds, declared=declared)
    diagnostics += diags
    if errors_only(diagnostics):
        raise QuizgenError(diagnostics)
    if not templates:
        raise QuizgenError([Diagnostic(Loc(shown_path(Path(root) / "templates")),
                                       "expected question templates here, found none")])
    return templates, FactIndex(facts, kinds)


def template_counts(root: Path) -> list[TemplateInfo]:
    templates, index = load_inputs(root)
    return [TemplateInfo(t.name, t.generator, t.type, t.topic, t.difficulty,
                         generator_for(t, index).count(), t.description) for t in templates]


def choose_templates(templates: Sequence[Template], names: Sequence[str] = (),
                     topics: Sequence[str] = ()) -> list[Template]:
    known = [t.name for t in templates]
    known_topics = sorted({t.topic for t in templates})
    problems = [Diagnostic(Loc("--template"), f"expected a template name, found '{n}'{did_you_mean(n, known)}")
                for n in names if n not in known]
    problems += [Diagnostic(Loc("--topic"), f"expected one of the topics {', '.join(known_topics)}; "
                                            f"found '{t}'{did_you_mean(t, known_topics)}")
                 for t in topics if t not in known_topics]
    if problems:
        raise QuizgenError(problems)
    chosen = [t for t in templates if (not names or t.name in names) and (not topics or t.topic in topics)]
    if not chosen:
        raise QuizgenError([Diagnostic(Loc("--topic"), "expected at least one template with that name and "
                                                       "topic, found none")])
    return chosen


def select(candidates: dict[str, list[Key]], count: int | None, seed: int) -> dict[str, list[Key]]:
    """Up to ``count`` keys, spread evenly across templates (round robin in a
    seeded order), each template's share drawn with the seed."""
    if count is None:
        return {name: list(keys) for name, keys in candidates.items()}
    rng = random.Random(f"quizgen-select\x1f{seed}")
    shares = dict.fromkeys(candidates, 0)
    left = count
    names = [n for n in candidates if candidates[n]]
    rng.shuffle(names)
    while left and names:
        for name in list(names):
            if not left:
                break
            shares[name] += 1
            left -= 1
            if shares[name] == len(candidates[name]):
                names.remove(name)
    chosen = {}
    for name, keys in candidates.items():
        picked = random.Random(f"quizgen-select\x1f{seed}\x1f{name}").sample(keys, shares[name])
        chosen[name] = sorted(picked)
    return chosen


def generate(root: Path, out: Path, *, templates: Sequence[str] = (), topics: Sequence[str] = (),
             count: int | None = None, seed: int = 0, force: bool = False) -> GenerateResult:
    """Select, build and write generated questions; see the module docstring."""
    root, out = Path(root), Path(out)
    if out.exists() and not force:
        raise QuizgenError([Diagnostic(Loc(shown_path(out)), "expected a new file, found an existing one; "
                                                             "pass --force to overwrite it")])
    all_templates, index = load_inputs(root)
    chosen = choose_templates(all_templates, templates, topics)
    existing = existing_ids(root, skip=out)
    generators: dict[str, Generator] = {t.name: generator_for(t, index) for t in chosen}
    candidates: dict[str, list[Key]] = {}
    skipped = 0
    for t in chosen:
        keys = generators[t.name].keys(seed)
        fresh = [k for k in keys if question_id_of(t, k) not in existing] if existing else keys
        skipped += len(keys) - len(fresh)
        candidates[t.name] = fresh
    picked = select(candidates, count, seed)
    questions = [generators[t.name].build(k, seed) for t in chosen for k in picked[t.name]]
    if not questions:
        why = f"all {skipped} are already in the bank" if skipped else "the facts allow none"
        raise QuizgenError([Diagnostic(Loc(shown_path(out)), f"expected new questions to write, found none "
                                                             f"({why})")])
    text = dump_questions(questions, header(chosen, templates, topics, count, seed, out, root))
    write_text_atomic(out, text)
    return GenerateResult(
        path=out, written=len(questions), by_template=tuple((t.name, len(picked[t.name])) for t in chosen),
        requested=count, available=sum(len(v) for v in candidates.values()), skipped_existing=skipped)


def question_id_of(template: Template, key: Key) -> str:
    from quizgen.generate.expand import question_id

    return question_id(template, key)


def existing_ids(root: Path, skip: Path | None = None) -> set[str]:
    """Question ids already in the bank, except in ``skip`` (the file about to
    be replaced). Read loosely: validating the bank is `quizgen validate`'s job."""
    from quizgen.bank.load import question_files

    skip_resolved = skip.resolve() if skip is not None and skip.exists() else None
    ids: set[str] = set()
    for path in question_files(root):
        if skip_resolved is not None and path.resolve() == skip_resolved:
            continue
        node, _ = load_yaml(path)
        if not isinstance(node, MappingNode):
            continue
        for key, value in node.value:
            if key.value == "questions" and isinstance(value, SequenceNode):
                for item in value.value:
                    if isinstance(item, MappingNode):
                        ids.update(v.value for k, v in item.value
                                   if k.value == "id" and isinstance(v, ScalarNode))
    return ids


def header(chosen: Sequence[Template], names: Sequence[str], topics: Sequence[str], count: int | None,
           seed: int, out: Path, root: Path) -> list[str]:
    """Comment lines naming the command that wrote the file, so it can be re-run."""
    schema = Path(os.path.relpath(Path(root).resolve() / SCHEMA, Path(out).resolve().parent)).as_posix()
    args = [f"--template {n}" for n in names] + [f"--topic {t}" for t in topics]
    if count is not None:
        args.append(f"--count {count}")
    args.append(f"--seed {seed}")
    text = (f"Written by `quizgen generate {' '.join(args)}` from kinds.yaml, facts.yaml and {len(chosen)} "
            f"template{'s' if len(chosen) != 1 else ''} under templates/. Edit freely: this file loads like "
            "any other question file. Running generate again with --force replaces it.")
    return [f"# yaml-language-server: $schema={schema}", "#",
            *(f"# {line}" for line in textwrap.wrap(text, WIDTH - 2, break_long_words=False))]


# -- writing YAML -------------------------------------------------------------------

def question_record(q: Question) -> dict[str, object]:
    """The question as the bank's YAML format holds it (see questions/README.md)."""
    rec: dict[str, object] = {"id": q.id, "type": q.type, "topic": q.topic}
    if q.origin != "curated":
        rec.update(origin=q.origin, template=q.template, facts=list(q.facts))
    rec.update(tags=list(q.tags), difficulty=q.difficulty, prompt=q.prompt)
    if q.type == "mcq":
        rec["options"] = list(q.options)
        rec["answer"] = q.answer
    elif q.type == "true_false":
        rec["answer"] = q.answer == "True"
    elif q.type == "short_answer":
        rec["answer"] = q.answer
        if q.accept:
            rec["accept"] = list(q.accept)
    elif q.type == "matching":
        rec["pairs"] = [{"left": a, "right": b} for a, b in q.pairs]
    elif q.type == "ordering":
        rec["items"] = list(q.items)
    rec["explanation"] = q.explanation
    rec["citations"] = [{"source": c.source, "quote": c.quote} for c in q.citations]
    return rec


_PLAIN_START = re.compile(r"[A-Za-z0-9(\u00c0-\uffef]")
_PLAIN_BREAKERS = re.compile(r": |:$| #|^\s|\s$|\t|[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_FOLD_BREAKERS = re.compile(r"^ | $|  |[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u2028\u2029\x85\ufeff]")
_RESOLVER = yaml.SafeLoader("")
_FLOW_SAFE = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


def scalar(text: str) -> str:
    """A string as a plain YAML scalar when that reads back as the same string,
    else double-quoted (JSON string syntax is valid YAML double-quoted syntax)."""
    if (_PLAIN_START.match(text) and not _PLAIN_BREAKERS.search(text) and not _RAW_IN_JSON.search(text)
            and _RESOLVER.resolve(ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON leaves these raw: YAML reads U+0085, U+2028 and U+2029 as line
    # breaks, and DEL, C1 and the noncharacters are invisible in a file. Written
    # as escapes, the loader names each at its place instead of a raw byte doing harm.
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def prose(key: str, text: str, indent: int) -> list[str]:
    """A `key: value` line, or a folded `>-` block wrapped at WIDTH for long prose."""
    pad = " " * indent
    one_line = f"{pad}{key}: {scalar(text)}"
    if len(one_line) <= WIDTH:
        return [one_line]
    # Folding joins wrapped lines with one space, so only text whose every
    # break is a single ASCII space folds back to itself.
    if text != " ".join(text.split(" ")) or not text.isprintable() or _FOLD_BREAKERS.search(text):
        return [one_line]
    lines = textwrap.wrap(text, width=WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{pad}{key}: >-", *(f"{pad}  {line}" for line in lines)]


def dump_questions(questions: Iterable[Question], header_lines: Sequence[str] = ()) -> str:
    out = list(header_lines) + ["questions:"]
    first = True
    for q in questions:
        if not first:
            out.append("")
        first = False
        rec = question_record(q)
        out.append(f"  - id: {scalar(q.id)}")
        for key, value in rec.items():
            if key == "id":
                continue
            if key in ("prompt", "explanation"):
                out += prose(key, value, 4)  # type: ignore[arg-type]
            elif isinstance(value, bool):
                out.append(f"    {key}: {'true' if value else 'false'}")
            elif isinstance(value, str):
                out.append(f"    {key}: {scalar(value)}")
            elif key in ("facts", "tags") and all(_FLOW_SAFE.match(v) for v in value):  # type: ignore[union-attr]
                out.append(f"    {key}: [{', '.join(value)}]")  # type: ignore[arg-type]
            elif key == "pairs":
                out.append("    pairs:")
                for pair in value:  # type: ignore[union-attr]
                    out.append(f"      - left: {scalar(pair['left'])}")
                    out.append(f"        right: {scalar(pair['right'])}")
            elif key == "citations":
                out.append("    citations:")
                for cit in value:  # type: ignore[union-attr]
                    out.append(f"      - source: {scalar(cit['source'])}")
                    out += prose("quote", cit["quote"], 8)
            else:
                out.append(f"    {key}:")
                out += [f"      - {scalar(v)}" for v in value]  # type: ignore[union-attr]
    if first:
        out[-1] = "questions: []"
    return "\n".join(out) + "\n"
