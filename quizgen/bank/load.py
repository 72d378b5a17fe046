"""Load a whole bank folder: discover files, validate each, then check what
spans files (unique ids, known source ids, set references). Pure: reads the
bank, writes nothing."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, NamedTuple, Protocol, Sequence

from yaml.nodes import MappingNode, SequenceNode

from quizgen.bank import records as validate
from quizgen.bank import sourcefile
from quizgen.bank.config import CONFIG_FILE, load_config
from quizgen.bank.crossfile import CrossFile, FileChecks
from quizgen.bank.glyphs import check_glyphs, font_chain, printed_chars
from quizgen.bank.check import Checker
from quizgen.bank.duplicates import DuplicateScan, Probe, keys_of, probes
from quizgen.bank.support import FileNodes, check_support
from quizgen.errors import Diagnostic, Loc, errors_only, sort_diagnostics
from quizgen import filedigest, gcpause
from quizgen.bank import fastread, filecache
from quizgen.bank.marks import MAX_BYTES, compose_bytes, load_yaml, read_yaml_bytes
from quizgen.model import Bank, BankConfig, Question, QuestionSet, Source

if TYPE_CHECKING:
    from quizgen.bank.sources import VerifyReport

SOURCES_FILE = "sources.yaml"
FACTS_FILE = "facts.yaml"
KINDS_FILE = "kinds.yaml"  # the kinds of fact record (quizgen/bank/kinds.py)
NOT_QUESTIONS = ("templates", "sets", "schema")


def shown_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def question_files(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    """Every YAML file of the bank that holds questions, in a stable order.
    ``skip``: more top-level folders that hold none (the corpus, when it is inside the bank)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel == Path("."):
            dirnames[:] = [d for d in dirnames if d not in NOT_QUESTIONS + skip]
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith((".yaml", ".yml")) or name.startswith("."):
                continue
            if rel == Path(".") and name in (SOURCES_FILE, FACTS_FILE, KINDS_FILE, CONFIG_FILE):
                continue
            found.append(Path(dirpath) / name)
    return found


def load_sources(root: Path) -> tuple[list[Source], list[str] | None, list[Diagnostic]]:
    """The valid sources, the id of every record (valid or not; None when the
    registry could not be read at all) and the diagnostics."""
    path = root / SOURCES_FILE
    c = Checker(shown_path(path))
    if not path.is_file():
        return [], None, [Diagnostic(Loc(c.file), "expected the source registry here, found no file")]
    node, diags = load_yaml(path, c.file)
    if errors_only(diags):
        return [], None, diags
    sources = sourcefile.sources_file(c, node)
    first: dict[str, Loc] = {}
    for sid, loc in c.ids:
        if sid in first:
            c.diagnostics.append(Diagnostic(loc, f"expected a unique source id, found '{sid}' again "
                                                 f"(first at {first[sid]})", path="id"))
        first.setdefault(sid, loc)
    unique: dict[str, Source] = {}
    for s in sources:
        unique.setdefault(s.id, s)  # the first of each id
    # Without a list of records to check citations against, checking them would only echo the registry's error.
    readable = isinstance(node, MappingNode) and any(
        getattr(k, "value", None) == "sources" and isinstance(v, SequenceNode) for k, v in node.value)
    known = list(first) if readable else None
    return list(unique.values()), known, diags + c.diagnostics


FileResult = tuple[list[Question], list[tuple[str, Loc]], list[Diagnostic]]
# and the characters the file's questions print (glyphs.printed_chars, or
# a superset of them: check_glyphs only skips its question by question look
# when every one has a glyph): the glyph check of an unchanged bank then
# looks at one short string, not at every question; and each question's
# duplicates.keys_of, so the text work of the near-duplicate check is done
# where the file was read
_Checked = tuple[list[Question], list[tuple[str, Loc]], list[Diagnostic], str, list]

# Composing YAML nodes costs about 0.2 s per thousand questions even with
# libyaml, so large banks are validated one file per process. Small banks stay
# in-process: starting workers costs more than it saves below a few megabytes.
PARALLEL_BYTES = 4 * 1024 * 1024
PRINTABLE_ASCII = "\t\n\r" + "".join(map(chr, range(0x20, 0x7F)))  # what an ASCII file may print


def paused_gc() -> AbstractContextManager[None]:
    """Loading creates millions of small acyclic objects; the cyclic collector
    would rescan them all again and again (measured: 56 s instead of 21 s for
    100,000 questions), so it waits until the bank is built, and what a large
    load built is frozen (0.5 s for 100,000 questions otherwise, to free nothing)."""
    return gcpause.paused_gc(FREEZE_AFTER)


