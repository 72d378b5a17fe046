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
from quizgen.bank.duplicates import DuplicateIndex
from quizgen.bank.load import load_sources
from quizgen.errors import Diagnostic, Loc, QuizgenError, errors_only
from quizgen.generate.expand import FactIndex, Generator, Key, generator_for
from quizgen.bank.facts import load_facts, shown_path
from quizgen.bank.kinds import load_kinds
from quizgen.bank.marks import load_yaml
from quizgen.model import Question, Template
from quizgen.bank.templates import load_templates
from quizgen.generate.vetting import vet, well_formed
from quizgen.writefile import write_text_atomic

SCHEMA = "schema/questions.schema.json"
WIDTH = 88  # folded prose is wrapped here; the loader joins the lines again
PER_FACT = 8  # questions one fact record may appear in, per generated file (--per-fact)


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
    dropped: "Dropped | None" = None

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
        if self.dropped is not None and self.dropped.lines():
            lines.append("not written:")
            lines += self.dropped.lines()
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


def interleave(candidates: dict[str, list[Key]], seed: int,
               generators: dict[str, Generator] | None = None) -> list[tuple[str, Key]]:
    """Every candidate once, templates taken in turn (round robin, in a seeded
    order) and each template's keys in a seeded order, so that a count, a cap
    per fact and duplicate removal spread over the templates instead of
    exhausting the first one. Only one statement of an item is written, so a
    true/false template's items come true or false by a seeded coin, not
    false nine times in ten because most variants of an item are false."""
    rng = random.Random(f"quizgen-select\x1f{seed}")
    queues = {}
    for name, keys in candidates.items():
        if not keys:
            continue
        pick = random.Random(f"quizgen-select\x1f{seed}\x1f{name}")
        queue = pick.sample(keys, len(keys))
        gen = generators.get(name) if generators else None
        if gen is not None and gen.template.type == "true_false":
            groups: dict[Key, list[Key]] = {}
            for key in queue:
                groups.setdefault(gen.variant_of(key), []).append(key)
            queue = []
            for variants in groups.values():
                true_first = pick.random() < 0.5
                queue += sorted(variants, key=lambda k: (k[-1] == "true") != true_first)
        queues[name] = queue
    names = list(queues)
    rng.shuffle(names)
    out: list[tuple[str, Key]] = []
    while names:
        for name in list(names):
            out.append((name, queues[name].pop(0)))
            if not queues[name]:
                names.remove(name)
    return out


@dataclass
class Dropped:
    """Candidates generate did not write, by reason (shown in its summary)."""

    unsupported: int = 0  # key not stated by the citations, nor resting on an inferred date
    malformed: int = 0  # too few options, pairs or items
    duplicate: int = 0  # repeats a statement already in the bank or the file
    capped: int = 0  # a fact already quizzed per_fact times
    over_count: int = 0  # beyond --count

    def lines(self) -> list[str]:
        why = {"unsupported": "key not stated by the cited quotes", "malformed": "too few options, pairs or items",
               "duplicate": "near-duplicates", "capped": "over the cap per fact", "over_count": "beyond --count"}
        return [f"  {why[k]}  {getattr(self, k)}" for k in why if getattr(self, k)]


