"""Edits of the source registry (sources.yaml) that keep a person's comments
and layout: a new record is appended as a text block, a new sha256 replaces
the old one on its own line. Every edit is re-validated before anything is
written, and files are written atomically. No click here: the commands in
cli.py ask the questions (a headline to confirm) and call these.

Errors are raised as QuizgenError carrying diagnostics, like the loader's."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quizgen.bank.article import Article, id_from_file_name
from quizgen.bank.check import Checker, did_you_mean
from quizgen.bank.load import SOURCES_FILE, load_sources, shown_path
from quizgen.bank.dates import date_problem
from quizgen.bank.marks import parse_text
from quizgen.bank.records import SLUG_PATTERN
from quizgen.bank.sourcefile import sources_file
from quizgen.bank.sources import resolve_in
from quizgen.errors import Diagnostic, Loc, QuizgenError, errors_only
from quizgen.model import Source

REGISTRY_HEADER = "# yaml-language-server: $schema=schema/sources.schema.json\n"


def _fail(where: Path | str, message: str, line: int = 0, col: int = 0) -> QuizgenError:
    return QuizgenError([Diagnostic(Loc(where if isinstance(where, str) else shown_path(where), line, col),
                                    message)])


# -- YAML text of a new record -------------------------------------------------

def yaml_scalar(value: str | None) -> str:
    """``value`` as a YAML scalar: plain when it reads back as the same string,
    double-quoted (JSON escapes are valid YAML) otherwise."""
    if value is None:
        return "null"
    if value and value == value.strip() and "\n" not in value and not value[0] in "\"'&*!|>%@`#[]{},?:-":
        try:
            if yaml.safe_load(f"k: {value}") == {"k": value}:
                return value
        except yaml.YAMLError:
            pass
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class NewSource:
    id: str
    file: str
    sha256: str
    outlet: str | None
    headline: str
    published: str | None = None
    inferred_date: str | None = None
    inferred_reason: str | None = None

    def block(self, indent: int) -> str:
        """The record as block YAML, its dash ``indent`` spaces in."""
        pad, key_pad = " " * indent, " " * (indent + 2)
        lines = [f"{pad}- id: {yaml_scalar(self.id)}", f"{key_pad}file: {yaml_scalar(self.file)}",
                 f"{key_pad}sha256: {yaml_scalar(self.sha256)}", f"{key_pad}outlet: {yaml_scalar(self.outlet)}",
                 f"{key_pad}headline: {yaml_scalar(self.headline)}"]
        # Dates always quoted: a plain 2016-12-15 would read as a YAML timestamp.
        for key in ("published", "inferred_date"):
            value = getattr(self, key)
            if value is not None:
                lines.append(f"{key_pad}{key}: {json.dumps(value)}")
        if self.inferred_reason is not None:
            lines.append(f"{key_pad}inferred_reason: {yaml_scalar(self.inferred_reason)}")
        return "\n".join(lines) + "\n"


def _sources_node(root: Node | None) -> Node | None:
    if isinstance(root, MappingNode):
        for key, value in root.value:
            if isinstance(key, ScalarNode) and key.value == "sources":
                return value
    return None


def _offset(text: str, line: int, col: int) -> int:
    """Character offset of a 0-based line and column."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    return starts[line] + col


def appended(text: str, record: NewSource, file: str) -> str:
    """sources.yaml's text with ``record`` added at the end of its list, the
    rest of the text (comments, blank lines, quoting) unchanged."""
    node, diagnostics = parse_text(text, file)
    seq = _sources_node(node)
    if errors_only(diagnostics) or not isinstance(seq, SequenceNode):
        raise QuizgenError(errors_only(diagnostics) or [Diagnostic(Loc(file, 1, 1),
                                                                   "expected a mapping with a 'sources' list")])
    if seq.flow_style:
        if seq.value:
            raise _fail(file, "expected the sources as a block list ('- id: ...' lines) to append to, "
                              "found a [...] list; rewrite it as a block list", seq.start_mark.line + 1,
                        seq.start_mark.column + 1)
        # `sources: []`, as quizgen init writes it: the brackets give way to the first record.
        start = _offset(text, seq.start_mark.line, seq.start_mark.column)
        end = _offset(text, seq.end_mark.line, seq.end_mark.column)
        if text[start:end].replace(" ", "") != "[]":
            raise _fail(file, "expected 'sources: []' or a block list, found a list this command cannot edit",
                        seq.start_mark.line + 1, seq.start_mark.column + 1)
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        comment = text[end:line_end].rstrip()  # e.g. "  # empty", kept on the 'sources:' line
        return text[:start].rstrip(" ") + comment + "\n" + record.block(2) + text[line_end + 1:]
    indent = seq.start_mark.column  # the column of the first item's dash
    if not text.endswith("\n"):
        text += "\n"
    if not text.endswith("\n\n"):
        text += "\n"  # a blank line between records, as the registry is usually written
    return text + record.block(indent)