FREEZE_AFTER = 200_000  # young objects; a small bank (every test's) is collected as usual


def _cited_known(q: Question, known: frozenset[str]) -> bool:
    return all(c.source in known for c in q.citations)


def load_question_file(path: Path, source_ids: list[str] | None,
                       sources: tuple[Source, ...] | None = None, context: str | None = None) -> FileResult:
    """Valid questions of one file, the (id, loc) of every question seen, diagnostics.

    With ``sources`` (the valid source records) the diagnostics include the
    support check of the file's questions citing only those (check_support),
    done here while the file's nodes are at hand; then the result is also
    looked up in and stored to the validation cache (filecache.py) under
    ``context`` (filecache.context_key of the same ids and sources)."""
    return _load_file_keyed(path, source_ids, sources, context)[0][:3]  # type: ignore[return-value]


def _load_file_keyed(path: Path, source_ids: list[str] | None, sources: tuple[Source, ...] | None,
                     context: str | None, packed: bool = False) -> tuple[_Checked, str | None]:
    """load_question_file, and the cache key of the bytes it read (None when
    not cached). ``packed``: the result as the cache's bytes (filecache.dumps),
    for a worker: pickled once, the same bytes go to the cache and back to the
    parent (pickling 10,000 questions twice cost as much as checking them)."""
    get, put, pack = ((filecache.get_raw, filecache.put_raw, filecache.dumps) if packed
                      else (filecache.get, filecache.put, lambda result: result))
    with paused_gc():
        c = Checker(shown_path(path), source_ids=source_ids)
        data, diags = read_yaml_bytes(path, c.file)
        if data is None:
            return pack(([], [], diags, "", [])), None
        key = _file_key(c.file, data, sources, context)
        if key is not None:
            hit = get(key)
            if hit is not None:
                return hit, key
        result = pack(_check_file(c, data, sources))
        if key is not None:
            put(key, result)
        return result, key


def _file_key(shown: str, data: bytes, sources: tuple[Source, ...] | None, context: str | None) -> str | None:
    if sources is not None and context is not None and filecache.store().enabled:
        return filecache.bytes_key(context, shown, data)
    return None


def _known_file_key(path: Path, context: str) -> str | None:
    """A file's cache key from the digest filedigest gives (remembered by stat
    when the command enabled it: validate hashed every file for its own key
    already), without reading the file; None when it cannot be read or is
    too big (its worker says why)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return filecache.file_key(context, shown_path(path), filedigest.sha256(path))
    except OSError:
        return None


def _check_file(c: Checker, data: bytes, sources: tuple[Source, ...] | None) -> _Checked:
    """The records and diagnostics of one file's bytes; its nodes live only while this runs."""
    node, diags = None, []
    questions = fastread.questions_from_bytes(c, data)  # the layout quizgen writes, without nodes
    if questions is None:
        node, diags = compose_bytes(data, c.file)
        questions = validate.questions_file(c, node) if not errors_only(diags) else []
    diags = diags + c.diagnostics
    if sources is not None:
        known = frozenset(s.id for s in sources)
        files = FileNodes()
        files.add(c.file, node, data)
        diags += check_support([q for q in questions if _cited_known(q, known)], sources, files)
    strings: dict[str, str] = {}
    # a file of ASCII prints nothing outside PRINTABLE_ASCII (the loader
    # refuses other control characters): no need to gather its questions' texts
    chars = PRINTABLE_ASCII if data.isascii() else printed_chars(questions)
    return questions, c.ids, diags, chars, [keys_of(q, strings) for q in questions]


def _load_file_packed(args: tuple) -> tuple[bytes, str | None]:
    """_load_file_keyed in a worker, its result as the cache's bytes."""
    return _load_file_keyed(*args, packed=True)  # type: ignore[return-value]


class _Slim(NamedTuple):
    """A file's result without its questions, for a load that keeps none: the
    (id, place) of each question, the diagnostics, the characters printed,
    what the near-duplicate scan reads of each question, and what the
    cross-file checks and the feeds found in them (_FileParts)."""

    ids: list[tuple[str, Loc]]
    diagnostics: list[Diagnostic]
    chars: str
    probes: list[Probe]
    parts: tuple


_PARTS: list[_FileParts] = []  # in a worker of a load that keeps no question: what to ask of each file


