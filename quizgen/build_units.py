"""Stage the render units of a build: each from the build cache when its key
is there, else rendered (in this process, or in worker processes when there
is enough to do), then every unit's files staged in the units' fixed order.

A unit renders into a folder of its own inside the build's staging folder
and hands back the staged files (never their bytes through a pipe: a big
deck streams to disk); the parent adopts them into the stage in unit order.
Workers are forked, so they start with what the parent has imported (the
early ones from a process that warmed up: quizgen.build_pool); they ignore
Ctrl-C (the parent stops them) and give up the output folder's lock they
inherit, so a worker outliving a killed parent never blocks the next
build. A worker's bad-input errors and OSErrors come back as data and become
the build's diagnostics; a bug comes back as the exception it was.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from quizgen.errors import Diagnostic, Loc, QuizgenError
from quizgen.journal import WriteError, folder_label
from quizgen.render import RenderOptions
from quizgen.staging import Output, Session, Stage

MAX_JOBS = 8
# Below this much work (questions times PDF parts, roughly) worker processes
# cost more than they save: a small bank renders in this process.
PARALLEL_MIN_COST = 200
# The last build had at least this many questions: start the workers before loading the bank.
EARLY_MIN_QUESTIONS = 50
EARLY_MIN_BANK_BYTES = 128 * 1024  # with no earlier build to go by: YAML of some hundred questions


def bank_bytes(root: Path) -> int:
    total = 0
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith((".yaml", ".yml")):
                try:
                    total += os.path.getsize(os.path.join(folder, name))
                except OSError:
                    pass
    return total


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_JOBS))


def clock_may_be_read(options: RenderOptions) -> bool:
    """The Anki renderer reads the clock for new notes' ids (and a lost lock)
    unless SOURCE_DATE_EPOCH or an explicit timestamp fixes the time
    (render.anki.fresh_time): then a deck is cached only when its lock stayed
    the same, which means no note got a new id or time."""
    from quizgen.build import DEFAULT_EPOCH

    return not os.environ.get("SOURCE_DATE_EPOCH", "").strip() and int(options.timestamp) == DEFAULT_EPOCH


def stage_units(bank, session: Session, stage: Stage, formats: tuple[str, ...], options: RenderOptions, *,
                store=None, jobs: int = 1, workers: "Workers | None" = None,
                staged_digests: dict | None = None) -> None:
    """``staged_digests``, when given, receives each staged file's sha256
    (the workers hash what they rendered, this process what came from the cache)."""
    from quizgen.build_cache import Digests, pieces_context, unit_key, unpack
    from quizgen.render import ANKI_LOCK_NAME as LOCK_NAME
    from quizgen.render.units import plan_units

    digests = Digests()
    selections = None
    if store is not None and store.enabled and "pdf" in formats:
        from quizgen.build_selection import CachedSelections

        selections = CachedSelections(store, digests)
    units = plan_units(bank, formats, options, selections)
    lock_path = Path(bank.root) / LOCK_NAME
    lock = None
    if store is not None and store.enabled and "anki" in formats:
        try:
            lock = lock_path.read_bytes()
        except FileNotFoundError:
            lock = None
        except OSError:  # unreadable: the renderer reports it
            store = None
    keys = [unit_key(u, options, digests, lock) if store is not None and store.enabled else None for u in units]
    hits: dict[int, tuple] = {}
    for i, key in enumerate(keys):
        if key is not None:
            blob = store.get(key)
            entry = unpack(blob) if blob is not None else None
            if entry is not None:
                hits[i] = entry
    misses = [i for i in range(len(units)) if i not in hits]
    plain = replace(options, progress=None, warn=None)
    tasks = {i: (units[i], plain, str(stage.folder / f"unit-{i:04d}"), str(stage.out_dir), keys[i],
                 store if keys[i] is not None else None, clock_may_be_read(options),
                 pieces_context(units[i], options, digests) if keys[i] is not None else None)
             for i in misses}
    cost = sum(units[i].cost for i in misses)
    hit_files: dict[int, list] = {}
    digests_of: dict[Path, str] = {}

    def stage_hits() -> None:
        # the files of the units taken from the cache, staged (not listed yet) and hashed
        import hashlib

        for i, (files, _messages) in hits.items():
            hit_files[i] = []
            for k, (place, name, data) in enumerate(files):
                dest = stage.path(name) if place == "out" else Path(bank.root) / name
                hit_files[i].append(stage.write_aside(dest, data, f"hit-{i:04d}-{k}-{name}"))
                if staged_digests is not None:
                    digests_of[dest] = hashlib.sha256(data).hexdigest()

    if jobs > 1 and len(misses) > 1 and cost >= PARALLEL_MIN_COST:
        shared = share_questions([units[i] for i in misses], stage.folder / SHARED_NAME)
        for i in misses:
            tasks[i] = (shared.ref(units[i]),) + tasks[i][1:]
        try:
            # while the workers render, this process stages what the cache gave
            results = _in_workers(tasks, min(jobs, len(misses)), session, {i: units[i].cost for i in misses},
                                  workers, meanwhile=stage_hits)
        finally:
            shared.remove()
    else:
        stage_hits()
        results = {}
        for i in misses:  # in order, so an error of this process shows as it did before units
            results[i] = execute(tasks[i], in_process=True)
    errors: list[Diagnostic] = []
    for i in range(len(units)):
        if i in hits:
            _replay(hits[i][1], options)
            for output in hit_files[i]:
                stage.adopt(output)
            continue
        status, value, messages = results[i]
        _replay(messages, options)
        if status == "error":
            errors.extend(d for d in value if d not in errors)  # the parts of one set fail alike
        elif not errors:
            for dest, staged, size, sha256 in value:
                stage.adopt(Output(dest, staged, size))
                digests_of[dest] = sha256
    if errors:
        raise QuizgenError(errors)
    if staged_digests is not None:
        staged_digests.update((o.dest, digests_of[o.dest]) for o in stage.outputs)


def _replay(messages, options: RenderOptions) -> None:
    for kind, value in messages:
        if kind == "progress":
            if options.progress:
                options.progress(value)
        elif options.warn is not None:
            options.warn(value)
        else:
            import warnings

            warnings.warn(str(value), stacklevel=3)


def execute(task, in_process: bool = False):
    """Render one unit into its own folder: ("ok", [(dest, staged, size, sha256)], messages)
    or ("error", diagnostics, messages); stores the files in the cache. An
    export unit's task carries its pieces' context (build_cache.pieces_context)."""
    unit, options, folder, out_dir, key, store, clock, pieces = task
    from quizgen.render.fragments import Memo, remembered
    from quizgen.render.units import run_unit

    if isinstance(unit, UnitRef):
        unit = unit.unit()
    memo = None
    if pieces is not None and store is not None:  # an export: its unchanged questions' pieces from the cache
        context, digests = pieces
        memo = Memo(store, context, {id(q): d for q, d in zip(unit.bank.questions, digests)})

    messages: list = []
    options = replace(options, progress=lambda m: messages.append(("progress", m)),
                      warn=lambda d: messages.append(("warn", d)))
    try:
        try:
            os.mkdir(folder)
        except OSError as exc:
            raise WriteError(folder_label(Path(out_dir)), exc) from exc
        with remembered(memo):
            outputs = run_unit(unit, Stage(Path(out_dir), Path(folder)), options)
    except QuizgenError as exc:
        return "error", list(exc.diagnostics), messages
    except OSError as exc:
        if in_process:
            raise
        return "oserror", (getattr(exc, "where", None), exc.errno, exc.strerror, exc.filename), messages
    if key is not None and store is not None:
        _store(unit, outputs, messages, Path(out_dir), key, store, clock)
    # Up into the staging folder itself, where the commit's journal expects
    # every staged file (quizgen.journal.read_journal)
    from quizgen.filedigest import sha256_of

    moved = []
    try:
        for o in outputs:
            target = o.staged.parent.parent / f"{o.staged.parent.name}-{o.staged.name}"
            os.rename(o.staged, target)
            moved.append((o.dest, target, o.size, sha256_of(target)))  # hashed here, in parallel: the build records it
        os.rmdir(folder)
    except OSError as exc:
        if in_process:
            raise WriteError(folder_label(Path(out_dir)), exc) from exc
        return "oserror", (folder_label(Path(out_dir)), exc.errno, exc.strerror, exc.filename), messages
    return "ok", moved, messages


def _store(unit, outputs: list[Output], messages, out_dir: Path, key: str, store, clock: bool) -> None:
    from quizgen.build_cache import pack

    bank_root = os.path.abspath(unit.bank.root)
    out = os.path.abspath(out_dir)
    files = []
    for o in outputs:
        parent = os.path.abspath(o.dest.parent)
        if parent == out:
            place = "out"
        elif parent == bank_root:
            place = "bank"
            if clock and unit.kind == "anki":
                return  # the lock changed while the clock was read: bytes of this moment, not of the inputs
        else:
            return  # a file elsewhere: not cached
        try:
            files.append((place, o.dest.name, o.staged.read_bytes()))
        except OSError:
            return
    store.put(key, pack(files, messages))


# -- the questions, sent once --------------------------------------------------------

SHARED_NAME = ".questions-for-workers.pickle"  # in the staging folder, beside the units' folders; removed after the units


class UnitRef(NamedTuple):
    """A unit as a task names it: its questions (and those of its leaks) as
    indices into the shared file (SharedQuestions), not the questions themselves. Each unit carries a
    slice of the bank and most carry all of it: pickled per task, the shipped
    bank's 28 units came to 3.7 MB, pickled in the parent, again in the warm
    pool's relay and unpickled in a worker; the shared file is 0.3 MB, read
    once by each worker."""

    path: str
    name: str
    kind: str
    indices: tuple[int, ...]
    qset: object
    part: tuple
    left_out: tuple  # (index, key, by, text, kind) of each Leak

    def unit(self):
        from quizgen.render.units import Unit, bank_slice
        from quizgen.select_leaks import Leak

        base = _read_shared(self.path)
        questions = base.questions
        return Unit(self.name, self.kind, bank_slice(base, (questions[i] for i in self.indices)), self.qset, self.part,
                    tuple(Leak(questions[i], *rest) for i, *rest in self.left_out))


class SharedQuestions:
    def __init__(self, path: Path, index: dict[int, int]):
        self.path = path
        self._index = index

    def ref(self, unit) -> UnitRef:
        index = self._index
        return UnitRef(str(self.path), unit.name, unit.kind, tuple(index[id(q)] for q in unit.bank.questions),
                       unit.qset, unit.part,
                       tuple((index[id(k.question)], k.key, k.by, k.text, k.kind) for k in unit.left_out))

    def remove(self) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass


def share_questions(units: list, path: Path) -> SharedQuestions:
    """Write every question the units render, once, for the workers to read
    (units share their bank's root, sources and config: plan_units cuts them
    from one bank)."""
    import pickle

    from quizgen.render.units import bank_slice

    questions: dict[int, object] = {}
    for unit in units:
        for q in unit.bank.questions:
            questions.setdefault(id(q), q)
        for leak in unit.left_out:
            questions.setdefault(id(leak.question), leak.question)
    index = {key: n for n, key in enumerate(questions)}
    base = bank_slice(units[0].bank, questions.values())
    try:
        with open(path, "xb") as fh:
            pickle.dump(base, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError as exc:
        raise WriteError(folder_label(path.parent.parent), exc) from exc
    return SharedQuestions(path, index)


_shared: dict[str, object] = {}  # path -> Bank: a worker reads the file at its first unit of the build


def _read_shared(path: str):
    bank = _shared.get(path)
    if bank is None:
        import pickle

        with open(path, "rb") as fh:
            bank = pickle.load(fh)
        _shared.clear()  # one build's questions at a time
        _shared[path] = bank
    return bank


# -- worker processes ----------------------------------------------------------------

def _worker_init(lock_fd: int | None) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    if lock_fd is not None:
        try:
            os.close(lock_fd)  # the parent's copy keeps the folder locked
        except OSError:
            pass


def warm_up() -> None:
    """Import the renderers and parse and register the built-in fonts: what a
    worker would otherwise do before its first unit."""
    try:
        import importlib

        import quizgen.render.anki  # noqa: F401
        import quizgen.render.exports  # noqa: F401
        import quizgen.render.fragments  # noqa: F401
        from quizgen.render import EXPORTERS

        for module, _function, _suffix in EXPORTERS.values():  # a first export unit would take ~40 ms importing
            importlib.import_module(module)
        import quizgen.render.pdf.grid  # noqa: F401
        import quizgen.render.pdf.key  # noqa: F401
        import quizgen.render.pdf.manifest  # noqa: F401
        import quizgen.render.pdf.worksheet  # noqa: F401
        import quizgen.select  # noqa: F401 (forked before the parent imports it: quizgen.build imports it late)
        from quizgen.render.pdf.fonts import bank_fonts

        bank_fonts(os.getcwd(), ())
    except Exception:  # a warm-up only: the unit that needs it reports any problem
        pass


def _ready() -> bool:
    return True


class Workers:
    """A pool started before the bank is loaded, when the last build was big
    enough to want one: its workers are forked from one process that warms up
    while the parent validates (quizgen.build_pool)."""

    def __init__(self, jobs: int, session: Session):
        self.jobs = jobs
        self.pool = _pool(jobs, session, warm=True)
        self.pool.submit(_ready)  # every worker started now, not at the first unit

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _pool(jobs: int, session: Session, warm: bool = False):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    lock_fd = getattr(session, "_fd", None)  # staging.Session's flock on the output folder
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover (no fork: Windows; the workers warm up as they go)
        context = multiprocessing.get_context("spawn")
    else:
        if warm:
            from quizgen.build_pool import WarmPool

            return WarmPool(jobs, _worker_init, (lock_fd,), warm_up)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init,
                               initargs=(lock_fd,))


def _in_workers(tasks: dict, jobs: int, session: Session, costs: dict, workers: Workers | None = None,
                meanwhile=None) -> dict:
    """Each task's result, rendered in worker processes; ``meanwhile()`` runs
    here once every task is handed out."""
    from concurrent.futures.process import BrokenProcessPool

    results = {}
    pool = workers.pool if workers is not None else _pool(jobs, session)
    try:
        # The biggest first, so the last to finish is a small one.
        order = sorted(tasks, key=lambda i: (-costs[i], i))
        futures = {i: pool.submit(execute, tasks[i]) for i in order}
        if meanwhile is not None:
            meanwhile()
        for i in sorted(futures):
            try:
                results[i] = futures[i].result()
            except BrokenProcessPool as exc:
                raise QuizgenError([Diagnostic(Loc(f"{str(session.out_dir).rstrip('/')}/"),
                                               f"a worker process died while rendering ({exc}); "
                                               "try again with --jobs 1")]) from exc
            status, value, messages = results[i]
            if status == "oserror":
                where, errno_, strerror, filename = value
                error = OSError(errno_, strerror, filename)
                raise WriteError(where, error) if where else error
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    if workers is None:
        pool.shutdown(wait=True)
    else:  # told to stop now, they end while this process commits (Workers.close waits for them)
        pool.shutdown(wait=False)
    return results