def _check_registry_text(text: str, file: str) -> list[Diagnostic]:
    node, diagnostics = parse_text(text, file)
    c = Checker(file)
    if not errors_only(diagnostics):
        sources_file(c, node)
    return errors_only(diagnostics + c.diagnostics)


# -- add-source -----------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AddPlan:
    """What add-source will write: the article's copy (None when it is in the
    corpus already) and the registry's new text."""

    record: NewSource
    registry: Path
    registry_text: str
    copy_to: Path | None
    article: Article


@dataclass(frozen=True, slots=True)
class _Registry:
    path: Path
    text: str
    sources: tuple[Source, ...]
    ids: tuple[str, ...]


def _registry(bank_root: Path) -> _Registry:
    """The registry as it is (a new one when the bank has none); raise when it has errors."""
    path = Path(bank_root) / SOURCES_FILE
    if not path.is_file():
        return _Registry(path, REGISTRY_HEADER + "sources: []\n", (), ())
    sources, ids, diagnostics = load_sources(Path(bank_root))
    if errors_only(diagnostics):
        raise QuizgenError(diagnostics + [Diagnostic(Loc(shown_path(path)), "expected a valid registry to add "
                                                                            "to; fix the errors above first")])
    return _Registry(path, path.read_text(encoding="utf-8-sig"), tuple(sources), tuple(ids or ()))


def check_add_source(bank_root: Path, corpus: Path, article: Article, *, source_id: str | None = None,
                     headline: str | None = None, published: str | None = None,
                     inferred_date: str | None = None, inferred_reason: str | None = None) -> Path | None:
    """Every reason the article cannot be registered, raised at once as a
    QuizgenError; otherwise where it is to be copied (None: it is in the
    corpus already). ``headline`` None: not chosen yet, not checked."""
    reg = _registry(bank_root)
    problems: list[str] = []
    name = article.path.name
    sid = source_id or id_from_file_name(name)
    registered = [s for s in reg.sources if s.file == name]
    for s in registered:
        problems.append(f"expected a file not yet registered, found '{name}' registered as '{s.id}' at {s.loc}")
    for s in reg.sources:
        if s.sha256 == article.sha256 and s.file != name:
            problems.append(f"expected a new text, found the same bytes registered as '{s.id}' ({s.file}) at {s.loc}")
    if not SLUG_PATTERN.match(sid):
        problems.append(f"expected a source id of lower-case letters, digits and '-', found '{sid}'"
                        + ("" if source_id else " (made from the file name); pass --id"))
    elif sid in reg.ids and not (registered and source_id is None):  # the same file: said once above
        where = next((s.loc for s in reg.sources if s.id == sid), Loc(shown_path(reg.path)))
        problems.append(f"expected a new source id, found '{sid}' already registered at {where}; pass --id")
    if headline is not None and not headline.strip():
        problems.append("expected a headline, found none; pass --headline")
    if published is not None and inferred_date is not None:
        problems.append("expected --published or --inferred-date, found both")
    if (inferred_date is None) != (inferred_reason is None):
        problems.append("expected --inferred-date and --inferred-reason together, found only one")
    if inferred_reason is not None and not inferred_reason.strip():
        problems.append("--inferred-reason: expected the reasoning, found empty text")
    for flag, value in (("--published", published), ("--inferred-date", inferred_date)):
        problem = date_problem(value, allow_range=flag == "--inferred-date") if value is not None else None
        if problem:
            problems.append(f"{flag}: {problem}")
    if name.startswith(".") or name != name.strip():
        problems.append(f"expected a plain file name, found '{name}'; rename the article")

    copy_to: Path | None = None
    if corpus.exists() and not corpus.is_dir():
        problems.append(f"expected the corpus folder {shown_path(corpus)}, found a file")
    else:
        target = corpus / name
        if corpus.is_dir() and resolve_in(corpus, name) is None:
            problems.append(f"expected '{name}' to stay inside the corpus folder {shown_path(corpus)}, "
                            "found a link leading out of it")
        elif target.exists() and target.resolve() != article.path.resolve():
            if not target.is_file() or target.read_bytes() != article.data:
                problems.append(f"expected no other file named '{name}' in the corpus folder "
                                f"{shown_path(corpus)}, found a different one; rename the article")
        elif not target.exists():
            copy_to = target
    if problems:
        raise QuizgenError([Diagnostic(Loc(shown_path(article.path)), p) for p in problems])
    return copy_to