def _set_parts(parts: _FileParts) -> None:
    """A worker's initializer: the parts are handed over once per worker, not
    once per file (they hold the articles when quotes are checked)."""
    _PARTS[:] = [parts]


def _load_file_slim(args: tuple) -> tuple[_Slim, str | None]:
    """_load_file_keyed in a worker (the cache gets the whole result), then
    the file's _Slim: making 10,000 questions again from a pickle, and
    freeing them, was most of what the parent process did per file."""
    with paused_gc():
        (questions, ids, diags, chars, keys), key = _load_file_keyed(*args)
        return _Slim(ids, diags, chars, probes(questions, keys), _PARTS[0](questions, chars)), key


def load_questions(paths: list[Path], source_ids: list[str] | None,
                   sources: tuple[Source, ...] | None = None) -> FileResult:
    return _load_questions(paths, source_ids, sources)[0][:3]  # type: ignore[return-value]


def _load_questions(paths: list[Path], source_ids: list[str] | None, sources: tuple[Source, ...] | None,
                    duplicates: bool = False, meanwhile=None, consume: _Folds | None = None,
                    keep: bool = True) -> tuple[_Checked, str | None]:
    """load_questions, and a key for the whole list of questions (the file
    keys in order; None when any file was not cached) for cross-file results.
    The fifth item of the result is the near-duplicate check's diagnostics
    when ``duplicates`` (else empty). ``meanwhile()``, when given, is called
    once while worker processes read the files (or before the files are read
    here): work of the caller's that needs no question. ``consume``, when
    given, is fed each file's valid questions, the (id, place) of each
    question it holds and the characters they print, in file order (after
    meanwhile); without ``keep`` the result then holds no questions and no
    ids, and each file's are freed once consumed: a worker then sends only
    what the near-duplicate scan reads and what ``consume.parts`` found
    (when every feed can be split so), not the questions."""
    context = filecache.context_key(source_ids, sources) if sources is not None else None
    results: dict[int, tuple[_Checked, str | None]] = {}
    if context is not None and filecache.store().enabled:
        # hits first, here: a bank that did not change starts no worker at all
        for i, p in enumerate(paths):
            key = _known_file_key(p, context)
            hit = filecache.get(key) if key is not None else None
            if hit is not None:
                results[i] = hit, key
    todo = [i for i in range(len(paths)) if i not in results]
    near: list[Diagnostic] | None = None
    if duplicates and not todo:
        # every file a hit: the check of the same questions may be cached under their key
        whole_key = _whole_key([key for _, key in results.values()]) if len(results) == len(paths) else None
        if whole_key is not None:
            near = filecache.get(filecache.cache_key("duplicates", whole_key))
    merged = _Merged(len(paths), scan=duplicates and near is None, consume=consume, keep=keep)
    total = sum(paths[i].stat().st_size for i in todo if paths[i].is_file())
    jobs = [(paths[i], source_ids, sources, context) for i in todo]
    workers = min(len(jobs), os.cpu_count() or 1)
    if total >= PARALLEL_BYTES and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        parts = consume.parts if consume is not None and not merged.keep else None
        slim = parts is not None
        with ProcessPoolExecutor(workers, initializer=_set_parts if slim else None,
                                 initargs=(parts,) if slim else ()) as pool:
            # each result is unpickled and merged (near-duplicates scanned) as
            # it arrives, in file order, while the workers go on with the next files
            done = pool.map(_load_file_slim if slim else _load_file_packed, jobs, chunksize=1)  # every file handed out now
            if meanwhile is not None:
                meanwhile()
            for i, (raw, key) in zip(todo, done):
                result = raw if slim else filecache.loads(raw)
                del raw
                if result is None:  # pragma: no cover - only a cache entry crafted to pass its checksum
                    result, key = _load_file_keyed(paths[i], source_ids, sources, None)
                results[i] = result, key
                merged.take(results)
    else:
        results.update(zip(todo, (_load_file_keyed(*job) for job in jobs)))
        if meanwhile is not None:
            meanwhile()
    merged.take(results)
    whole = _whole_key(merged.keys)
    if merged.scan is not None:
        near = merged.scan.diagnostics()
        if whole is not None:  # for the next load whose files all hit
            filecache.put(filecache.cache_key("duplicates", whole), near)
    return (merged.questions, merged.ids, merged.diagnostics, "".join(sorted(merged.chars)), near or []), whole


def _whole_key(keys: list[str | None]) -> str | None:
    """The key of every file's questions, in order; None when a file was not cached."""
    return None if not keys or not all(keys) else filecache.digest("questions", *keys)