def generate(root: Path, out: Path, *, templates: Sequence[str] = (), topics: Sequence[str] = (),
             count: int | None = None, seed: int = 0, force: bool = False,
             per_fact: int | None = PER_FACT) -> GenerateResult:
    """Select, build, vet and write generated questions; see the module docstring."""
    root, out = Path(root), Path(out)
    if out.exists() and not force:
        raise QuizgenError([Diagnostic(Loc(shown_path(out)), "expected a new file, found an existing one; "
                                                             "pass --force to overwrite it")])
    all_templates, index = load_inputs(root)
    chosen = choose_templates(all_templates, templates, topics)
    others = other_questions(root, skip=out)
    existing = {q.id for q in others}
    sources = {s.id: s for s in load_sources(root)[0]}
    generators: dict[str, Generator] = {t.name: generator_for(t, index) for t in chosen}
    candidates: dict[str, list[Key]] = {}
    skipped = 0
    for t in chosen:
        keys = generators[t.name].keys(seed)
        fresh = [k for k in keys if question_id_of(t, k) not in existing] if existing else keys
        skipped += len(keys) - len(fresh)
        candidates[t.name] = fresh
    # Compared with the hand-written questions only: each generated file can
    # then be written again alone and come out the same.
    seen = DuplicateIndex(q for q in others if q.origin != "generated")
    uses: dict[str, int] = {}  # questions written per fact record (Generator.units)
    variants: set[tuple[str, Key]] = set()  # (template, item) written: one statement per item
    matched: set[tuple[str, tuple[str, str]]] = set()  # (template, pair) of the matchings written
    dropped = Dropped()
    kept: dict[str, list[tuple[Key, Question]]] = {t.name: [] for t in chosen}
    written = 0
    for name, key in interleave(candidates, seed, generators):
        if count is not None and written >= count:
            dropped.over_count += 1
            continue
        q = generators[name].build(key, seed)
        if not well_formed(q):
            dropped.malformed += 1
            continue
        vetted = vet(q, index, sources)
        if vetted is None:
            dropped.unsupported += 1
            continue
        variant = (name, generators[name].variant_of(key))
        # a pair already matched under this template is that statement again
        pairs = {(name, pair) for pair in vetted.pairs}
        if variant in variants or pairs & matched or seen.first_of(vetted) is not None:
            dropped.duplicate += 1
            continue
        units = generators[name].units(key, vetted)
        if per_fact is not None and any(uses.get(u, 0) >= per_fact for u in units):
            dropped.capped += 1
            continue
        seen.add(vetted)
        variants.add(variant)
        matched |= pairs
        for u in units:
            uses[u] = uses.get(u, 0) + 1
        kept[name].append((key, vetted))
        written += 1
    questions = [q for t in chosen for _, q in sorted(kept[t.name], key=lambda kq: kq[0])]
    if not questions:
        why = f"all {skipped} are already in the bank" if skipped else "the facts allow none that pass"
        raise QuizgenError([Diagnostic(Loc(shown_path(out)), f"expected new questions to write, found none "
                                                             f"({why})")])
    text = dump_questions(questions, header(chosen, templates, topics, count, seed, out, root, per_fact))
    write_text_atomic(out, text)
    return GenerateResult(
        path=out, written=len(questions), by_template=tuple((t.name, len(kept[t.name])) for t in chosen),
        requested=count, available=sum(len(v) for v in candidates.values()) - dropped.unsupported
        - dropped.malformed - dropped.duplicate - dropped.capped, skipped_existing=skipped, dropped=dropped)


def question_id_of(template: Template, key: Key) -> str:
    from quizgen.generate.expand import question_id

    return question_id(template, key)


def other_questions(root: Path, skip: Path | None = None) -> list[Question]:
    """The bank's questions outside ``skip`` (the file about to be replaced),
    read loosely: validating the bank is `quizgen validate`'s job."""
    from quizgen.bank.load import load_questions, question_files

    skip_resolved = skip.resolve() if skip is not None and skip.exists() else None
    paths = [p for p in question_files(root) if skip_resolved is None or p.resolve() != skip_resolved]
    questions, _, _ = load_questions(paths, None)
    return questions


def header(chosen: Sequence[Template], names: Sequence[str], topics: Sequence[str], count: int | None,
           seed: int, out: Path, root: Path, per_fact: int | None = PER_FACT) -> list[str]:
    """Comment lines naming the command that wrote the file, so it can be re-run."""
    schema = Path(os.path.relpath(Path(root).resolve() / SCHEMA, Path(out).resolve().parent)).as_posix()
    args = [f"--template {n}" for n in names] + [f"--topic {t}" for t in topics]
    if count is not None:
        args.append(f"--count {count}")
    if per_fact != PER_FACT:
        args.append(f"--per-fact {per_fact}" if per_fact is not None else "--per-fact 0")
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
    if q.support.status != "quoted":
        rec["support"] = {"status": q.support.status, "reason": q.support.reason}
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
            elif key == "support":
                out.append("    support:")
                out.append(f"      status: {scalar(value['status'])}")  # type: ignore[index]
                out += prose("reason", value["reason"], 6)  # type: ignore[index]
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