def plan_add_source(bank_root: Path, corpus: Path, article: Article, *, source_id: str | None,
                    headline: str, outlet: str | None = None, published: str | None = None,
                    inferred_date: str | None = None, inferred_reason: str | None = None) -> AddPlan:
    """Check everything add-source needs and return what it would write;
    raise QuizgenError with every problem otherwise. Writes nothing."""
    copy_to = check_add_source(bank_root, corpus, article, source_id=source_id, headline=headline,
                               published=published, inferred_date=inferred_date, inferred_reason=inferred_reason)
    reg = _registry(bank_root)
    shown = shown_path(reg.path)
    record = NewSource(source_id or id_from_file_name(article.path.name), article.path.name, article.sha256,
                       outlet, " ".join(headline.split()), published, inferred_date, inferred_reason)
    new_text = appended(reg.text, record, shown)
    problems_after = _check_registry_text(new_text, shown)
    if problems_after:  # the block we wrote does not read back: never write it
        raise QuizgenError(problems_after)
    return AddPlan(record, reg.path, new_text, copy_to, article)


def apply_add_source(plan: AddPlan) -> None:
    from quizgen.writefile import write_atomic, write_text_atomic

    if plan.copy_to is not None:
        write_atomic(plan.copy_to, plan.article.data)
    write_text_atomic(plan.registry, plan.registry_text)


# -- rehash -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Rehash:
    source_id: str
    file: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RehashPlan:
    registry: Path
    registry_text: str
    changes: tuple[Rehash, ...]
    unchanged: tuple[str, ...]


def plan_rehash(bank_root: Path, corpus: Path, source_ids: tuple[str, ...] = ()) -> RehashPlan:
    """New sha256 values for the named sources (default: all) whose files
    changed; raise QuizgenError when a file cannot be read. Writes nothing."""
    registry = Path(bank_root) / SOURCES_FILE
    shown = shown_path(registry)
    sources, ids, diagnostics = load_sources(Path(bank_root))
    if errors_only(diagnostics):
        raise QuizgenError(diagnostics)
    problems: list[Diagnostic] = []
    by_id = {s.id: s for s in sources}
    for sid in source_ids:
        if sid not in by_id:
            problems.append(Diagnostic(Loc(shown), f"expected a source id of the registry, found '{sid}'"
                                                   f"{did_you_mean(sid, list(by_id))}"))
    if not corpus.is_dir():
        problems.append(Diagnostic(Loc(shown), f"expected the corpus folder {shown_path(corpus)}, found none; "
                                               "pass --corpus DIR"))
    if problems:
        raise QuizgenError(problems)
    chosen = [by_id[sid] for sid in dict.fromkeys(source_ids)] if source_ids else sources
    text = registry.read_text(encoding="utf-8-sig")
    lines = text.splitlines(keepends=True)
    sha_nodes = _sha_nodes(text, shown)
    changes, unchanged = [], []
    for s in chosen:
        path = resolve_in(corpus, s.file)
        if path is None or not path.is_file():
            problems.append(Diagnostic(s.loc, f"expected corpus file '{s.file}' in {shown_path(corpus)}, "
                                              "found none", path="file"))
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            problems.append(Diagnostic(s.loc, f"expected a readable corpus file '{s.file}', found "
                                              f"{exc.strerror or exc}", path="file"))
            continue
        if digest == s.sha256:
            unchanged.append(s.id)
            continue
        node = sha_nodes[s.id]
        i = node.start_mark.line
        if s.sha256 not in lines[i]:  # e.g. a folded scalar: not a line this command edits
            problems.append(Diagnostic(s.loc, "expected the sha256 on one line of its own to update, found it "
                                              "split; write it as 'sha256: HEX'", path="sha256"))
            continue
        lines[i] = lines[i].replace(s.sha256, digest, 1)
        changes.append(Rehash(s.id, s.file, s.sha256, digest))
    if problems:
        raise QuizgenError(problems)
    new_text = "".join(lines)
    after = _check_registry_text(new_text, shown)
    if after:
        raise QuizgenError(after)
    return RehashPlan(registry, new_text, tuple(changes), tuple(unchanged))


def _sha_nodes(text: str, file: str) -> dict[str, Node]:
    """The sha256 value node of each record, by source id."""
    node, _ = parse_text(text, file)
    seq = _sources_node(node)
    found: dict[str, Node] = {}
    for item in seq.value if isinstance(seq, SequenceNode) else ():
        if isinstance(item, MappingNode):
            fields = {k.value: v for k, v in item.value if isinstance(k, ScalarNode)}
            if "id" in fields and "sha256" in fields:
                found.setdefault(fields["id"].value, fields["sha256"])
    return found


def apply_rehash(plan: RehashPlan) -> None:
    from quizgen.writefile import write_text_atomic

    if plan.changes:
        write_text_atomic(plan.registry, plan.registry_text)