class _Merged:
    """The files' results joined in file order (so output is stable), each
    taken as soon as it and every file before it are in."""

    def __init__(self, n: int, *, scan: bool, consume: _Folds | None, keep: bool) -> None:
        self.n, self.next = n, 0
        self.questions: list[Question] = []
        self.ids: list[tuple[str, Loc]] = []
        self.diagnostics: list[Diagnostic] = []
        self.keys: list[str | None] = []
        self.chars: set[str] = set()
        self.scan = DuplicateScan() if scan else None  # near-duplicates scanned as files come in
        self.consume, self.keep = consume, keep or consume is None

    def take(self, results: dict[int, tuple[_Checked | _Slim, str | None]]) -> None:
        while self.next < self.n and self.next in results:
            result, key = results.pop(self.next)
            self.next += 1
            if result.__class__ is _Slim:  # a worker's, for a load that keeps no question
                seen, diags, printed, found, parts = result  # type: ignore[misc]
                qs: list[Question] = []
            else:
                qs, seen, diags, printed, dup_keys = result  # type: ignore[misc]
                found, parts = probes(qs, dup_keys) if self.scan is not None else (), None
            self.chars.update(printed)
            if self.keep:
                self.questions.extend(qs)
                self.ids.extend(seen)
            self.diagnostics.extend(diags)
            self.keys.append(key)
            if self.scan is not None:
                self.scan.feed_probes(found)
            if self.consume is not None:
                if parts is None:
                    self.consume.feed(qs, seen, printed)
                else:
                    self.consume.absorb(parts, seen)


class _FileParts:
    """What the cross-file checks (CrossFile.checks) and each feed's
    part_maker ask of one file's questions, with nothing they gathered:
    picklable, so a worker runs it beside the file's records."""

    def __init__(self, checks: FileChecks, makers: tuple) -> None:
        self.checks, self.makers = checks, makers

    def __call__(self, questions: list[Question], chars: str) -> tuple:
        return (self.checks(questions, chars), *(m(questions) if m is not None else None for m in self.makers))


class _Folds:
    """The cross-file checks and the caller's feeds, fed a file at a time:
    with its questions (feed), or with what _FileParts found in them where
    they were read (absorb). ``parts`` is None when a feed cannot be split
    so (it has no part_maker): its questions must then come to it."""

    def __init__(self, cross: CrossFile, feeds: tuple[Feed, ...]) -> None:
        self.cross, self.feeds = cross, feeds
        makers = [getattr(f, "part_maker", None) for f in feeds]
        self.parts = _FileParts(cross.checks, tuple(m() for m in makers)) if all(makers) else None  # type: ignore[misc]

    def feed(self, questions: list[Question], ids: list[tuple[str, Loc]], chars: str) -> None:
        if self.parts is not None:  # the one code path, wherever the parts were found
            self.absorb(self.parts(questions, chars), ids)
            return
        self.cross.feed(questions, ids, chars)
        for f in self.feeds:
            f.feed(questions)

    def absorb(self, parts: tuple, ids: list[tuple[str, Loc]]) -> None:
        self.cross.absorb(parts[0], ids)
        for f, part in zip(self.feeds, parts[1:]):
            if part is not None:  # None: the feed had nothing to ask of them
                f.absorb(part)  # type: ignore[attr-defined]


def load_sets(root: Path) -> tuple[list[QuestionSet], list[Diagnostic]]:
    sets: list[QuestionSet] = []
    diagnostics: list[Diagnostic] = []
    folder = root / "sets"
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
        c = Checker(shown_path(path))
        node, diags = load_yaml(path, c.file)
        diagnostics.extend(diags)
        if not errors_only(diags):
            qset = validate.set_file(c, node)
            if qset is not None:
                sets.append(qset)
        diagnostics.extend(c.diagnostics)
    return sets, diagnostics


def load_extras(root: Path, source_ids: list[str] | None) -> tuple[dict[str, object], list[Diagnostic]]:
    """Facts and templates, when the bank has them (imported lazily: most
    commands never need them)."""
    extras: dict[str, object] = {}
    diagnostics: list[Diagnostic] = []
    if (root / FACTS_FILE).is_file():
        from quizgen.bank.facts import load_facts

        extras["facts"], diags = load_facts(root, source_ids)
        diagnostics.extend(diags)
    if any((root / "templates").glob("*.y*ml")):
        from quizgen.bank.templates import load_templates

        extras["templates"], diags = load_templates(root)
        diagnostics.extend(diags)
    return extras, diagnostics


def _corpus_inside(root: Path, config: BankConfig | None) -> tuple[str, ...]:
    """The corpus folder's name when it is a top-level folder of the bank (it holds articles, not questions)."""
    if config is None:
        return ()
    parts = PurePosixPath(config.corpus).parts
    return (parts[0],) if len(parts) == 1 and parts[0] not in ("..", ".") else ()


class Feed(Protocol):
    """A caller's check fed the questions as they load (load_bank's ``feeds``)."""

    def start(self, root: Path, config: BankConfig | None, sources: tuple[Source, ...],
              sets: tuple[QuestionSet, ...]) -> None:
        """Before the first question: the config (None when it failed), the valid sources and sets."""

    def feed(self, questions: list[Question]) -> None:
        """One file's valid questions, in bank order."""

    # A feed may also be split, so that a load that keeps no question sends a
    # worker's findings instead of its questions: part_maker() (after start)
    # gives a picklable callable of a file's questions that reads nothing the
    # feed gathers (None: nothing to ask of them), and absorb(part) takes what
    # it returned; feed(questions) must then be absorb(part_maker()(questions)).


def load_bank(root: Path, *, partial: bool = False, feeds: Sequence[Feed] = (),
              keep: bool = True) -> tuple[Bank | None, list[Diagnostic]]:
    """Validate everything, then return the bank (None when any error was found)
    and every diagnostic, warnings included, sorted by place. With ``partial``,
    the records that did validate come back even beside errors (None only when
    the config itself failed), so a caller can check more of them: the caller
    must then look at the diagnostics. Each of ``feeds`` is fed every file's
    valid questions as they load; without ``keep`` the bank holds none of
    them (``questions`` is empty: what a caller needs of them, its feeds
    took), so a large bank is never all in memory at once."""
    with paused_gc():
        return _load_bank(Path(root), partial, tuple(feeds), keep)


def links_outside(root: Path, paths: list[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The paths that stay inside the bank once symlinks are resolved, and a
    diagnostic for each that leaves it: a link must not pull an outside file
    into the deck or echo its content in an error."""
    inside, diagnostics = [], []
    real_root = root.resolve()
    for path in paths:
        try:
            ok = path.resolve().is_relative_to(real_root)
        except (OSError, RuntimeError):  # a loop of links
            ok = False
        if ok:
            inside.append(path)
        else:  # named by the link, never by where it points
            shown = Path(shown_path(root)) / path.relative_to(root)
            diagnostics.append(Diagnostic(Loc(str(shown)), "expected a file inside the bank folder, "
                                                            "found a link that leads outside it"))
    return inside, diagnostics


def _bank_files(root: Path) -> list[Path]:
    """The files and folders read by name, before anything is read."""
    named = [root / CONFIG_FILE, root / SOURCES_FILE, root / FACTS_FILE, root / "sets", root / "templates"]
    named = [p for p in named if p.is_symlink() or p.exists()]
    for folder in ("sets", "templates"):
        if (root / folder).is_dir():
            named += sorted((root / folder).glob("*.y*ml"))
    return named


def _load_bank(root: Path, partial: bool = False, feeds: tuple[Feed, ...] = (),
               keep: bool = True) -> tuple[Bank | None, list[Diagnostic]]:
    if not root.is_dir():
        return None, [Diagnostic(Loc(shown_path(root)), "expected a bank folder, found no such directory")]
    _, outside = links_outside(root, _bank_files(root))
    if outside:  # read nothing: each of these files feeds every other check
        return None, outside
    config, diagnostics = load_config(root, shown_path(root / CONFIG_FILE))
    sources, source_ids, diags = load_sources(root)
    diagnostics += diags
    # source_ids holds the ids of broken records too: their citations are not
    # reported again, the record's own error is the one message.
    paths, outside = links_outside(root, question_files(root, _corpus_inside(root, config)))
    diagnostics += outside
    sets, diags = load_sets(root)
    diagnostics += diags
    extras, extras_diags = load_extras(root, source_ids)
    diagnostics += extras_diags
    # Source ids of citations were checked while validating each record,
    # questions here and facts in load_facts. A fact dropped for an error
    # would warn on every question using it: no lineage check then.
    cross = CrossFile(config, sets, extras, lineage=not errors_only(extras_diags), root=root)
    for f in feeds:
        f.start(root, config, tuple(sources), tuple(sets))
    consume = _Folds(cross, feeds)

    def meanwhile() -> None:
        # the glyph check's font chain (its cmaps parsed, cached) is made
        # while workers read a large bank's files
        if config is not None:
            font_chain(root, config.fonts)

    # the support check of each file's questions is done with the file (and
    # cached with it), the near-duplicate scan as the files come in
    (questions, _, diags_questions, chars, duplicates), _ = _load_questions(
        paths, source_ids, tuple(sources), duplicates=True, meanwhile=meanwhile, consume=consume, keep=keep)
    diagnostics += diags_questions
    diagnostics += check_glyphs(root, config, sources, (), sets, "")  # the questions' were checked as fed
    diagnostics += cross.finish(not errors_only(diags_questions), Loc(shown_path(root)))
    # Every key stated by its citations, or marked. A question citing a source
    # that failed validation was reported there: checking it again here would
    # blame each of its keys for one broken record.
    # (done file by file in load_questions)
    if not cross.count and not errors_only(diagnostics):  # nothing to build a deck or a worksheet from
        diagnostics.append(Diagnostic(Loc(shown_path(root)), "expected at least one question in the bank, "
                                                             "found none"))
    diagnostics += duplicates  # no statement twice (scanned file by file in _load_questions)
    diagnostics = sort_diagnostics(diagnostics)
    if errors_only(diagnostics) and not (partial and config is not None):
        return None, diagnostics
    bank = Bank(shown_path(root), tuple(sources), tuple(questions), tuple(sets), extras, config)  # type: ignore[arg-type]
    return bank, diagnostics


class _QuoteFeed:
    """sources.verify fed as the questions load: each file's quotes are
    checked against the articles while its records are at hand."""

    def __init__(self, corpus: Path | None) -> None:
        self.corpus = corpus
        self.folder: Path | None = None
        self.check = None

    def start(self, root: Path, config: BankConfig | None, sources: tuple[Source, ...],
              sets: tuple[QuestionSet, ...]) -> None:
        from quizgen.bank.sources import QuoteCheck, corpus_folder

        self.folder = corpus_folder(shown_path(root), config, self.corpus)  # as Bank.root names the bank
        if self.folder.is_dir():
            self.check = QuoteCheck(sources, self.folder)

    def feed(self, questions: list[Question]) -> None:
        if self.check is not None:
            self.check.add_questions(questions)

    def part_maker(self):  # noqa: ANN201 - a QuoteLook, or None without the articles
        return self.check.part_maker() if self.check is not None else None

    def absorb(self, found) -> None:  # noqa: ANN001 - a QuotesFound
        self.check.absorb(found)  # type: ignore[union-attr]


def load_checked_bank(root: Path, corpus: Path | None = None, *, require_corpus: bool = False,
                      feeds: Sequence[Feed] = (), keep: bool = True,
                      ) -> tuple[Bank | None, list[Diagnostic], VerifyReport | None]:
    """load_bank, then every article against its sha256 and every quote
    against its article, when the corpus folder (``corpus``, else the
    config's) is there. A missing folder is a warning (a clone without the
    articles still builds) unless the caller named it or ``require_corpus``.
    ``feeds`` and ``keep`` as load_bank takes them."""
    from quizgen.bank.sources import fact_owners

    # The quotes of every record that validated are checked even when others
    # failed, so one run reports a bad quote beside the other problems.
    quotes = _QuoteFeed(corpus)
    bank, diagnostics = load_bank(root, partial=True, feeds=(quotes, *feeds), keep=keep)
    if bank is None:
        return None, diagnostics, None
    bank_or_none = None if errors_only(diagnostics) else bank
    folder = quotes.folder
    assert folder is not None  # started: every load that gives a bank starts its feeds
    if quotes.check is None:
        where = Loc(shown_path(Path(root) / CONFIG_FILE)) if (Path(root) / CONFIG_FILE).is_file() else Loc(bank.root)
        if corpus is not None or require_corpus:
            return None, diagnostics + [Diagnostic(where, f"expected the corpus folder {shown_path(folder)}, "
                                                          "found none; pass --corpus DIR", path="corpus")], None
        if bank.sources:
            diagnostics = diagnostics + [Diagnostic(where, f"expected the corpus folder {shown_path(folder)}, "
                                                           "found none; quotes and sha256 were not checked",
                                                    "warning", "corpus")]
        return bank_or_none, diagnostics, None
    quotes.check.add(fact_owners(bank.extras))
    report = quotes.check.report()
    diagnostics = sort_diagnostics(diagnostics + list(report.diagnostics))
    return (None if errors_only(diagnostics) else bank), diagnostics, report
